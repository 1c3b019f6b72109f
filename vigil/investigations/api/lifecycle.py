"""Investigations through the API: the same selectors, services and access rules as the
pages. An investigation out of scope (or missing) is 404; a role that may see it but not
do the operation is 403; a refused rule is 422 (or 409 for a state conflict) with the
message the page shows."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.accounts.models import Force, Team, User
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.investigations import selectors, services
from vigil.investigations.models import Investigation

router = Router(tags=["investigations"])


def _require_casework(request) -> None:
    if not access.is_casework_user(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


def _require_casework_or_admin(request) -> None:
    if not (access.is_casework_user(request.user) or access.is_admin(request.user)):
        raise PermissionDenied(_("Your role does not allow this."))


def _require_supervisor(request) -> None:
    if not access.has_role(request.user, *SUPERVISORY_ROLES):
        raise PermissionDenied(_("Your role does not allow this."))


def _investigation(request, investigation_id: uuid.UUID, action: str = "view") -> Investigation:
    _require_casework(request)
    return selectors.get_investigation_for_user(request.user, investigation_id, action)


# --- schemas -----------------------------------------------------------------------------


class Ref(Schema):
    id: uuid.UUID
    name: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_name(obj):
        return getattr(obj, "full_name", None) or getattr(obj, "name", "") or str(obj)


class InvestigationOut(Schema):
    id: uuid.UUID
    referral: uuid.UUID | None
    suspect: Ref
    owning_team: Ref
    allocated_team: Ref
    allocated_officer: Ref | None
    external: bool
    state: str
    risk_band: str
    last_assessed_at: dt.datetime | None
    reassessment_due_at: dt.datetime | None
    event_reassessment_due_at: dt.datetime | None
    oversight_due_at: dt.datetime | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_referral(obj):
        return obj.referral.uuid if obj.referral_id else None

    @staticmethod
    def resolve_external(obj):
        return obj.is_external


class TransitionOut(Schema):
    from_state: str
    to_state: str
    actor: Ref
    at: dt.datetime
    note: str


class ReassessmentOut(Schema):
    id: uuid.UUID
    assessment: uuid.UUID
    trigger: str
    previous_band: str
    band: str
    band_changed: bool
    assessed_at: dt.datetime
    assessed_by: Ref

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_assessment(obj):
        return obj.assessment.uuid


class DecisionOut(Schema):
    id: uuid.UUID
    kind: str
    from_state: str
    rationale: str
    decided_by: Ref
    decided_at: dt.datetime
    exceptional_rationale: str
    authorised_by: Ref | None
    authorised_at: dt.datetime | None
    reassessed_in_window: bool
    reassessment_window_days: int | None
    override_by: Ref | None
    override_rationale: str
    welfare_assessment: str
    welfare_measures: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class ReviewOut(Schema):
    id: uuid.UUID
    outcome: str
    note: str
    reviewed_by: Ref
    reviewed_at: dt.datetime
    due_at: dt.datetime | None
    allocated_team: Ref

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class EscalationOut(Schema):
    id: uuid.UUID
    team: Ref
    investigation: uuid.UUID | None
    referral: uuid.UUID | None
    trigger: str
    level: int
    detail: str
    raised_at: dt.datetime
    acknowledge_by: dt.datetime
    resolve_by: dt.datetime
    acknowledged_by: Ref | None
    acknowledged_at: dt.datetime | None
    resolved_by: Ref | None
    resolved_at: dt.datetime | None
    outcome: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_investigation(obj):
        return obj.investigation.uuid if obj.investigation_id else None

    @staticmethod
    def resolve_referral(obj):
        return obj.referral.uuid if obj.referral_id else None


class DecisionPointOut(Schema):
    kind: str
    reached_at: dt.datetime
    due_at: dt.datetime
    decided_at: dt.datetime | None
    withdrawn_at: dt.datetime | None


class InvestigationDetailOut(InvestigationOut):
    transitions: list[TransitionOut]
    reassessments: list[ReassessmentOut]
    decisions: list[DecisionOut]
    oversight_reviews: list[ReviewOut]
    escalations: list[EscalationOut]
    decision_points: list[DecisionPointOut]
    allowed_moves: list[str]
    allowed_decisions: list[str]

    # The history is loaded once by `_detail` (selectors.investigation_history).
    @staticmethod
    def resolve_transitions(obj):
        return obj.history["transitions"]

    @staticmethod
    def resolve_reassessments(obj):
        return obj.history["reassessments"]

    @staticmethod
    def resolve_decisions(obj):
        return obj.history["decisions"]

    @staticmethod
    def resolve_oversight_reviews(obj):
        return obj.history["reviews"]

    @staticmethod
    def resolve_escalations(obj):
        return obj.history["escalations"]

    @staticmethod
    def resolve_decision_points(obj):
        return obj.history["decision_points"]

    @staticmethod
    def resolve_allowed_moves(obj):
        return [m.to for m in obj.history["manual_moves"]]

    @staticmethod
    def resolve_allowed_decisions(obj):
        return obj.history["decisions_allowed"]


class ListFilters(Schema):
    state: str = ""
    band: str = ""
    mine: bool = False
    external: bool = False
    sort: str = selectors.DEFAULT_SORT


class TransitionIn(Schema):
    to_state: str
    note: str = ""


class ReassessmentIn(Schema):
    trigger: str
    answers: dict[str, str]
    override_band: str | None = None
    override_rationale: str = ""


class DecisionIn(Schema):
    kind: str
    rationale: str = ""
    exceptional_rationale: str = ""
    override_rationale: str = ""
    # Arrest and voluntary attendance: the suspect welfare prompt (self-harm and suicide).
    welfare_assessment: str = ""
    welfare_measures: str = ""
    # Pre-charge bail: conditions, and the alleged victims' views or why not sought.
    bail_conditions: list[str] = []
    victim_views: str = ""
    victim_views_not_sought_reason: str = ""
    bail_start_date: dt.date | None = None


class ReviewIn(Schema):
    outcome: str
    note: str = ""


class AllocationIn(Schema):
    team: uuid.UUID
    officer: uuid.UUID | None = None


class ResolveIn(Schema):
    outcome: str = ""


class EscalationFilters(Schema):
    status: str = ""
    trigger: str = ""


def _detail(investigation: Investigation) -> Investigation:
    investigation.history = selectors.investigation_history(investigation)
    return investigation


# --- operations --------------------------------------------------------------------------


@router.get("", response=list[InvestigationOut])
@paginate(PageNumberPagination, page_size=50)
def list_investigations(request, filters: Query[ListFilters]):
    """Investigations the caller may see: owning or allocated team in scope. Open ones
    unless a state is given."""
    _require_casework(request)
    return selectors.investigation_list(
        user=request.user,
        state=filters.state,
        band=filters.band,
        mine=filters.mine,
        external=filters.external,
        sort=filters.sort,
    )


@router.get("/oversight-board", response=list[InvestigationOut])
@paginate(PageNumberPagination, page_size=50)
def oversight_board(request, overdue: bool = False):
    """Open investigations of teams the caller supervises, allocated to another unit."""
    _require_supervisor(request)
    return selectors.oversight_board(user=request.user, overdue_only=overdue)


@router.get("/escalations", response=list[EscalationOut])
@paginate(PageNumberPagination, page_size=50)
def list_escalations(request, filters: Query[EscalationFilters]):
    """The escalation log (supervisors and managers of the owning or allocated team)."""
    _require_supervisor(request)
    return selectors.escalation_list(
        user=request.user, status=filters.status, trigger=filters.trigger
    )


@router.get("/escalations/{escalation_id}", response=EscalationOut)
def get_escalation(request, escalation_id: uuid.UUID):
    _require_supervisor(request)
    return selectors.get_escalation_for_user(request.user, escalation_id)


@router.post("/escalations/{escalation_id}/acknowledge", response=EscalationOut)
def acknowledge_escalation(request, escalation_id: uuid.UUID):
    """Acknowledge an escalation: who and when are recorded."""
    _require_supervisor(request)
    entry = selectors.get_escalation_for_user(request.user, escalation_id)
    return services.escalation_acknowledge(actor=request.user, entry=entry)


@router.post("/escalations/{escalation_id}/resolve", response=EscalationOut)
def resolve_escalation(request, escalation_id: uuid.UUID, payload: ResolveIn):
    """Resolve an escalation with its outcome."""
    _require_supervisor(request)
    entry = selectors.get_escalation_for_user(request.user, escalation_id)
    return services.escalation_resolve(actor=request.user, entry=entry, outcome=payload.outcome)


# --- pre-charge bail (point F) -------------------------------------------------------------


class PeriodOut(Schema):
    id: uuid.UUID
    stage: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    ended_early_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    check_due_at: dt.datetime
    authorised_by: Ref
    authorised_at: dt.datetime
    rank_required: str
    authoriser_rank: str
    rationale: str
    court_application: uuid.UUID | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_court_application(obj):
        return obj.court_application.uuid if obj.court_application_id else None


class ConditionOut(Schema):
    id: uuid.UUID
    text: str
    imposed_at: dt.datetime
    imposed_by: Ref
    victim_views: uuid.UUID
    removed_at: dt.datetime | None
    removed_by: Ref | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_victim_views(obj):
        return obj.victim_views.uuid


class VictimViewsOut(Schema):
    id: uuid.UUID
    sought_at: dt.datetime
    recorded_by: Ref
    views: str
    not_sought_reason: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class CheckOut(Schema):
    id: uuid.UUID
    period: uuid.UUID
    checked_at: dt.datetime
    method: str
    outcome: str
    breach_action: str
    note: str
    checked_by: Ref

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_period(obj):
        return obj.period.uuid


class CourtApplicationOut(Schema):
    id: uuid.UUID
    court: str
    grounds: str
    applied_at: dt.datetime
    applied_by: Ref
    bail_expiry_at_application: dt.datetime
    outcome: str
    decided_on: dt.date | None
    new_end_date: dt.date | None
    decision_note: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class BailOut(Schema):
    id: uuid.UUID
    investigation: uuid.UUID
    suspect: Ref
    decision: uuid.UUID
    start_date: dt.date
    started_at: dt.datetime
    stage: str
    ends_at: dt.datetime
    check_due_at: dt.datetime | None
    ended_at: dt.datetime | None
    end_reason: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_investigation(obj):
        return obj.investigation.uuid

    @staticmethod
    def resolve_suspect(obj):
        return obj.investigation.suspect

    @staticmethod
    def resolve_decision(obj):
        return obj.decision.uuid


class BailDetailOut(BailOut):
    periods: list[PeriodOut]
    conditions: list[ConditionOut]
    victim_views: list[VictimViewsOut]
    checks: list[CheckOut]
    court_applications: list[CourtApplicationOut]

    @staticmethod
    def resolve_periods(obj):
        return list(obj.periods.all())

    @staticmethod
    def resolve_conditions(obj):
        return list(obj.conditions.all())

    @staticmethod
    def resolve_victim_views(obj):
        return list(obj.victim_views.all())

    @staticmethod
    def resolve_checks(obj):
        return list(obj.checks.all())

    @staticmethod
    def resolve_court_applications(obj):
        return list(obj.court_applications.all())


class ExtendIn(Schema):
    rationale: str = ""


class ConditionsIn(Schema):
    add: list[str] = []
    remove: list[uuid.UUID] = []
    victim_views: str = ""
    victim_views_not_sought_reason: str = ""


class VictimViewsIn(Schema):
    views: str = ""
    not_sought_reason: str = ""


class CheckIn(Schema):
    method: str
    outcome: str
    checked_at: dt.datetime | None = None
    breach_action: str = ""
    note: str = ""


class CourtApplicationIn(Schema):
    court: str = ""
    grounds: str = ""


class CourtDecisionIn(Schema):
    outcome: str
    decided_on: dt.date | None = None
    new_end_date: dt.date | None = None
    note: str = ""


class BailBoardFilters(Schema):
    expiring_days: int | None = None
    checks_owed: bool = False


@router.get("/bail-board", response=list[BailOut])
@paginate(PageNumberPagination, page_size=50)
def bail_board(request, filters: Query[BailBoardFilters]):
    """Active bails of investigations the caller's teams own (supervisors) or allocated to
    the caller: soonest expiry first, or with `checks_owed`, soonest check due first."""
    if not access.has_role(request.user, "officer", "supervisor", "manager"):
        raise PermissionDenied(_("Your role does not allow this."))
    expiring, checks = selectors.bail_board(user=request.user, expiring_days=filters.expiring_days)
    return checks if filters.checks_owed else expiring


# --- support organisations (point G) --------------------------------------------------------


class OrganisationOut(Schema):
    id: uuid.UUID
    force: str | None = Field(
        description="The code of the force the entry is for; null for a national organisation"
    )
    national: bool
    name_en: str
    name_cy: str
    description_en: str
    description_cy: str
    website: str
    phone: str
    email: str
    details_note: str
    details_confirmed_at: dt.datetime | None
    active: bool
    position: int

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_force(obj):
        return obj.force.code if obj.force else None


class OrganisationIn(Schema):
    force: str | None = Field(
        None,
        description=(
            "The code of the force the entry is for (one you keep entries for). Left out on "
            "a create: your own force; on a change: where the entry is now"
        ),
    )
    national: bool = Field(
        False,
        description="A national organisation, shown to every force (administrators only)",
    )
    name_en: str = ""
    name_cy: str = ""
    description_en: str = ""
    description_cy: str = ""
    website: str = ""
    phone: str = ""
    email: str = ""
    details_note: str = ""
    active: bool = True
    position: int = 0
    confirm_details: bool = False


def _organisation_force(payload: OrganisationIn, default):
    """The force asked for (a Force; None: national), or `default` when neither is given."""
    if payload.national and payload.force:
        raise ValidationFailed(_("Give either a force or national, not both"), field="national")
    if payload.national:
        return None
    if not payload.force:
        return default
    force = Force.objects.filter(code=payload.force).first()
    if force is None:
        raise ValidationFailed(_("There is no force with that code."), field="force")
    return force


def _organisation_fields(payload: OrganisationIn) -> dict:
    return payload.dict(exclude={"force", "national"})


@router.get("/support-organisations", response=list[OrganisationOut])
def list_organisations(request, include_inactive: bool = False):
    """The directory of support organisations for suspects' families, as the caller sees
    it: the national organisations and their own force's, never another force's."""
    _require_casework_or_admin(request)
    return list(
        selectors.support_organisations(user=request.user, active_only=not include_inactive)
    )


@router.post("/support-organisations", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationIn):
    """Add an organisation for the caller's force (managers and administrators) or a
    national one (administrators); audited."""
    services.check_directory_editor(request.user)
    return Status(
        201,
        services.support_organisation_create(
            actor=request.user,
            force=_organisation_force(payload, services.OWN_FORCE),
            **_organisation_fields(payload),
        ),
    )


@router.put("/support-organisations/{organisation_id}", response=OrganisationOut)
def update_organisation(request, organisation_id: uuid.UUID, payload: OrganisationIn):
    """Change an organisation of the caller's force (managers and administrators) or a
    national one (administrators); another force's is 404; audited."""
    services.check_directory_editor(request.user)
    organisation = selectors.get_support_organisation(organisation_id, user=request.user)
    return services.support_organisation_update(
        actor=request.user,
        organisation=organisation,
        force=_organisation_force(payload, services.UNCHANGED),
        **_organisation_fields(payload),
    )


