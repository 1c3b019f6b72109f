"""Offender management through the API: the same selectors, services and access rules as
the pages. Missing and out of scope are 404; a role that may not do something is 403."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.accounts.models import Force, Team
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.duties.selectors import assignable_officers
from vigil.offenders import selectors, services
from vigil.offenders.models import Order
from vigil.people.selectors import visible_people

router = Router(tags=["offenders"])


def _casework(request) -> None:
    if not access.is_casework_user(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


def _nominal(request, nominal_id, action="view"):
    _casework(request)
    return selectors.get_nominal_for_user(request.user, nominal_id, action)


def _user(team, user_id, field):
    if user_id is None:
        return None
    user = assignable_officers(team=team).filter(uuid=user_id).first()
    if user is None:
        raise ValidationFailed(
            _("Choose an officer who works in %(team)s") % {"team": team.name}, field=field
        )
    return user


class _Id(Schema):
    id: uuid.UUID

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


# --- schemas ------------------------------------------------------------------------------


class NominalOut(_Id):
    person_id: uuid.UUID
    team_id: uuid.UUID
    offender_manager_id: uuid.UUID | None
    status: str
    mappa_category: int | None
    mappa_level: int | None
    financial_details_held: bool
    risk_level: str
    management_mode: str

    @staticmethod
    def resolve_person_id(obj):
        return obj.person.uuid

    @staticmethod
    def resolve_team_id(obj):
        return obj.team.uuid

    @staticmethod
    def resolve_offender_manager_id(obj):
        return obj.offender_manager.uuid if obj.offender_manager_id else None


class NominalListOut(NominalOut):
    is_complete: bool
    next_due: dt.datetime | None


class NominalIn(Schema):
    person_id: uuid.UUID
    team_id: uuid.UUID
    offender_manager_id: uuid.UUID | None = None
    status: str = "active"
    mappa_category: int | None = 1
    mappa_level: int | None = 1
    financial_details_held: bool = False


class NominalPatch(Schema):
    status: str | None = None
    offender_manager_id: uuid.UUID | None = None
    mappa_category: int | None = None
    mappa_level: int | None = None
    financial_details_held: bool | None = None


class RequirementIn(Schema):
    start_date: dt.date
    disposal: str
    custodial_months: int | None = None
    discharge_months: int | None = None
    under_18: bool = False
    offence: str = ""


class RequirementOut(_Id):
    start_date: dt.date
    disposal: str
    custodial_months: int | None
    discharge_months: int | None
    under_18: bool
    period_months: int | None
    end_date: dt.date | None
    review_date: dt.date | None


class NotificationIn(Schema):
    kind: str
    event_date: dt.date
    details: str = ""


class NotificationRecordIn(Schema):
    notified_on: dt.date
    details: str = ""


class NotificationOut(_Id):
    kind: str
    status: str
    event_date: dt.date
    due_date: dt.date
    notified_on: dt.date | None
    on_time: bool | None


class OrderIn(Schema):
    kind: str
    start_date: dt.date
    end_date: dt.date | None = None
    prohibitions: str = ""
    requirements: str = ""
    court: str = ""
    description: str = ""


class OrderPatch(Schema):
    kind: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    prohibitions: str | None = None
    requirements: str | None = None
    court: str | None = None
    description: str | None = None


class OrderOut(_Id):
    kind: str
    start_date: dt.date
    end_date: dt.date | None
    prohibitions: str
    requirements: str
    court: str
    description: str


class BreachIn(Schema):
    occurred_on: dt.date
    summary: str
    order_id: uuid.UUID | None = None
    action_taken: str = ""


class BreachOut(_Id):
    occurred_on: dt.date
    summary: str


class ArmsIn(Schema):
    answers: dict[str, str]
    formulation: str
    judgement_level: str
    static_tool: str
    static_band: str
    static_tool_version: str
    trigger: str = "scheduled"


class ArmsOut(_Id):
    risk_level: str
    static_tool: str
    static_band: str
    static_tool_version: str
    trigger: str
    completed_at: dt.datetime
    approved_at: dt.datetime | None
    review_id: uuid.UUID | None

    @staticmethod
    def resolve_review_id(obj):
        review = getattr(obj, "review", None)
        return review.uuid if review else None


class PlanActionIn(Schema):
    category: str
    description: str
    owner: str
    due_date: dt.date


class PlanIn(Schema):
    visit_every_months: int
    review_due: dt.date
    summary: str = ""
    actions: list[PlanActionIn] = []


class PlanActionOut(Schema):
    category: str
    description: str
    owner: str
    due_date: dt.date


class PlanOut(_Id):
    version: int
    visit_every_months: int
    review_due: dt.date
    summary: str
    risk_level: str
    approved_at: dt.datetime | None
    actions: list[PlanActionOut]

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())


class VisitIn(Schema):
    visited_at: dt.datetime
    location: str
    announced: bool
    officer_ids: list[uuid.UUID]
    access: str
    outcome: str
    concerns: str = ""
    intelligence_submitted: bool = False
    notification_checked: bool = False


class VisitOut(_Id):
    visited_at: dt.datetime
    location: str
    announced: bool
    officer_ids: list[uuid.UUID]
    access: str
    outcome: str
    concerns: str
    intelligence_submitted: bool
    notification_checked: bool
    compliant: bool
    authorised: bool
    authorised_in_time: bool | None

    @staticmethod
    def resolve_officer_ids(obj):
        return [o.uuid for o in obj.officers.all()]

    @staticmethod
    def resolve_authorised(obj):
        return hasattr(obj, "authorisation")

    @staticmethod
    def resolve_authorised_in_time(obj):
        return obj.authorisation.in_time if hasattr(obj, "authorisation") else None


class AuthoriseIn(Schema):
    rationale: str
    decided_at: dt.datetime | None = None


class AuthorisationOut(_Id):
    authorised_at: dt.datetime
    rationale: str
    in_time: bool


class ReviewIn(Schema):
    outcome: str
    actions: str = ""


class ReviewOut(_Id):
    nominal_id: uuid.UUID
    subject: str
    due_at: dt.datetime
    outcome: str
    actions: str
    reviewed_at: dt.datetime | None

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid


class IntelligenceIn(Schema):
    received_on: dt.date
    source: str
    summary: str


class IntelligenceReviewIn(Schema):
    note: str
    arms_needed: bool = False


class IntelligenceOut(_Id):
    received_on: dt.date
    source: str
    summary: str
    reviewed_at: dt.datetime | None
    arms_needed: bool


class PndCheckIn(Schema):
    checked_on: dt.date
    result: str
    summary: str = ""
    officer_id: uuid.UUID | None = None


class PndAssessIn(Schema):
    action_taken: str


class PndCheckOut(_Id):
    nominal_id: uuid.UUID
    checked_on: dt.date
    officer_id: uuid.UUID
    result: str
    summary: str
    assessed_by_id: uuid.UUID | None
    assessed_at: dt.datetime | None
    action_taken: str

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid

    @staticmethod
    def resolve_officer_id(obj):
        return obj.officer.uuid

    @staticmethod
    def resolve_assessed_by_id(obj):
        return obj.assessed_by.uuid if obj.assessed_by_id else None


class ConditionOut(Schema):
    code: str
    label: str
    met: bool
    reason: str


class ManagementOut(Schema):
    nominal_id: uuid.UUID
    management_mode: str
    review_called_for_on: dt.date | None
    all_met: bool
    conditions: list[ConditionOut]


class ModeDecisionOut(_Id):
    nominal_id: uuid.UUID
    kind: str
    status: str
    proposed_by_id: uuid.UUID
    proposed_at: dt.datetime
    proposal: str
    decided_by_id: uuid.UUID | None
    decided_at: dt.datetime | None
    rationale: str
    next_review_due: dt.date | None
    conditions: list[dict]

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid

    @staticmethod
    def resolve_proposed_by_id(obj):
        return obj.proposed_by.uuid

    @staticmethod
    def resolve_decided_by_id(obj):
        return obj.decided_by.uuid if obj.decided_by_id else None


class ReactiveRequestIn(Schema):
    proposal: str


class ModeDecideIn(Schema):
    approve: bool
    rationale: str


class ReactiveReviewIn(Schema):
    outcome: str
    rationale: str


class ReturnActiveIn(Schema):
    reason: str


class ReactiveRowOut(Schema):
    """One row of `selectors.reactive_list`: (nominal, assessment)."""

    nominal_id: uuid.UUID
    all_met: bool
    conditions: list[ConditionOut]

    @staticmethod
    def resolve_nominal_id(row):
        return row.nominal.uuid

    @staticmethod
    def resolve_all_met(row):
        return row.assessment.all_met

    @staticmethod
    def resolve_conditions(row):
        return [c.__dict__ for c in row.assessment.conditions]


class TransferIn(Schema):
    to_force_id: uuid.UUID
    reason: str


class TransferAcceptIn(Schema):
    team_id: uuid.UUID
    offender_manager_id: uuid.UUID


class TransferDeclineIn(Schema):
    reason: str


class TransferOut(_Id):
    nominal_id: uuid.UUID
    from_team_id: uuid.UUID
    to_force_id: uuid.UUID
    reason: str
    requested_at: dt.datetime
    status: str
    decided_at: dt.datetime | None
    decision_reason: str
    to_team_id: uuid.UUID | None
    to_manager_id: uuid.UUID | None

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid

    @staticmethod
    def resolve_from_team_id(obj):
        return obj.from_team.uuid

    @staticmethod
    def resolve_to_force_id(obj):
        return obj.to_force.uuid

    @staticmethod
    def resolve_to_team_id(obj):
        return obj.to_team.uuid if obj.to_team_id else None

    @staticmethod
    def resolve_to_manager_id(obj):
        return obj.to_manager.uuid if obj.to_manager_id else None


def _management(nominal, include_approval=None) -> dict:
    reactive = nominal.management_mode == "reactive"
    assessment = services.reactive_assessment(
        nominal, include_approval=reactive if include_approval is None else include_approval
    )
    return {
        "nominal_id": nominal.uuid,
        "management_mode": nominal.management_mode,
        "review_called_for_on": nominal.reactive_review_triggered_on,
        "all_met": assessment.all_met,
        "conditions": [c.__dict__ for c in assessment.conditions],
    }


# --- collection-level (declared before /{nominal_id}) -----------------------------------


@router.get("", response=list[NominalListOut])
@paginate(PageNumberPagination, page_size=50)
def list_nominals(request, mine: bool = False, status: str = "", risk: str = "", sort: str = "due"):
    """Nominals the caller may see (their own caseload with `mine`), sortable by risk and
    next due date."""
    _casework(request)
    return selectors.nominal_list(user=request.user, mine=mine, status=status, risk=risk, sort=sort)


@router.post("", response={201: NominalOut})
def register_nominal(request, payload: NominalIn):
    """Register a person (one the caller may see) as a nominal of a MOSOVO team."""
    _casework(request)
    person = visible_people(request.user).filter(uuid=payload.person_id).first()
    team = Team.objects.filter(uuid=payload.team_id).first()
    if person is None or team is None:
        raise NotFound(_("There is no person or team with that id you can reach."))
    nominal = services.nominal_register(
        actor=request.user,
        person=person,
        team=team,
        offender_manager=_user(team, payload.offender_manager_id, "offender_manager_id"),
        status=payload.status,
        mappa_category=payload.mappa_category,
        mappa_level=payload.mappa_level,
        financial_details_held=payload.financial_details_held,
    )
    return Status(201, nominal)


@router.get("/reviews", response=list[ReviewOut])
@paginate(PageNumberPagination, page_size=50)
def review_queue(request):
    """Open supervisor reviews of the teams the caller supervises."""
    if not access.is_supervisor(request.user):
        raise PermissionDenied(_("Only supervisors and managers have a review queue."))
    return selectors.review_queue(user=request.user)


@router.post("/reviews/{review_id}", response=ReviewOut)
def record_review(request, review_id: uuid.UUID, payload: ReviewIn):
    """Approve, or return with actions, a completed ARMS, plan or visit."""
    _casework(request)
    review = selectors.get_review_for_user(request.user, review_id)
    return services.review_record(actor=request.user, review=review, **payload.dict())


@router.post("/notifications/{event_id}/record", response=NotificationOut)
def record_notification(request, event_id: uuid.UUID, payload: NotificationRecordIn):
    _casework(request)
    event = selectors.get_notification_for_user(request.user, event_id)
    return services.notification_record(actor=request.user, event=event, **payload.dict())


@router.patch("/orders/{order_id}", response=OrderOut)
def update_order(request, order_id: uuid.UUID, payload: OrderPatch):
    _casework(request)
    order = selectors.get_order_for_user(request.user, order_id)
    return services.order_update(
        actor=request.user, order=order, **payload.dict(exclude_unset=True)
    )


@router.get("/visits/{visit_id}", response=VisitOut)
def get_visit(request, visit_id: uuid.UUID):
    _casework(request)
    return selectors.get_visit_for_user(request.user, visit_id)


@router.post("/visits/{visit_id}/authorisation", response={201: AuthorisationOut})
def authorise_visit(request, visit_id: uuid.UUID, payload: AuthoriseIn):
    """Authorise an announced or single-officer visit (rank set in policy)."""
    _casework(request)
    visit = selectors.get_visit_for_user(request.user, visit_id)
    return Status(201, services.visit_authorise(actor=request.user, visit=visit, **payload.dict()))


@router.post("/intelligence/{entry_id}/review", response=IntelligenceOut)
def review_intelligence(request, entry_id: uuid.UUID, payload: IntelligenceReviewIn):
    _casework(request)
    entry = selectors.get_intelligence_for_user(request.user, entry_id)
    return services.intelligence_review(actor=request.user, entry=entry, **payload.dict())


@router.get("/reactive", response=list[ReactiveRowOut])
@paginate(PageNumberPagination, page_size=50)
def reactive_list(request, unmet_only: bool = False):
    """Reactively managed nominals the caller may see, with every condition now: those
    with a condition no longer met first (only those with `unmet_only`), then by name."""
    _casework(request)
    return selectors.reactive_list(user=request.user, unmet_only=unmet_only)


@router.post("/management-decisions/{decision_id}", response=ModeDecisionOut)
def decide_reactive(request, decision_id: uuid.UUID, payload: ModeDecideIn):
    """Approve or decline a request for reactive management (rank set in policy)."""
    _casework(request)
    decision = selectors.get_mode_decision_for_user(request.user, decision_id)
    return services.reactive_decide(actor=request.user, decision=decision, **payload.dict())


@router.post("/pnd-checks/{check_id}/assessment", response=PndCheckOut)
def assess_pnd_check(request, check_id: uuid.UUID, payload: PndAssessIn):
    _casework(request)
    check = selectors.get_pnd_check_for_user(request.user, check_id)
    return services.pnd_check_assess(actor=request.user, check=check, **payload.dict())


@router.get("/transfers", response=list[TransferOut])
def incoming_transfers(request):
    """Transfer requests waiting for the caller's force (receiving supervisors)."""
    _casework(request)
    return list(selectors.incoming_transfers(user=request.user))


