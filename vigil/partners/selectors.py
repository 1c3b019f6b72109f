"""Reads of the partnership, scoped to the user.

Who sees what:
- a probation practitioner (a probation-partner membership of a region's team) sees the
  requests to or from their region, and of each request's nominal only what the agreement
  shares (name, date of birth, risk level, MAPPA category and level, managing officer);
- a police officer, supervisor or manager sees the requests of the teams they reach;
- nobody sees a request about a restricted person unless the person is open to them (a
  probation practitioner never: restricted people are not shared).
Missing and forbidden are the same NotFound.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import Role
from vigil.core import clock
from vigil.core.exceptions import NotFound
from vigil.duties.models import Duty, Escalation
from vigil.partners import duty_kinds
from vigil.partners.choices import OPEN_STATES, Direction
from vigil.partners.models import Agreement, ProbationRegion, Request

POLICE_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.MANAGER})


def _not_found() -> NotFound:
    return NotFound(_("There is no such record, or you do not have access to it."))


def region_ids(user) -> set[int]:
    """The probation regions whose team the user is a probation partner of."""
    cached = getattr(user, "_vigil_partner_regions", None)
    if cached is not None:
        return cached
    teams = {m.team_id for m in access.memberships(user) if m.role == Role.PROBATION}
    regions = (
        set(ProbationRegion.objects.filter(team_id__in=teams).values_list("pk", flat=True))
        if teams
        else set()
    )
    if getattr(user, "is_authenticated", False):
        # Cached on the user for the request, like the memberships.
        user._vigil_partner_regions = regions
    return regions


def is_practitioner(user) -> bool:
    return bool(region_ids(user))


def is_police_partner(user) -> bool:
    return access.has_role(user, *POLICE_ROLES)


def can_use(user) -> bool:
    return is_police_partner(user) or is_practitioner(user)


def side(user) -> str:
    """The side the user works on: "probation" (a practitioner), else "police"."""
    return "probation" if is_practitioner(user) else "police"


def request_scope(user) -> QuerySet[Request]:
    """Every request the user may see."""
    if is_practitioner(user):
        return Request.objects.filter(
            agreement__region_id__in=region_ids(user), nominal__person__is_restricted=False
        )
    if not is_police_partner(user):
        return Request.objects.none()
    from vigil.people.models import Person

    named = Person.restricted_to.through.objects.filter(
        person_id=OuterRef("nominal__person_id"), user_id=user.pk
    )
    return Request.objects.filter(
        access.teams_q(user, POLICE_ROLES, team_field="police_team")
    ).filter(Q(nominal__person__is_restricted=False) | Q(Exists(named)))


def agreement_scope(user) -> QuerySet[Agreement]:
    if is_practitioner(user):
        return Agreement.objects.filter(region_id__in=region_ids(user))
    if not is_police_partner(user):
        return Agreement.objects.none()
    _teams, forces = access.team_scope(user, POLICE_ROLES)
    team_forces = {m.team.force_id for m in access.memberships(user) if m.role in POLICE_ROLES}
    return Agreement.objects.filter(force_id__in=forces | team_forces)


def _key(value) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        raise _not_found() from None


LIST_RELATED = ("nominal__person", "police_team", "agreement__region", "raised_by")


def request_list(
    *,
    user,
    box: str = "",
    kind: str = "",
    state: str = "",
    direction: str = "",
    overdue: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Request]:
    """The user's requests, filtered. `box` is "inbox" (the requests the user's side
    answers) or "sent" (those it raised); empty for both."""
    qs = request_scope(user).select_related(*LIST_RELATED)
    mine = side(user)
    to_me = Direction.TO_PROBATION if mine == "probation" else Direction.TO_POLICE
    if box == "inbox":
        qs = qs.filter(direction=to_me)
    elif box == "sent":
        qs = qs.exclude(direction=to_me)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if direction:
        qs = qs.filter(direction=direction)
    if overdue:
        qs = qs.filter(state__in=OPEN_STATES, due_at__lt=now or clock.now())
    return qs.order_by("-raised_at", "-id")


def get_request_for_user(user, uuid, *, audit_view: bool = False) -> Request:
    """One request the user may see, with its nominal and agreement (the read audited when
    `audit_view`)."""
    request = (
        request_scope(user)
        .select_related(
            *LIST_RELATED,
            "nominal__offender_manager",
            "version",
            "agreement__police_owner",
            "agreement__probation_owner",
            "acknowledged_by",
            "answered_by",
        )
        .filter(uuid=_key(uuid))
        .first()
    )
    if request is None:
        raise _not_found()
    if audit_view:
        audit.record(user, "partners.request_view", request, person=request.nominal.person)
    return request


def nominal_requests(user, request: Request) -> QuerySet[Request]:
    """The other requests about the same nominal that the user may see."""
    return (
        request_scope(user)
        .filter(nominal_id=request.nominal_id)
        .exclude(pk=request.pk)
        .select_related("agreement__region")
        .order_by("-raised_at")[:50]
    )


def escalations_for(request: Request) -> QuerySet[Escalation]:
    duty_ids = Duty.objects.filter(
        kind=duty_kinds.REQUEST, subject_type="partners.request", subject_id=request.uuid
    ).values("pk")
    return Escalation.objects.filter(duty_id__in=duty_ids).order_by("escalated_at")


def timeline(request: Request) -> list[dict]:
    """The request's steps, newest first (MOJ timeline)."""
    events = [
        {"at": request.raised_at, "title": _("Request raised"), "by": request.raised_by},
    ]
    if request.acknowledged_at:
        events.append(
            {
                "at": request.acknowledged_at,
                "title": _("Acknowledged"),
                "by": request.acknowledged_by,
            }
        )
    for e in escalations_for(request):
        events.append(
            {
                "at": e.escalated_at,
                "title": _("Escalated to the %(level)s") % {"level": e.get_level_display().lower()},
                "by": None,
            }
        )
    if request.answered_at:
        title = _("Responded") if request.state == "responded" else _("Declined")
        events.append({"at": request.answered_at, "title": title, "by": request.answered_by})
    if request.rated_at:
        events.append(
            {"at": request.rated_at, "title": _("Response rated"), "by": request.raised_by}
        )
    # Oldest first, then turned round: steps at the same moment keep their order.
    events.sort(key=lambda e: e["at"])
    return events[::-1]