@router.delete("/support-organisations/{organisation_id}", response={204: None})
def delete_organisation(request, organisation_id: uuid.UUID):
    """Remove an organisation the caller keeps (as for a change; audited)."""
    services.check_directory_editor(request.user)
    organisation = selectors.get_support_organisation(organisation_id, user=request.user)
    services.support_organisation_delete(actor=request.user, organisation=organisation)
    return Status(204, None)


@router.get("/{investigation_id}", response=InvestigationDetailOut)
def get_investigation(request, investigation_id: uuid.UUID):
    """One investigation with its history (the read is audited)."""
    return _detail(_investigation(request, investigation_id))


@router.post("/{investigation_id}/transitions", response={201: InvestigationDetailOut})
def transition(request, investigation_id: uuid.UUID, payload: TransitionIn):
    """Move the investigation along the lifecycle (manual moves; decisions make the rest)."""
    investigation = _investigation(request, investigation_id, "edit")
    services.investigation_transition(
        actor=request.user,
        investigation=investigation,
        to_state=payload.to_state,
        note=payload.note,
    )
    return Status(201, _detail(investigation))


@router.post("/{investigation_id}/reassessments", response={201: ReassessmentOut})
def reassess(request, investigation_id: uuid.UUID, payload: ReassessmentIn):
    """Reassess the risk with the referral instrument (answers by question id)."""
    investigation = _investigation(request, investigation_id, "edit")
    reassessment = services.investigation_reassess(
        actor=request.user,
        investigation=investigation,
        trigger=payload.trigger,
        answers=payload.answers,
        override_band=payload.override_band,
        override_rationale=payload.override_rationale,
    )
    return Status(201, reassessment)


