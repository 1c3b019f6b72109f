"""Permission-scoped reads of offender management.

A user sees a nominal when they hold a casework role reaching the nominal's managing team
(`access.teams_q`) and the people app's need-to-know rule allows the person (not
restricted, or restricted with the user named). Missing and forbidden are both 404. The
assurance role (aggregates only) sees none of it. Lists cost a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.exceptions import NotFound
from vigil.core.policy_registry import policy_value
from vigil.duties.choices import RISK_ORDER
from vigil.duties.models import Duty
from vigil.offenders import completeness
from vigil.offenders.choices import NominalStatus
from vigil.offenders.models import (
    Arms,
    DipCheck,
    Intelligence,
    ManagementTransfer,
    ModeDecision,
    Nominal,
    NotificationEvent,
    Order,
    Plan,
    PndCheck,
    Review,
    Visit,
)
from vigil.people.models import Person

if TYPE_CHECKING:
    from vigil.offenders.reactive import Assessment


def _not_found() -> NotFound:
    return NotFound(_("There is no nominal with that id, or you do not have access to it."))


def _person_allowed(user) -> Q:
    named = Person.restricted_to.through.objects.filter(
        person_id=OuterRef("person_id"), user_id=user.pk
    )
    return Q(person__is_restricted=False) | Q(Exists(named))


def restricted_hidden(user) -> bool:
    """Whether the caseload leaves out a nominal of a team the user reaches because the
    person is restricted and the user not named (of the whole scope, never a filter's
    results, and never how many: see people.selectors.restricted_hidden)."""
    if not access.is_casework_user(user):
        return False
    return (
        Nominal.objects.filter(access.teams_q(user, CASEWORK_ROLES), person__is_restricted=True)
        .exclude(_person_allowed(user))
        .exists()
    )


def nominals_for(user) -> QuerySet[Nominal]:
    """Every nominal the user may see (casework role reaching the managing team, person
    allowed by need to know)."""
    if not access.is_casework_user(user):
        return Nominal.objects.none()
    return Nominal.objects.filter(access.teams_q(user, CASEWORK_ROLES)).filter(
        _person_allowed(user)
    )


def _in_reach(model, user, path: str = "nominal"):
    """Rows of `model` whose nominal the user may see."""
    return model.objects.filter(**{f"{path}__in": nominals_for(user).values("pk")})


def get_nominal_for_user(user, uuid, action: str = "view") -> Nominal:
    """One nominal the user may see, with person, team and manager; the read is audited."""
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise _not_found() from None
    nominal = (
        nominals_for(user)
        .select_related("person", "team", "team__force", "offender_manager")
        .filter(uuid=key)
        .first()
    )
    if nominal is None:
        raise _not_found()
    changes = {} if action == "view" else {"purpose": action}
    audit.record(user, "nominal.view", nominal, changes=changes, person=nominal.person)
    return nominal


def can_supervise(user, nominal: Nominal) -> bool:
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    return nominal.team_id in team_ids or nominal.team.force_id in force_ids


def _risk_rank(field: str = "risk_level"):
    return Case(
        *[When(**{field: level}, then=Value(rank)) for level, rank in RISK_ORDER.items()],
        default=Value(len(RISK_ORDER)),
        output_field=IntegerField(),
    )


def _next_due():
    return Subquery(
        Duty.objects.filter(
            person_id=OuterRef("person_id"),
            kind__startswith="offenders.",
            completed_at__isnull=True,
        )
        .values("person_id")
        .annotate(first=Min("due_at"))
        .values("first")
    )


CASELOAD_SORTS = {
    "name": ["person__family_name", "person__given_name", "pk"],
    "risk": ["risk_rank", "next_due", "pk"],
    "due": ["next_due", "risk_rank", "pk"],
    "status": ["status", "person__family_name", "pk"],
    "manager": ["offender_manager__full_name", "person__family_name", "pk"],
}


def nominal_list(
    *,
    user,
    mine: bool = False,
    team=None,
    manager=None,
    status: str = "",
    risk: str = "",
    sort: str = "due",
) -> QuerySet[Nominal]:
    """A caseload: the user's own nominals (`mine`) or those they may see, filtered, with
    risk rank, next due date of open offender-management work and completeness, sorted
    by `sort` (a CASELOAD_SORTS key, "-" for descending). One query for the rows."""
    qs = nominals_for(user).select_related("person", "team", "offender_manager")
    if mine:
        qs = qs.filter(offender_manager_id=user.pk)
    if team is not None:
        qs = qs.filter(team_id=team.pk)
    if manager is not None:
        qs = qs.filter(offender_manager_id=manager.pk)
    if status:
        qs = qs.filter(status=status)
    if risk:
        qs = qs.filter(risk_level=risk)
    qs = completeness.annotate_completeness(
        qs.annotate(risk_rank=_risk_rank(), next_due=_next_due())
    )
    key = (sort or "due").lstrip("-")
    fields = CASELOAD_SORTS.get(key, CASELOAD_SORTS["due"])
    if sort.startswith("-") and key in CASELOAD_SORTS:
        fields = ["-" + fields[0], *fields[1:]]
    return qs.order_by(*fields)


def completeness_by_nominal(*, queryset: QuerySet[Nominal] | None = None, at=None) -> QuerySet:
    """Point H's metric: every nominal (of `queryset`, default all) as rows of
    (id, uuid, status, team_id, is_complete), one database query. Unscoped when no
    queryset is given: for the assurance module's aggregate computation only."""
    qs = queryset if queryset is not None else Nominal.objects.all()
    rules = completeness.active_rules(at=at)
    return completeness.annotate_completeness(qs, rules).values(
        "id", "uuid", "status", "team_id", "is_complete"
    )