def _transfer(request, transfer_id):
    _casework(request)
    try:
        return selectors.get_transfer_for_user(request.user, transfer_id)
    except NotFound:
        raise NotFound(
            _("There is no transfer with that id, or you do not have access to it.")
        ) from None


@router.post("/transfers/{transfer_id}/accept", response=TransferOut)
def accept_transfer(request, transfer_id: uuid.UUID, payload: TransferAcceptIn):
    """Accept a transfer into the caller's force, naming the team and offender manager."""
    transfer = _transfer(request, transfer_id)
    team = Team.objects.filter(uuid=payload.team_id).first()
    if team is None:
        raise ValidationFailed(_("Choose a MOSOVO team of your force"), field="team_id")
    return services.transfer_accept(
        actor=request.user,
        transfer=transfer,
        team=team,
        offender_manager=_user(team, payload.offender_manager_id, "offender_manager_id"),
    )


@router.post("/transfers/{transfer_id}/decline", response=TransferOut)
def decline_transfer(request, transfer_id: uuid.UUID, payload: TransferDeclineIn):
    transfer = _transfer(request, transfer_id)
    return services.transfer_decline(actor=request.user, transfer=transfer, reason=payload.reason)


# --- one nominal ---------------------------------------------------------------------------


@router.get("/{nominal_id}", response=NominalOut)
def get_nominal(request, nominal_id: uuid.UUID):
    """One nominal (the read is audited)."""
    return _nominal(request, nominal_id)