@router.post("/{investigation_id}/decisions", response={201: DecisionOut})
def decide(request, investigation_id: uuid.UUID, payload: DecisionIn):
    """Record an enforcement decision. Release under investigation is authorised by the
    caller, whose rank must be at least the policy's (default inspector)."""
    investigation = _investigation(request, investigation_id, "edit")
    decision = services.enforcement_decision_record(
        actor=request.user,
        investigation=investigation,
        kind=payload.kind,
        rationale=payload.rationale,
        exceptional_rationale=payload.exceptional_rationale,
        override_rationale=payload.override_rationale,
        welfare_assessment=payload.welfare_assessment,
        welfare_measures=payload.welfare_measures,
        bail_conditions=payload.bail_conditions,
        victim_views=payload.victim_views,
        victim_views_not_sought_reason=payload.victim_views_not_sought_reason,
        bail_start_date=payload.bail_start_date,
    )
    return Status(201, decision)


@router.post("/{investigation_id}/oversight-reviews", response={201: ReviewOut})
def review(request, investigation_id: uuid.UUID, payload: ReviewIn):
    """Record an owning-team supervisor's oversight review."""
    investigation = _investigation(request, investigation_id, "edit")
    return Status(
        201,
        services.oversight_review_record(
            actor=request.user,
            investigation=investigation,
            outcome=payload.outcome,
            note=payload.note,
        ),
    )