def nominal_checklist(nominal: Nominal) -> list[dict]:
    """The completeness checklist of one nominal: [{code, label, met}]."""
    rules = completeness.active_rules()
    row = completeness.annotate_completeness(Nominal.objects.filter(pk=nominal.pk), rules).first()
    return completeness.checklist(row, rules)


# --- a nominal's record --------------------------------------------------------------


def nominal_duties(nominal: Nominal) -> QuerySet[Duty]:
    return (
        Duty.objects.filter(
            person_id=nominal.person_id, kind__startswith="offenders.", completed_at__isnull=True
        )
        .select_related("assignee")
        .order_by("due_at")
    )


def arms_for(nominal: Nominal) -> QuerySet[Arms]:
    return nominal.arms.select_related("assessor", "assessment", "review").order_by(
        "-completed_at", "-pk"
    )


def plans_for(nominal: Nominal) -> QuerySet[Plan]:
    return nominal.plans.select_related("author", "review").prefetch_related("actions")


def visits_for(nominal: Nominal) -> QuerySet[Visit]:
    return (
        nominal.visits.select_related("recorded_by", "authorisation__authorised_by", "review")
        .prefetch_related("officers")
        .order_by("-visited_at", "-pk")
    )


def reviews_for(nominal: Nominal) -> QuerySet[Review]:
    return nominal.reviews.select_related("reviewer", "arms", "plan", "visit").order_by(
        "-opened_at", "-pk"
    )


def timeline(nominal: Nominal) -> list[dict]:
    """The record's history from the audit trail, newest first (one query)."""
    from vigil.audit.models import AuditEvent

    events = (
        AuditEvent.objects.filter(person_id=str(nominal.person.uuid), action__startswith="nominal.")
        .exclude(action="nominal.view")
        .order_by("-pk")[:200]
    )
    return list(events)


# --- items by their own id (each checks the nominal is visible) ------------------------


def _get(qs, uuid):
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise _not_found() from None
    obj = qs.filter(uuid=key).first()
    if obj is None:
        raise _not_found()
    return obj


def get_visit_for_user(user, uuid) -> Visit:
    return _get(
        _in_reach(Visit, user)
        .select_related(
            "nominal__person",
            "nominal__team__force",
            "nominal__offender_manager",
            "recorded_by",
            "authorisation__authorised_by",
        )
        .prefetch_related("officers"),
        uuid,
    )


def get_plan_for_user(user, uuid) -> Plan:
    return _get(_in_reach(Plan, user).select_related("nominal"), uuid)


def get_arms_for_user(user, uuid) -> Arms:
    return _get(_in_reach(Arms, user).select_related("nominal__person", "assessment"), uuid)


def get_notification_for_user(user, uuid) -> NotificationEvent:
    return _get(
        _in_reach(NotificationEvent, user).select_related(
            "nominal__person", "nominal__team__force", "nominal__offender_manager"
        ),
        uuid,
    )