def get_agreement_for_user(user, uuid) -> Agreement:
    agreement = (
        agreement_scope(user)
        .select_related("force", "region", "police_owner", "probation_owner")
        .filter(uuid=_key(uuid))
        .first()
    )
    if agreement is None:
        raise _not_found()
    return agreement


def agreements_for(user) -> QuerySet[Agreement]:
    return agreement_scope(user).select_related(
        "force", "region", "police_owner", "probation_owner"
    )


def version_at(agreement: Agreement, day: dt.date):
    """The version in force on `day` (None before the first)."""
    return (
        agreement.versions.filter(effective_from__lte=day)
        .order_by("-effective_from", "-number")
        .first()
    )


def _median_hours(qs: QuerySet[Request]) -> float | None:
    """The median time from raised to answered, in hours, found in the database (the
    middle row by duration: a count and one row)."""
    n = qs.count()
    if not n:
        return None
    ordered = qs.annotate(
        took=ExpressionWrapper(F("answered_at") - F("raised_at"), DurationField())
    )
    values = list(
        ordered.order_by("took").values_list("took", flat=True)[(n - 1) // 2 : n // 2 + 1]
    )
    seconds = sum(v.total_seconds() for v in values) / len(values)
    return round(seconds / 3600, 1)


def sla_figures(
    *, queryset: QuerySet[Request], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[dict]:
    """Per direction: of the requests due in [start, end) and past due by `now`, how many
    and how many were answered within the agreed time; the median response (requests
    answered in the period); open and overdue now; escalations in the period. A fixed
    number of queries."""
    rows = []
    for direction in Direction:
        qs = queryset.filter(direction=direction)
        counts = qs.filter(due_at__gte=start, due_at__lt=end, due_at__lte=now).aggregate(
            total=Count("pk"), within=Count("pk", filter=Q(answered_at__lte=F("due_at")))
        )
        median = _median_hours(qs.filter(answered_at__gte=start, answered_at__lt=end))
        overdue = qs.filter(state__in=OPEN_STATES, due_at__lt=now).count()
        escalated = Escalation.objects.filter(
            duty__kind=duty_kinds.REQUEST,
            duty__subject_id__in=qs.values("uuid"),
            escalated_at__gte=start,
            escalated_at__lt=end,
        ).count()
        total, within = counts["total"], counts["within"]
        rows.append(
            {
                "direction": direction.value,
                "label": direction.label,
                "due": total,
                "within": within,
                "percent": round(within * 100 / total) if total else None,
                "median_hours": median,
                "overdue": overdue,
                "escalations": escalated,
            }
        )
    return rows


# --- setting up: regions, practitioners, agreements and versions ------------------------


def setup_force_ids(user) -> set[int] | None:
    """The forces whose partnerships `user` sets up: every force for the system
    administrator (None); else the forces they administer and those where they are the
    police owner of an agreement (the force's SLA owner)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    admin = access.admin_force_ids(user)
    if admin is None:
        return None
    cached = getattr(user, "_vigil_partner_setup", None)
    if cached is None:
        owned = set(Agreement.objects.filter(police_owner=user).values_list("force_id", flat=True))
        cached = admin | owned
        user._vigil_partner_setup = cached
    return cached


def can_set_up(user, force_id: int | None = None) -> bool:
    """Whether the user sets up partnerships (of `force_id`, or of any force)."""
    forces = setup_force_ids(user)
    if forces is None:
        return True
    return force_id in forces if force_id is not None else bool(forces)


def _setup_q(user, field: str = "force_id") -> Q:
    forces = setup_force_ids(user)
    return Q() if forces is None else Q(**{f"{field}__in": forces})


def regions_for_setup(user) -> QuerySet[ProbationRegion]:
    """The regions the user sets up, with their force, team, agreement and the number of
    practitioners."""
    return (
        ProbationRegion.objects.filter(_setup_q(user))
        .select_related("force", "team", "agreement__police_owner", "agreement__probation_owner")
        .annotate(
            practitioners=Count(
                "team__memberships", filter=Q(team__memberships__role=Role.PROBATION)
            )
        )
        .order_by("force__name", "name")
    )


def get_region_for_setup(user, uuid) -> ProbationRegion:
    region = regions_for_setup(user).filter(uuid=_key(uuid)).first()
    if region is None:
        raise _not_found()
    return region


def get_agreement_for_setup(user, uuid) -> Agreement:
    agreement = (
        Agreement.objects.filter(_setup_q(user))
        .select_related("force", "region", "police_owner", "probation_owner")
        .filter(uuid=_key(uuid))
        .first()
    )
    if agreement is None:
        raise _not_found()
    return agreement


def practitioners_of(region: ProbationRegion):
    from vigil.accounts.models import Membership

    return (
        Membership.objects.filter(team_id=region.team_id, role=Role.PROBATION)
        .select_related("user")
        .order_by("user__full_name", "id")
    )


def police_owner_choices(force_id: int):
    """The supervisors and managers of the force (who may own an agreement)."""
    from vigil.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__team__force_id=force_id,
            memberships__role__in=[Role.SUPERVISOR, Role.MANAGER],
        )
        .distinct()
        .order_by("full_name", "id")
    )


def setup_history(agreement: Agreement) -> list:
    """The audit events of setting up the agreement and its region, newest first."""
    from vigil.audit.models import AuditEvent

    version_ids = [str(u) for u in agreement.versions.values_list("uuid", flat=True)]
    events = list(
        AuditEvent.objects.filter(
            Q(target_type="partners.agreement", target_id=str(agreement.uuid))
            | Q(target_type="partners.agreementversion", target_id__in=version_ids)
            | Q(target_type="partners.probationregion", target_id=str(agreement.region.uuid))
        )
        .filter(action__in=list(SETUP_ACTIONS))
        .order_by("-at", "-id")[:100]
    )
    from vigil.accounts.models import User

    names = dict(
        User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id}).values_list(
            "pk", "full_name"
        )
    )
    for e in events:
        e.setup_label = SETUP_ACTIONS[e.action]
        # The timeline names who did it (an e-mail address is not a name; Vigil itself,
        # when no one did).
        e.actor_name = names.get(e.actor_id) or e.actor_email or _("Vigil")
    return events


SETUP_ACTIONS = {
    "partners.region_create": gettext_lazy("Region added"),
    "partners.practitioner_add": gettext_lazy("Practitioner added"),
    "partners.practitioner_remove": gettext_lazy("Practitioner removed"),
    "partners.agreement_create": gettext_lazy("Agreement set up, with version 1"),
    "partners.version_create": gettext_lazy("New version published"),
}