@router.put("/{investigation_id}/allocation", response=InvestigationDetailOut)
def allocate(request, investigation_id: uuid.UUID, payload: AllocationIn):
    """Allocate to a team of the force (and optionally an officer of it)."""
    investigation = _investigation(request, investigation_id, "edit")
    team = Team.objects.filter(uuid=payload.team).first()
    if team is None:
        raise ValidationFailed(_("Choose a team of this force"), field="team")
    officer = None
    if payload.officer is not None:
        officer = User.objects.filter(uuid=payload.officer, is_active=True).first()
        if officer is None:
            raise ValidationFailed(_("Choose an officer who works in that team"), field="officer")
    services.investigation_allocate(
        actor=request.user, investigation=investigation, team=team, officer=officer
    )
    return _detail(investigation)


# --- pre-charge bail of one investigation ---------------------------------------------------


def _active_bail(request, investigation_id: uuid.UUID):
    investigation = _investigation(request, investigation_id, "edit")
    bail = selectors.active_bail(investigation)
    if bail is None:
        raise Conflict(_("The suspect is not on pre-charge bail."))
    bail.investigation = investigation
    return bail


def _bail_detail(bail):
    return next(b for b in selectors.bail_history(bail.investigation) if b.pk == bail.pk)


@router.get("/{investigation_id}/bails", response=list[BailDetailOut])
def list_bails(request, investigation_id: uuid.UUID):
    """Every bail of the investigation, newest first, with periods, conditions, victims'
    views, condition checks and court applications."""
    return selectors.bail_history(_investigation(request, investigation_id))