def get_intelligence_for_user(user, uuid) -> Intelligence:
    return _get(
        _in_reach(Intelligence, user).select_related(
            "nominal__person", "nominal__team__force", "nominal__offender_manager"
        ),
        uuid,
    )


def get_order_for_user(user, uuid):
    from vigil.offenders.models import Order

    return _get(_in_reach(Order, user).select_related("nominal__person", "nominal__team"), uuid)


def get_review_for_user(user, uuid) -> Review:
    """A review the user may see (any casework role of the team; recording it needs a
    supervisor, checked by the service)."""
    return _get(
        _in_reach(Review, user).select_related(
            "nominal__person",
            "nominal__team__force",
            "nominal__offender_manager",
            "arms__assessor",
            "arms__assessment",
            "plan__author",
            "visit__recorded_by",
            "reviewer",
        ),
        uuid,
    )


def review_queue(*, user, overdue_only: bool = False) -> QuerySet[Review]:
    """Open supervisor reviews of the teams the user supervises (need to know applied),
    oldest due first."""
    if not access.is_supervisor(user):
        return Review.objects.none()
    qs = Review.objects.filter(
        access.teams_q(user, SUPERVISORY_ROLES, team_field="nominal__team"),
        reviewed_at__isnull=True,
        nominal__in=nominals_for(user).values("pk"),
    )
    if overdue_only:
        qs = qs.filter(due_at__lt=clock.now())
    return (
        qs.select_related(
            "nominal__person",
            "nominal__offender_manager",
            "nominal__team",
            "arms__assessor",
            "plan__author",
            "visit__recorded_by",
        )
        .annotate(risk_rank=_risk_rank("nominal__risk_level"))
        .order_by("due_at", "risk_rank", "pk")
    )


def dip_checks_for(*, user) -> QuerySet[DipCheck]:
    """The dip-checks assigned to the user, open first."""
    return (
        DipCheck.objects.filter(reviewer_id=user.pk)
        .select_related(
            "authorisation__authorised_by",
            "authorisation__visit__nominal__person",
        )
        .order_by("checked_at", "-month", "pk")
    )


def get_dip_check_for_user(user, uuid) -> DipCheck:
    return _get(dip_checks_for(user=user), uuid)


def flagged_visits(*, user) -> QuerySet[Visit]:
    """Non-compliant visits with no authorisation past the deadline, or authorised late."""
    hours = policy_value("offenders.visit_authorisation_hours")
    cutoff = clock.now() - dt.timedelta(hours=hours)
    return (
        _in_reach(Visit, user)
        .filter(compliant=False)
        .filter(
            Q(authorisation__isnull=True, visited_at__lt=cutoff) | Q(authorisation__in_time=False)
        )
        .select_related("nominal__person", "recorded_by")
        .order_by("-visited_at")
    )


# --- caseload (L) ---------------------------------------------------------------------


def caseloads(*, user) -> dict:
    """Active nominals per offender manager of the teams the user supervises, against
    the policy threshold: {threshold, rows: [{manager, count, over}]}, one query."""
    threshold = policy_value("offenders.caseload_threshold")
    if not access.is_supervisor(user):
        return {"threshold": threshold, "rows": []}
    counts = (
        Nominal.objects.filter(
            access.teams_q(user, SUPERVISORY_ROLES),
            status=NominalStatus.ACTIVE,
            offender_manager__isnull=False,
        )
        .values("offender_manager_id", "offender_manager__uuid", "offender_manager__full_name")
        .annotate(count=Count("pk"), last=Max("updated_at"))
        .order_by("-count", "offender_manager__full_name")
    )
    rows = [
        {
            "manager_id": r["offender_manager_id"],
            "manager_uuid": r["offender_manager__uuid"],
            "manager": r["offender_manager__full_name"],
            "count": r["count"],
            "over": r["count"] > threshold,
        }
        for r in counts
    ]
    return {"threshold": threshold, "rows": rows}


def supervised_mosovo_teams(*, user) -> QuerySet:
    """The MOSOVO teams the user reaches as a supervisor or manager (for the links to the
    outstanding-work matrix by team)."""
    from vigil.accounts.choices import TeamKind
    from vigil.duties.selectors import supervised_teams

    return supervised_teams(user=user).filter(kind=TeamKind.MOSOVO).order_by("name", "pk")


def officers_for_visit(nominal: Nominal) -> QuerySet[User]:
    """The officers who may be recorded as present: active casework users reaching the
    nominal's team."""
    from vigil.duties.selectors import assignable_officers

    return assignable_officers(team=nominal.team)