@router.patch("/{nominal_id}", response=NominalOut)
def update_nominal(request, nominal_id: uuid.UUID, payload: NominalPatch):
    """Change status, offender manager, MAPPA or the financial-details flag."""
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict(exclude_unset=True)
    kwargs = {
        k: data[k]
        for k in ("status", "mappa_category", "mappa_level", "financial_details_held")
        if k in data
    }
    if "offender_manager_id" in data:
        kwargs["offender_manager"] = _user(
            nominal.team, data["offender_manager_id"], "offender_manager_id"
        )
    return services.nominal_update(actor=request.user, nominal=nominal, **kwargs)


@router.post("/{nominal_id}/requirements", response={201: RequirementOut})
def add_requirement(request, nominal_id: uuid.UUID, payload: RequirementIn):
    """Notification requirements, with the s82 period computed."""
    nominal = _nominal(request, nominal_id, "edit")
    return Status(
        201, services.requirement_add(actor=request.user, nominal=nominal, **payload.dict())
    )


@router.get("/{nominal_id}/notifications", response=list[NotificationOut])
def list_notifications(request, nominal_id: uuid.UUID):
    return list(_nominal(request, nominal_id).notifications.all())


@router.post("/{nominal_id}/notifications", response={201: NotificationOut})
def open_notification(request, nominal_id: uuid.UUID, payload: NotificationIn):
    nominal = _nominal(request, nominal_id, "edit")
    return Status(
        201, services.notification_open(actor=request.user, nominal=nominal, **payload.dict())
    )


