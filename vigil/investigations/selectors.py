"""Permission-scoped reads of investigations, the oversight board and the escalation log.

Scope: an investigation is visible to casework users of its owning team OR of the team it
is allocated to (an officer of another unit works the case; POLIT keeps oversight). A
suspect under a need-to-know restriction hides the investigation from anyone not named.
Every list costs a fixed number of queries whatever its length.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES, Role
from vigil.core import clock
from vigil.core.exceptions import NotFound
from vigil.investigations import lifecycle
from vigil.investigations.choices import OPEN_STATES, EscalationStatus
from vigil.investigations.models import (
    EscalationLogEntry,
    Investigation,
    OversightReview,
    Reassessment,
)
from vigil.people.models import Person

SORTS = {
    "opened": "opened_at",
    "state": "state",
    "band": "risk_band",
    "reassessment": "reassessment_due_at",
    "suspect": "suspect__family_name",
}
DEFAULT_SORT = "-opened"


def _not_found() -> NotFound:
    return NotFound(_("There is no investigation with that id, or you do not have access to it."))


def _suspect_visible_q(user, prefix: str = "") -> Q:
    named = Exists(
        Person.restricted_to.through.objects.filter(
            person_id=OuterRef(f"{prefix}suspect_id"), user_id=user.pk
        )
    )
    return Q(**{f"{prefix}suspect__is_restricted": False}) | Q(named)


def visible_investigations(user) -> QuerySet[Investigation]:
    """Investigations whose owning or allocated team the user reaches in casework, with a
    suspect the user may see."""
    if not access.is_casework_user(user):
        return Investigation.objects.none()
    scope = access.teams_q(user, CASEWORK_ROLES, team_field="owning_team") | access.teams_q(
        user, CASEWORK_ROLES, team_field="allocated_team"
    )
    return Investigation.objects.filter(scope).filter(_suspect_visible_q(user))


def restricted_hidden(user) -> bool:
    """Whether the list leaves out an investigation of a team the user reaches because its
    suspect is restricted and the user not named (of the whole scope, never a filter's
    results, and never how many: see people.selectors.restricted_hidden)."""
    if not access.is_casework_user(user):
        return False
    scope = access.teams_q(user, CASEWORK_ROLES, team_field="owning_team") | access.teams_q(
        user, CASEWORK_ROLES, team_field="allocated_team"
    )
    return (
        Investigation.objects.filter(scope, suspect__is_restricted=True)
        .exclude(_suspect_visible_q(user))
        .exists()
    )


def allocated_suspects_q(user) -> Q:
    """A Q on Person: the suspects of investigations allocated to a team the user reaches
    in casework (the people app widens its scope with it, so that an officer in the unit
    doing the work can open the suspect's record)."""
    allocated = Investigation.objects.filter(
        access.teams_q(user, CASEWORK_ROLES, team_field="allocated_team"),
        suspect_id=OuterRef("pk"),
    )
    return Q(Exists(allocated))


def investigation_list(
    *,
    user,
    state: str = "",
    band: str = "",
    mine: bool = False,
    external: bool = False,
    open_only: bool = True,
    sort: str = DEFAULT_SORT,
) -> QuerySet[Investigation]:
    """The list of investigations, filtered; one query per page (teams, suspect and
    officer joined)."""
    qs = visible_investigations(user).select_related(
        "suspect", "owning_team", "allocated_team", "allocated_officer", "referral"
    )
    if state:
        qs = qs.filter(state=state)
    elif open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if band:
        qs = qs.filter(risk_band=band)
    if mine:
        qs = qs.filter(allocated_officer=user)
    if external:
        qs = qs.exclude(allocated_team=F("owning_team"))
    key = sort.lstrip("-") if sort else ""
    field = SORTS.get(key, "opened_at")
    if key not in SORTS:
        sort = DEFAULT_SORT
    order = ("-" if sort.startswith("-") else "") + field
    return qs.order_by(order, "-id")


def get_investigation_for_user(user, uuid, action: str = "view") -> Investigation:
    """The investigation with public id `uuid`, if the user may see it; the read is audited
    against the suspect. Missing and forbidden are both NotFound."""
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise _not_found() from None
    investigation = (
        visible_investigations(user)
        .select_related(
            "suspect",
            "owning_team",
            "owning_team__force",
            "allocated_team",
            "allocated_officer",
            "referral",
        )
        .filter(uuid=key)
        .first()
    )
    if investigation is None:
        raise _not_found()
    changes = {} if action == "view" else {"purpose": action}
    audit.record(
        user, "investigation.view", investigation, person=investigation.suspect, changes=changes
    )
    return investigation


def can_supervise(user, investigation: Investigation) -> bool:
    """Whether the user supervises the owning team (oversight review, allocation)."""
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    team = investigation.owning_team
    return team.pk in team_ids or team.force_id in force_ids


@dataclass
class TimelineEvent:
    at: object
    kind: str  # transition, reassessment, decision, review, escalation
    title: str
    by: object
    detail: str = ""
    obj: object = None


def investigation_history(investigation: Investigation) -> dict:
    """Everything the investigation page shows, in a fixed number of queries: transitions,
    reassessments (with band changes), decisions, oversight reviews, escalations, decision
    points, and the timeline merging them newest first."""
    transitions = list(investigation.transitions.select_related("actor"))
    reassessments = list(investigation.reassessments.select_related("assessed_by", "assessment"))
    decisions = list(
        investigation.decisions.select_related(
            "decided_by", "authorised_by", "override_by", "preceding_reassessment"
        )
    )
    reviews = list(investigation.oversight_reviews.select_related("reviewed_by", "allocated_team"))
    escalations = list(investigation.escalations.select_related("acknowledged_by", "resolved_by"))
    points = list(investigation.decision_points.all())
    timeline: list[TimelineEvent] = []
    for t in transitions:
        title = (
            _("Opened in %(state)s") % {"state": t.get_to_state_display()}
            if not t.from_state
            else _("%(from)s → %(to)s")
            % {"from": t.get_from_state_display(), "to": t.get_to_state_display()}
        )
        timeline.append(TimelineEvent(t.at, "transition", title, t.actor, t.note, t))
    for r in reassessments:
        timeline.append(
            TimelineEvent(
                r.assessed_at,
                "reassessment",
                _("Risk assessed: %(band)s (%(trigger)s)")
                % {"band": r.get_band_display(), "trigger": r.get_trigger_display()},
                r.assessed_by,
                "",
                r,
            )
        )
    for d in decisions:
        timeline.append(
            TimelineEvent(
                d.decided_at,
                "decision",
                _("Decision: %(kind)s") % {"kind": d.get_kind_display()},
                d.decided_by,
                d.rationale,
                d,
            )
        )
    for v in reviews:
        timeline.append(
            TimelineEvent(
                v.reviewed_at,
                "review",
                _("Oversight review: %(outcome)s") % {"outcome": v.get_outcome_display()},
                v.reviewed_by,
                v.note,
                v,
            )
        )
    for e in escalations:
        timeline.append(
            TimelineEvent(
                e.raised_at,
                "escalation",
                _("Escalated to %(level)s: %(trigger)s")
                % {"level": e.get_level_display().lower(), "trigger": e.get_trigger_display()},
                None,
                e.detail,
                e,
            )
        )
    timeline.sort(key=lambda ev: ev.at, reverse=True)
    return {
        "transitions": transitions,
        "reassessments": reassessments,
        "decisions": decisions,
        "reviews": reviews,
        "escalations": escalations,
        "decision_points": points,
        "open_points": [p for p in points if p.decided_at is None and p.withdrawn_at is None],
        "timeline": timeline,
        "manual_moves": lifecycle.manual_moves(investigation.state),
        "decisions_allowed": lifecycle.decisions_allowed(investigation.state),
    }


def oversight_board(*, user, overdue_only: bool = False) -> QuerySet[Investigation]:
    """Open investigations owned by a team the user supervises and allocated to another
    unit, with their last review and open escalations; soonest review due first."""
    if not access.is_supervisor(user):
        return Investigation.objects.none()
    from django.db.models import Max

    qs = (
        Investigation.objects.filter(
            access.teams_q(user, SUPERVISORY_ROLES, team_field="owning_team")
        )
        .filter(_suspect_visible_q(user), state__in=OPEN_STATES)
        .exclude(allocated_team=F("owning_team"))
        .select_related("suspect", "owning_team", "allocated_team", "allocated_officer", "referral")
        .annotate(
            last_review_at=Max("oversight_reviews__reviewed_at"),
            open_escalations=Count(
                "escalations", filter=Q(escalations__resolved_at__isnull=True), distinct=True
            ),
        )
    )
    if overdue_only:
        qs = qs.filter(oversight_due_at__lt=clock.now())
    return qs.order_by(F("oversight_due_at").asc(nulls_first=True), "id")


def last_review_outcomes(investigations) -> dict[int, OversightReview]:
    """The latest review of each investigation in one query (for the board)."""
    latest: dict[int, OversightReview] = {}
    ids = [i.pk for i in investigations]
    for review in OversightReview.objects.filter(investigation_id__in=ids).order_by(
        "investigation_id", "-reviewed_at", "-id"
    ):
        latest.setdefault(review.investigation_id, review)
    return latest


def _escalation_scope(user) -> QuerySet[EscalationLogEntry]:
    if not access.is_supervisor(user):
        return EscalationLogEntry.objects.none()
    scope = access.teams_q(user, SUPERVISORY_ROLES, team_field="team") | access.teams_q(
        user, SUPERVISORY_ROLES, team_field="investigation__allocated_team"
    )
    named = Exists(
        Person.restricted_to.through.objects.filter(
            person_id=OuterRef("investigation__suspect_id"), user_id=user.pk
        )
    )
    return EscalationLogEntry.objects.filter(scope).filter(
        Q(investigation__isnull=True) | Q(investigation__suspect__is_restricted=False) | Q(named)
    )


def escalation_list(
    *, user, status: str = "", trigger: str = "", level: int | None = None
) -> QuerySet[EscalationLogEntry]:
    """The escalation log the user keeps (supervisors and managers of the owning team, or
    of the team the investigation is allocated to), newest first; one query per page."""
    qs = _escalation_scope(user).select_related(
        "team",
        "investigation",
        "investigation__suspect",
        "referral",
        "acknowledged_by",
        "resolved_by",
    )
    if status == EscalationStatus.OPEN:
        qs = qs.filter(acknowledged_at__isnull=True, resolved_at__isnull=True)
    elif status == EscalationStatus.ACKNOWLEDGED:
        qs = qs.filter(acknowledged_at__isnull=False, resolved_at__isnull=True)
    elif status == EscalationStatus.RESOLVED:
        qs = qs.filter(resolved_at__isnull=False)
    elif status == "unresolved":
        qs = qs.filter(resolved_at__isnull=True)
    if trigger:
        qs = qs.filter(trigger=trigger)
    if level is not None:
        qs = qs.filter(level=level)
    return qs.order_by("-raised_at", "-id")


def escalation_counts(*, user) -> dict:
    """Raised, resolved and resolved within time, over the user's log (one query)."""
    return _escalation_scope(user).aggregate(
        raised=Count("id"),
        unresolved=Count("id", filter=Q(resolved_at__isnull=True)),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        resolved_in_time=Count("id", filter=Q(resolved_at__lte=F("resolve_by"))),
    )


def get_escalation_for_user(user, uuid) -> EscalationLogEntry:
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise NotFound(_("There is no escalation with that id.")) from None
    entry = (
        _escalation_scope(user)
        .select_related(
            "team",
            "investigation",
            "investigation__suspect",
            "investigation__allocated_team",
            "referral",
            "referral__suspect",
            "acknowledged_by",
            "resolved_by",
        )
        .filter(uuid=key)
        .first()
    )
    if entry is None:
        raise NotFound(_("There is no escalation with that id, or you do not have access to it."))
    return entry


def allocation_teams(investigation: Investigation):
    """Every team of the owning team's force (work may be allocated to any unit)."""
    from vigil.accounts.models import Team

    return Team.objects.filter(force_id=investigation.owning_team.force_id).order_by("name")


def allocation_officers(investigation: Investigation):
    """Active officers, supervisors and managers of any team of the owning team's force."""
    from vigil.accounts.models import User
    from vigil.investigations.services import WORK_ROLES

    return (
        User.objects.filter(
            is_active=True,
            memberships__team__force_id=investigation.owning_team.force_id,
            memberships__role__in=WORK_ROLES,
        )
        .distinct()
        .order_by("full_name")
    )


# --- pre-charge bail (point F) -------------------------------------------------------------


def _bail_scope(user) -> QuerySet:
    from vigil.investigations.models import Bail

    return Bail.objects.filter(investigation__in=visible_investigations(user))


def get_bail_for_user(user, uuid):
    """The bail with public id `uuid` if the user may see its investigation (else
    NotFound, for missing and forbidden alike)."""
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise NotFound(_("There is no bail with that id.")) from None
    bail = (
        _bail_scope(user)
        .select_related(
            "investigation",
            "investigation__suspect",
            "investigation__owning_team",
            "investigation__allocated_team",
            "investigation__allocated_officer",
        )
        .filter(uuid=key)
        .first()
    )
    if bail is None:
        raise NotFound(_("There is no bail with that id, or you do not have access to it."))
    return bail


def get_court_application_for_user(user, uuid):
    from vigil.investigations.models import BailCourtApplication

    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise NotFound(_("There is no court application with that id.")) from None
    application = (
        BailCourtApplication.objects.filter(bail__in=_bail_scope(user), uuid=key)
        .select_related("bail", "bail__investigation", "bail__investigation__suspect")
        .first()
    )
    if application is None:
        raise NotFound(
            _("There is no court application with that id, or you do not have access to it.")
        )
    return application


def bail_history(investigation: Investigation) -> list:
    """Every bail of the investigation, newest first, each with its periods, conditions,
    victims' views, checks and court applications loaded (a fixed number of queries)."""
    from django.db.models import Prefetch

    from vigil.investigations.models import Bail, BailConditionCheck, BailPeriod

    return list(
        Bail.objects.filter(investigation=investigation)
        .select_related("decision", "decision__decided_by")
        .prefetch_related(
            Prefetch(
                "periods",
                queryset=BailPeriod.objects.select_related(
                    "authorised_by", "court_application"
                ).annotate(check_count=Count("checks")),
            ),
            "conditions__imposed_by",
            "conditions__removed_by",
            "victim_views__recorded_by",
            Prefetch(
                "checks",
                queryset=BailConditionCheck.objects.select_related("checked_by", "period"),
            ),
            "court_applications__applied_by",
            "court_applications__decision_recorded_by",
        )
        .order_by("-started_at", "-id")
    )


def active_bail(investigation: Investigation):
    from vigil.investigations.models import Bail

    return Bail.objects.filter(investigation=investigation, ended_at__isnull=True).first()


def bail_board_scope(user) -> QuerySet:
    """Active bails on the user's board: those of investigations owned by a team the user
    supervises, and those of investigations allocated to the user (officer in the case)."""
    from vigil.investigations.models import Bail

    if not access.has_role(user, "officer", "supervisor", "manager"):
        return Bail.objects.none()
    supervised = access.teams_q(user, SUPERVISORY_ROLES, team_field="investigation__owning_team")
    return (
        Bail.objects.filter(ended_at__isnull=True)
        .filter(supervised | Q(investigation__allocated_officer=user))
        .filter(_suspect_visible_q(user, "investigation__"))
        .select_related(
            "investigation",
            "investigation__suspect",
            "investigation__owning_team",
            "investigation__allocated_team",
            "investigation__allocated_officer",
        )
        .annotate(
            pending_applications=Count(
                "court_applications", filter=Q(court_applications__outcome=""), distinct=True
            ),
            conditions_in_force=Count(
                "conditions", filter=Q(conditions__removed_at__isnull=True), distinct=True
            ),
        )
    )


def bail_board(*, user, expiring_days: int | None = None):
    """The bail board: (bail expiring soonest first, limited to `expiring_days` ahead when
    given — expired ones included; checks due or overdue, soonest first)."""
    import datetime as dt

    now = clock.now()
    scope = bail_board_scope(user)
    expiring = scope
    if expiring_days is not None:
        expiring = expiring.filter(ends_at__lte=now + dt.timedelta(days=expiring_days))
    checks = scope.filter(check_due_at__isnull=False)
    return expiring.order_by("ends_at", "id"), checks.order_by("check_due_at", "id")


def bail_check_metric(*, as_of=None, teams=None) -> dict:
    """Point F: of the bail periods that have ended by `as_of` (not withdrawn, with a
    condition in force during them), how many have at least one condition check recorded
    inside the period. One query; aggregates only. `teams` limits to owning teams."""
    from django.db.models.functions import Coalesce

    from vigil.investigations.models import BailCondition, BailConditionCheck, BailPeriod

    as_of = as_of or clock.now()
    end = Coalesce(F("ended_early_at"), F("ends_at"))
    qs = BailPeriod.objects.annotate(effective_end=end).filter(
        withdrawn_at__isnull=True, effective_end__lte=as_of
    )
    if teams is not None:
        qs = qs.filter(bail__investigation__owning_team__in=teams)
    # Outer references to the columns themselves (PostgreSQL cannot see the annotation).
    outer_end = Coalesce(OuterRef("ended_early_at"), OuterRef("ends_at"))
    in_force = BailCondition.objects.filter(
        bail_id=OuterRef("bail_id"), imposed_at__lt=outer_end
    ).filter(Q(removed_at__isnull=True) | Q(removed_at__gt=OuterRef("starts_at")))
    checked = BailConditionCheck.objects.filter(
        period_id=OuterRef("pk"), checked_at__gte=OuterRef("starts_at"), checked_at__lt=outer_end
    )
    counts = qs.filter(Exists(in_force)).aggregate(
        ended=Count("id"), checked=Count("id", filter=Q(Exists(checked)))
    )
    counts["percent"] = (
        round(100 * counts["checked"] / counts["ended"], 1) if counts["ended"] else None
    )
    return counts


# --- support for the suspect's family (point G) ---------------------------------------------


def family_support_metric(*, as_of=None, teams=None) -> dict:
    """Point G: of the investigations whose first arrest or voluntary attendance was long
    enough ago that the offer's due date (policy days after it, fixed then) has passed by
    `as_of`, how many have an offer of support to the family recorded on or before that
    date (offered, accepted, declined or not applicable with a reason). One query."""
    from django.utils import timezone

    as_of = as_of or clock.now()
    qs = Investigation.objects.filter(
        first_enforcement_at__isnull=False,
        first_enforcement_at__lte=as_of,
        family_support_due_on__lt=timezone.localdate(as_of),
    )
    if teams is not None:
        qs = qs.filter(owning_team__in=teams)
    counts = qs.aggregate(
        due=Count("id"),
        offered_in_time=Count(
            "id",
            filter=Q(
                family_support__offered_on__lte=F("family_support_due_on"),
                family_support__recorded_at__lte=as_of,
            ),
        ),
    )
    counts["percent"] = (
        round(100 * counts["offered_in_time"] / counts["due"], 1) if counts["due"] else None
    )
    return counts


def get_family_support(investigation: Investigation):
    from vigil.investigations.models import FamilySupportOffer

    return (
        FamilySupportOffer.objects.filter(investigation=investigation)
        .select_related("officer", "recorded_by")
        .first()
    )


# Who sees the directory (its page and API list) and who keeps it.
DIRECTORY_READ_ROLES = CASEWORK_ROLES | {Role.ADMIN}
DIRECTORY_EDIT_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def directory_force_ids(user, *, editing: bool = False) -> set[int]:
    """The forces whose directory entries the user sees (`editing`: keeps), from the
    force of each membership with a directory role, team-scope and force-scope alike."""
    wanted = DIRECTORY_EDIT_ROLES if editing else DIRECTORY_READ_ROLES
    return {m.team.force_id for m in access.memberships(user) if m.role in wanted}


def directory_editor_forces(user) -> list:
    """The forces the user keeps directory entries for (to choose from on the form)."""
    from vigil.accounts.models import Force

    ids = directory_force_ids(user, editing=True)
    return list(Force.objects.filter(pk__in=ids).order_by("name")) if ids else []


def _directory(force_ids, *, active_only: bool) -> QuerySet:
    from vigil.investigations.models import SupportOrganisation

    qs = SupportOrganisation.objects.select_related("details_confirmed_by", "force").filter(
        Q(force__isnull=True) | Q(force_id__in=list(force_ids))
    )
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("position", "name_en", "id")


def support_organisations(*, user, active_only: bool = True) -> QuerySet:
    """The directory as the user sees it: the national organisations and those of the
    user's forces, never another force's (not personal data: any signed-in casework user
    may read it)."""
    return _directory(directory_force_ids(user), active_only=active_only)


def leaflet_organisations(investigation: Investigation) -> QuerySet:
    """The organisations a leaflet for this investigation's suspect lists: the national
    ones and those of the owning team's force (whoever generates it)."""
    return _directory({investigation.owning_team.force_id}, active_only=True)


def get_support_organisation(uuid, *, user):
    """One entry of the directory the user sees; another force's entry, like a missing
    one, is NotFound."""
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise NotFound(_("There is no organisation with that id.")) from None
    organisation = support_organisations(user=user, active_only=False).filter(uuid=key).first()
    if organisation is None:
        raise NotFound(_("There is no organisation with that id."))
    return organisation


def leaflet_language(investigation: Investigation, requested: str = "") -> str:
    """The leaflet's language: the one asked for, else the suspect's preference."""
    if requested in ("en", "cy"):
        return requested
    return (
        investigation.suspect.language if investigation.suspect.language in ("en", "cy") else "en"
    )


# --- the assessments of investigations (declared to the instruments app in apps.py) ------


def assessments_visible_q(user) -> Q:
    """A Q on instruments' Assessment: the assessments of investigations the user may see,
    and the assessments their reassessments recorded (including the referral's assessment
    an investigation started from)."""
    investigations = visible_investigations(user)
    return Q(
        subject_type="investigations.investigation",
        subject_id__in=investigations.values("uuid"),
    ) | Q(
        pk__in=Reassessment.objects.filter(investigation__in=investigations.values("pk")).values(
            "assessment_id"
        )
    )


def supervises_assessment(user, assessment) -> bool:
    """Whether the user supervises the investigation the assessment belongs to."""
    investigation = (
        Investigation.objects.select_related("owning_team")
        .filter(uuid=assessment.subject_id)
        .first()
    )
    return investigation is not None and can_supervise(user, investigation)


def supervises_reassessed(user, assessment) -> bool:
    """Whether the user supervises an investigation whose reassessment recorded the
    assessment."""
    linked = Reassessment.objects.filter(assessment=assessment).select_related(
        "investigation__owning_team"
    )
    return any(can_supervise(user, r.investigation) for r in linked)