# --- PND checks (Q) ---------------------------------------------------------------------


def open_duty(nominal: Nominal, kind: str) -> Duty | None:
    """The nominal's open duty of `kind` due soonest (None when there is none)."""
    return nominal_duties(nominal).filter(kind=kind).first()


def orders_for(nominal: Nominal) -> QuerySet[Order]:
    return Order.objects.filter(nominal=nominal).order_by("-start_date", "-pk")


def pnd_in_date(nominal: Nominal) -> bool:
    """Whether the nominal has an in-date, assessed PND check now (point Q's rule)."""
    return Nominal.objects.filter(pk=nominal.pk).filter(pnd_in_date_q()).exists()


def pnd_checks_for(nominal: Nominal) -> QuerySet[PndCheck]:
    return nominal.pnd_checks.select_related("officer", "assessed_by").order_by(
        "-checked_on", "-pk"
    )


def get_pnd_check_for_user(user, uuid) -> PndCheck:
    return _get(
        _in_reach(PndCheck, user).select_related(
            "nominal__person", "nominal__team__force", "nominal__offender_manager", "officer"
        ),
        uuid,
    )


def _as_of(as_of) -> tuple[dt.datetime, dt.date]:
    from django.utils import timezone

    from vigil.core.calendar import end_of_day

    if as_of is None:
        now = clock.now()
        return now, timezone.localdate(now)
    if isinstance(as_of, dt.datetime):
        return as_of, timezone.localdate(as_of)
    return end_of_day(as_of), as_of


def pnd_in_date_q(as_of=None) -> Q:
    """A Q on Nominal: the nominal has a PND check made within the policy interval before
    `as_of` (in force then) and assessed by then."""
    from vigil.offenders.notification_period import add_months

    moment, day = _as_of(as_of)
    months = policy_value("offenders.pnd_interval_months", at=moment)
    in_date = PndCheck.objects.filter(
        nominal_id=OuterRef("pk"),
        checked_on__lte=day,
        checked_on__gt=add_months(day, -months),
        assessed_at__lte=moment,
    )
    return Q(Exists(in_date))


def pnd_before_each_visit_q(as_of=None) -> Q:
    """A Q on Nominal: when the nominal's risk level at `as_of` (from its history) is one
    for which the policy in force then asks for a PND check before each home visit
    (`offenders.pnd_before_visit.<level>`, by default high and very high), every home
    visit made within the PND interval before `as_of` and recorded by then had a check
    recorded by then, made on or before the visit's day and after the day of the home
    visit before it. True for the other risk levels."""
    from django.db.models.functions import Coalesce, TruncDate

    from vigil.duties.choices import RiskLevel
    from vigil.offenders.choices import VisitLocation
    from vigil.offenders.history import state_q
    from vigil.offenders.models import Visit
    from vigil.offenders.notification_period import add_months

    moment, day = _as_of(as_of)
    levels = [
        level
        for level in RiskLevel.values
        if policy_value(f"offenders.pnd_before_visit.{level}", at=moment)
    ]
    if not levels:
        return Q()
    months = policy_value("offenders.pnd_interval_months", at=moment)
    home = Visit.objects.filter(location=VisitLocation.HOME, created_at__lte=moment)
    previous_day = (
        home.filter(nominal_id=OuterRef("nominal_id"), visited_at__lt=OuterRef("visited_at"))
        .order_by("-visited_at")
        .annotate(_day=TruncDate("visited_at"))
        .values("_day")[:1]
    )
    checked = PndCheck.objects.filter(
        nominal_id=OuterRef("nominal_id"),
        checked_on__lte=OuterRef("_day"),
        checked_on__gt=OuterRef("_previous"),
        created_at__lte=moment,
    )
    unchecked = (
        home.filter(
            nominal_id=OuterRef("pk"),
            visited_at__lte=moment,
            visited_at__date__gt=add_months(day, -months),
        )
        .annotate(
            _day=TruncDate("visited_at"),
            # no home visit before it: any check on or before its day will do
            _previous=Coalesce(Subquery(previous_day), Value(dt.date(1, 1, 1))),
        )
        .filter(~Exists(checked))
    )
    return ~state_q(moment, risk_level__in=levels) | ~Q(Exists(unchecked))