@router.get("/{nominal_id}/orders", response=list[OrderOut])
def list_orders(request, nominal_id: uuid.UUID):
    return list(_nominal(request, nominal_id).orders.all())


@router.post("/{nominal_id}/orders", response={201: OrderOut})
def add_order(request, nominal_id: uuid.UUID, payload: OrderIn):
    nominal = _nominal(request, nominal_id, "edit")
    return Status(201, services.order_add(actor=request.user, nominal=nominal, **payload.dict()))


@router.post("/{nominal_id}/breaches", response={201: BreachOut})
def add_breach(request, nominal_id: uuid.UUID, payload: BreachIn):
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict()
    order_id = data.pop("order_id")
    order = Order.objects.filter(nominal=nominal, uuid=order_id).first() if order_id else None
    if order_id and order is None:
        raise ValidationFailed(_("Choose one of this nominal's orders"), field="order_id")
    return Status(
        201, services.breach_record(actor=request.user, nominal=nominal, order=order, **data)
    )


@router.get("/{nominal_id}/arms", response=list[ArmsOut])
def list_arms(request, nominal_id: uuid.UUID):
    return list(selectors.arms_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/arms", response={201: ArmsOut})
def record_arms(request, nominal_id: uuid.UUID, payload: ArmsIn):
    """A completed ARMS assessment with the assessor's static tool result."""
    nominal = _nominal(request, nominal_id, "edit")
    return Status(201, services.arms_record(actor=request.user, nominal=nominal, **payload.dict()))


@router.get("/{nominal_id}/plans", response=list[PlanOut])
def list_plans(request, nominal_id: uuid.UUID):
    return list(selectors.plans_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/plans", response={201: PlanOut})
def create_plan(request, nominal_id: uuid.UUID, payload: PlanIn):
    """A new version of the risk management plan."""
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict()
    return Status(201, services.plan_create(actor=request.user, nominal=nominal, **data))


@router.get("/{nominal_id}/visits", response=list[VisitOut])
def list_visits(request, nominal_id: uuid.UUID):
    return list(selectors.visits_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/visits", response={201: VisitOut})
def record_visit(request, nominal_id: uuid.UUID, payload: VisitIn):
    """Record a home visit; announced or single-officer visits then need authorisation."""
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict()
    ids = data.pop("officer_ids")
    officers = list(selectors.officers_for_visit(nominal).filter(uuid__in=ids))
    if len(officers) != len(set(ids)):
        raise ValidationFailed(
            _("Choose officers who work in the managing team"), field="officer_ids"
        )
    data["access_result"] = data.pop("access")
    return Status(
        201, services.visit_record(actor=request.user, nominal=nominal, officers=officers, **data)
    )


@router.get("/{nominal_id}/reviews", response=list[ReviewOut])
def list_reviews(request, nominal_id: uuid.UUID):
    return list(selectors.reviews_for(_nominal(request, nominal_id)))


@router.get("/{nominal_id}/intelligence", response=list[IntelligenceOut])
def list_intelligence(request, nominal_id: uuid.UUID):
    return list(_nominal(request, nominal_id).intelligence.all())


@router.post("/{nominal_id}/intelligence", response={201: IntelligenceOut})
def add_intelligence(request, nominal_id: uuid.UUID, payload: IntelligenceIn):
    nominal = _nominal(request, nominal_id, "edit")
    return Status(
        201, services.intelligence_record(actor=request.user, nominal=nominal, **payload.dict())
    )


@router.get("/{nominal_id}/pnd-checks", response=list[PndCheckOut])
def list_pnd_checks(request, nominal_id: uuid.UUID):
    return list(selectors.pnd_checks_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/pnd-checks", response={201: PndCheckOut})
def record_pnd_check(request, nominal_id: uuid.UUID, payload: PndCheckIn):
    """A PND check (then assessed through /pnd-checks/{id}/assessment)."""
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict()
    officer_id = data.pop("officer_id")
    officer = _user(nominal.team, officer_id, "officer_id") if officer_id else None
    return Status(
        201,
        services.pnd_check_record(actor=request.user, nominal=nominal, officer=officer, **data),
    )


@router.get("/{nominal_id}/management", response=ManagementOut)
def get_management(request, nominal_id: uuid.UUID):
    """The management mode and the reactive-management conditions now."""
    return _management(_nominal(request, nominal_id))


@router.get("/{nominal_id}/management/decisions", response=list[ModeDecisionOut])
def list_mode_decisions(request, nominal_id: uuid.UUID):
    return list(selectors.mode_decisions_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/management/reactive", response={201: ModeDecisionOut})
def request_reactive(request, nominal_id: uuid.UUID, payload: ReactiveRequestIn):
    """Ask for reactive management: refused (422) with every unmet condition, one error
    per condition (field = the condition's code)."""
    nominal = _nominal(request, nominal_id, "edit")
    return Status(
        201, services.reactive_request(actor=request.user, nominal=nominal, **payload.dict())
    )


@router.post("/{nominal_id}/management/review", response=ModeDecisionOut)
def review_reactive(request, nominal_id: uuid.UUID, payload: ReactiveReviewIn):
    """The eligibility review of a reactively managed nominal (stay, or return)."""
    nominal = _nominal(request, nominal_id, "edit")
    return services.reactive_review_record(actor=request.user, nominal=nominal, **payload.dict())


@router.post("/{nominal_id}/management/active", response=ModeDecisionOut)
def return_to_active(request, nominal_id: uuid.UUID, payload: ReturnActiveIn):
    nominal = _nominal(request, nominal_id, "edit")
    return services.reactive_return(actor=request.user, nominal=nominal, **payload.dict())


@router.get("/{nominal_id}/transfers", response=list[TransferOut])
def list_transfers(request, nominal_id: uuid.UUID):
    return list(selectors.transfers_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/transfers", response={201: TransferOut})
def request_transfer(request, nominal_id: uuid.UUID, payload: TransferIn):
    """Ask another force to take over the management of the nominal."""
    nominal = _nominal(request, nominal_id, "edit")
    force = Force.objects.filter(uuid=payload.to_force_id).first()
    if force is None:
        raise ValidationFailed(
            _("Choose the force to transfer the management to"), field="to_force_id"
        )
    return Status(
        201,
        services.transfer_request(
            actor=request.user, nominal=nominal, to_force=force, reason=payload.reason
        ),
    )