@router.post("/{investigation_id}/bail/extensions", response={201: PeriodOut})
def extend_bail(request, investigation_id: uuid.UUID, payload: ExtendIn):
    """Extend the active bail to its next stage, authorised by the caller (whose rank must
    be the stage's: inspector to 6 months, superintendent to 9, by default from PACE)."""
    bail = _active_bail(request, investigation_id)
    return Status(
        201, services.bail_extend(actor=request.user, bail=bail, rationale=payload.rationale)
    )


@router.post("/{investigation_id}/bail/conditions", response=BailDetailOut)
def vary_conditions(request, investigation_id: uuid.UUID, payload: ConditionsIn):
    """Add and remove conditions of the active bail, with the alleged victims' views."""
    bail = _active_bail(request, investigation_id)
    services.bail_conditions_vary(
        actor=request.user,
        bail=bail,
        add=payload.add,
        remove=payload.remove,
        victim_views=payload.victim_views,
        victim_views_not_sought_reason=payload.victim_views_not_sought_reason,
    )
    return _bail_detail(bail)


@router.post("/{investigation_id}/bail/victim-views", response={201: VictimViewsOut})
def record_victim_views(request, investigation_id: uuid.UUID, payload: VictimViewsIn):
    """Record the alleged victims' views (or why not sought) before conditions change."""
    bail = _active_bail(request, investigation_id)
    return Status(
        201,
        services.bail_victim_views_record(
            actor=request.user,
            bail=bail,
            views=payload.views,
            not_sought_reason=payload.not_sought_reason,
        ),
    )