def pnd_compliance(*, as_of=None, queryset: QuerySet[Nominal] | None = None) -> QuerySet:
    """Point Q's metric: the active nominals (of `queryset`, default all — unscoped, for
    the assurance module's aggregates) registered by `as_of`, each with `pnd_in_date`:
    an in-date, assessed PND check at `as_of`. One query. The status is the one in force
    at `as_of` (the nominal's history)."""
    from vigil.offenders.history import state_q

    moment, _day = _as_of(as_of)
    qs = queryset if queryset is not None else Nominal.objects.all()
    return (
        qs.filter(state_q(moment, status=NominalStatus.ACTIVE))
        .annotate(
            pnd_in_date=Case(
                When(pnd_in_date_q(as_of), then=Value(True)),
                default=Value(False),
            )
        )
        .values("id", "uuid", "team_id", "risk_level", "pnd_in_date")
    )


# --- reactive management (P) --------------------------------------------------------------


def reactive_conditions(nominals: QuerySet[Nominal], *, as_of=None, include_approval=None):
    """{nominal id: reactive.Assessment} for every nominal of `nominals`, from the records
    as they stood at `as_of` (a date or datetime; default now). Seven queries. The
    approval and eligibility review are checked for nominals reactive at `as_of` (or as
    `include_approval` says). Unscoped: pass a scoped queryset for a user."""
    from vigil.offenders import reactive

    return reactive.evaluate(nominals, as_of=as_of, include_approval=include_approval)


def reactive_compliance(*, as_of=None, queryset: QuerySet[Nominal] | None = None) -> dict:
    """Point P's metric: the nominals (of `queryset`, default all) reactively managed at
    `as_of` and still subject to notification, and how many meet every condition then:
    {"total", "meeting", "rows": [{id, uuid, team_id, all_met, unmet: [codes]}]}. Eight
    queries whatever the number of nominals (the reactive ones, then the conditions)."""
    from vigil.offenders import reactive

    qs = queryset if queryset is not None else Nominal.objects.all()
    qs = qs.filter(reactive.reactive_at(as_of)).exclude(status=NominalStatus.NO_LONGER_SUBJECT)
    keys = {n["id"]: n for n in qs.values("id", "uuid", "team_id")}
    assessments = reactive.evaluate(
        Nominal.objects.filter(pk__in=list(keys)), as_of=as_of, include_approval=True
    )
    rows = [
        {
            **keys[nid],
            "all_met": a.all_met,
            "unmet": [c.code for c in a.unmet],
        }
        for nid, a in sorted(assessments.items())
    ]
    return {"total": len(rows), "meeting": sum(r["all_met"] for r in rows), "rows": rows}


class ReactiveRow(NamedTuple):
    nominal: Nominal
    assessment: Assessment


class ReactiveRows:
    """The rows of the reactive list, for a paginator (Django's or the API's): the length
    is a COUNT, and a slice (a page) reads its nominals and evaluates only their
    conditions: the count, the page and the seven queries of `reactive.evaluate` (the
    last only when the page holds an approval), whatever the number of nominals."""

    def __init__(self, nominals: QuerySet[Nominal], *, as_of: dt.datetime):
        self._nominals = nominals
        self._as_of = as_of
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._nominals.count()
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        nominals = list(self._nominals[index])
        if not nominals:
            return []
        assessments = reactive_conditions(
            Nominal.objects.filter(pk__in=[n.pk for n in nominals]),
            as_of=self._as_of,
            include_approval=True,
        )
        return [ReactiveRow(n, assessments[n.pk]) for n in nominals]

    def __iter__(self):
        return iter(self[:])


def reactive_list(*, user, unmet_only: bool = False) -> ReactiveRows:
    """The reactively managed nominals the user may see, each with its conditions now
    (rows of (nominal, assessment)): those with a condition no longer met first, then by
    name; with `unmet_only`, only those. Ordered and filtered in the database by
    `reactive.all_met_q` (two queries of policies to build it), so that a page evaluates
    the conditions of its own rows only (see ReactiveRows)."""
    from vigil.offenders import reactive

    now = clock.now()
    nominals = (
        nominals_for(user)
        .filter(management_mode="reactive")
        .exclude(status=NominalStatus.NO_LONGER_SUBJECT)
        .annotate(
            conditions_met=ExpressionWrapper(
                reactive.all_met_q(as_of=now, include_approval=True), output_field=BooleanField()
            )
        )
        .select_related("person", "team", "offender_manager")
    )
    if unmet_only:
        nominals = nominals.filter(conditions_met=False)
    return ReactiveRows(
        nominals.order_by("conditions_met", "person__family_name", "person__given_name", "pk"),
        as_of=now,
    )


def mode_decisions_for(nominal: Nominal) -> QuerySet[ModeDecision]:
    return nominal.mode_decisions.select_related("proposed_by", "decided_by").order_by(
        "-proposed_at", "-pk"
    )


def get_mode_decision_for_user(user, uuid) -> ModeDecision:
    return _get(
        _in_reach(ModeDecision, user).select_related(
            "nominal__person",
            "nominal__team__force",
            "nominal__offender_manager",
            "proposed_by",
            "decided_by",
        ),
        uuid,
    )


def pending_mode_decision(nominal: Nominal) -> ModeDecision | None:
    return nominal.mode_decisions.filter(status="proposed").select_related("proposed_by").first()


# --- transfers ---------------------------------------------------------------------------


def _receiving_force_ids(user) -> set[int]:
    """Forces in which the user supervises a MOSOVO team (team or force scope)."""
    from vigil.accounts.choices import TeamKind

    return {
        m.team.force_id
        for m in access.memberships(user)
        if m.role in SUPERVISORY_ROLES and (m.scope == "force" or m.team.kind == TeamKind.MOSOVO)
    }


def _transfers():
    return ManagementTransfer.objects.select_related(
        "nominal__person",
        "from_team__force",
        "to_force",
        "requested_by",
        "decided_by",
        "to_team",
        "to_manager",
    )


def incoming_transfers(*, user, open_only: bool = True) -> QuerySet[ManagementTransfer]:
    """Transfer requests to the forces in which the user supervises MOSOVO work, waiting
    first (all of them with `open_only=False`). One query."""
    forces = _receiving_force_ids(user)
    if not forces:
        return ManagementTransfer.objects.none()
    qs = _transfers().filter(to_force_id__in=forces)
    if open_only:
        qs = qs.filter(status="requested")
    return qs.order_by("requested_at", "pk")


def outgoing_transfers(*, user) -> QuerySet[ManagementTransfer]:
    """Transfer requests for nominals the user can see (their own force's requests)."""
    return (
        _transfers()
        .filter(nominal__in=nominals_for(user).values("pk"))
        .order_by("-requested_at", "-pk")
    )


def transfers_for(nominal: Nominal) -> QuerySet[ManagementTransfer]:
    return _transfers().filter(nominal=nominal).order_by("-requested_at", "-pk")


def get_transfer_for_user(user, uuid) -> ManagementTransfer:
    """A transfer the user may see: one into a force where they supervise MOSOVO work, or
    one of a nominal they can see."""
    if not access.is_casework_user(user):
        raise _not_found()
    visible = Q(nominal__in=nominals_for(user).values("pk"))
    forces = _receiving_force_ids(user)
    if forces:
        visible |= Q(to_force_id__in=forces)
    return _get(_transfers().filter(visible), uuid)


def can_receive(user, transfer: ManagementTransfer) -> bool:
    return transfer.to_force_id in _receiving_force_ids(user)


def receiving_teams(*, user, force) -> QuerySet:
    """MOSOVO teams of `force` the user supervises (to receive a transfer into)."""
    from vigil.accounts.choices import TeamKind
    from vigil.accounts.models import Team

    return (
        Team.objects.filter(force=force, kind=TeamKind.MOSOVO)
        .filter(_team_reach(user))
        .order_by("name", "pk")
    )


def _team_reach(user) -> Q:
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    return Q(pk__in=team_ids) | Q(force_id__in=force_ids)


# --- the assessments of ARMS (declared to the instruments app in apps.py) -----------------


def assessments_visible_q(user) -> Q:
    """A Q on instruments' Assessment: the ARMS assessments of nominals the user may see."""
    arms = Arms.objects.filter(nominal__in=nominals_for(user).values("pk"))
    return Q(subject_type="offenders.arms", subject_id__in=arms.values("uuid"))


def supervises_assessment(user, assessment) -> bool:
    """Whether the user supervises the nominal whose ARMS the assessment is."""
    arms = Arms.objects.select_related("nominal__team").filter(uuid=assessment.subject_id).first()
    return arms is not None and can_supervise(user, arms.nominal)