@router.post("/{investigation_id}/bail/checks", response={201: CheckOut})
def record_check(request, investigation_id: uuid.UUID, payload: CheckIn):
    """Record a condition check of the active bail (default: now)."""
    bail = _active_bail(request, investigation_id)
    return Status(
        201,
        services.bail_condition_check_record(
            actor=request.user,
            bail=bail,
            method=payload.method,
            outcome=payload.outcome,
            checked_at=payload.checked_at,
            breach_action=payload.breach_action,
            note=payload.note,
        ),
    )


@router.post("/{investigation_id}/bail/court-applications", response={201: CourtApplicationOut})
def apply_to_court(request, investigation_id: uuid.UUID, payload: CourtApplicationIn):
    """Record an application to a magistrates' court to extend bail (before it expires)."""
    bail = _active_bail(request, investigation_id)
    return Status(
        201,
        services.bail_court_application_record(
            actor=request.user, bail=bail, court=payload.court, grounds=payload.grounds
        ),
    )


@router.put(
    "/{investigation_id}/bail/court-applications/{application_id}/decision",
    response=CourtApplicationOut,
)
def court_decision(
    request, investigation_id: uuid.UUID, application_id: uuid.UUID, payload: CourtDecisionIn
):
    """Record the court's decision (granted with the new last day of bail, or refused)."""
    investigation = _investigation(request, investigation_id, "edit")
    application = selectors.get_court_application_for_user(request.user, application_id)
    if application.bail.investigation_id != investigation.pk:
        raise NotFound(_("There is no court application with that id."))
    return services.bail_court_decision_record(
        actor=request.user,
        application=application,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
        new_end_date=payload.new_end_date,
        note=payload.note,
    )


# --- support for the suspect's family ----------------------------------------------------------


class FamilySupportOut(Schema):
    id: uuid.UUID
    investigation: uuid.UUID
    status: str
    offered_on: dt.date
    officer: Ref
    reason: str
    leaflet_language: str
    recorded_at: dt.datetime
    due_on: dt.date | None
    in_time: bool | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_investigation(obj):
        return obj.investigation.uuid

    @staticmethod
    def resolve_due_on(obj):
        return obj.investigation.family_support_due_on

    @staticmethod
    def resolve_in_time(obj):
        due = obj.investigation.family_support_due_on
        return None if due is None else obj.offered_on <= due


class FamilySupportIn(Schema):
    status: str
    offered_on: dt.date | None = None
    reason: str = ""
    leaflet_language: str = ""


class FamilySupportUpdateIn(Schema):
    status: str
    reason: str = ""
    leaflet_language: str | None = None


@router.get("/{investigation_id}/family-support", response=FamilySupportOut)
def get_family_support(request, investigation_id: uuid.UUID):
    """The offer of support to the suspect's family (404 when none is recorded)."""
    investigation = _investigation(request, investigation_id)
    offer = selectors.get_family_support(investigation)
    if offer is None:
        raise NotFound(_("No offer of support to the family is recorded."))
    offer.investigation = investigation
    return offer


@router.post("/{investigation_id}/family-support", response={201: FamilySupportOut})
def record_family_support(request, investigation_id: uuid.UUID, payload: FamilySupportIn):
    """Record the offer: offered, accepted, declined or not applicable (with a reason)."""
    investigation = _investigation(request, investigation_id, "edit")
    offer = services.family_support_record(
        actor=request.user,
        investigation=investigation,
        status=payload.status,
        offered_on=payload.offered_on,
        reason=payload.reason,
        leaflet_language=payload.leaflet_language,
    )
    offer.investigation = investigation
    return Status(201, offer)


@router.patch("/{investigation_id}/family-support", response=FamilySupportOut)
def update_family_support(request, investigation_id: uuid.UUID, payload: FamilySupportUpdateIn):
    """Update the offer (accepted or declined later, a reason); its date stays."""
    investigation = _investigation(request, investigation_id, "edit")
    offer = selectors.get_family_support(investigation)
    if offer is None:
        raise NotFound(_("No offer of support to the family is recorded."))
    services.family_support_update(
        actor=request.user,
        offer=offer,
        status=payload.status,
        reason=payload.reason,
        leaflet_language=payload.leaflet_language,
    )
    offer.investigation = investigation
    return offer
