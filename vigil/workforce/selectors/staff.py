"""Who may see and manage which teams' staff, and the staff records as they stood at a
moment (in post, hours in force)."""

from __future__ import annotations

import datetime as dt

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import Role, Scope, TeamKind
from vigil.accounts.models import Team
from vigil.core.exceptions import NotFound
from vigil.workforce.models import Establishment, StaffHours, StaffRecord

WORKFORCE_TEAM_KINDS = (TeamKind.POLIT, TeamKind.MOSOVO)
VIEW_ROLES = (Role.SUPERVISOR, Role.MANAGER, Role.ANALYST)
MANAGE_ROLES = (Role.MANAGER,)
REVIEW_ROLES = (Role.SUPERVISOR, Role.MANAGER)


def can_view(user) -> bool:
    """A supervisor, manager or analyst of a POLIT or MOSOVO team, or one whose role
    reaches the whole force. No query: the memberships are cached for the request."""
    return any(
        m.role in VIEW_ROLES and (m.scope == Scope.FORCE or m.team.kind in WORKFORCE_TEAM_KINDS)
        for m in access.memberships(user)
    )


def workforce_teams(*, user, roles=VIEW_ROLES) -> QuerySet:
    """The POLIT and MOSOVO teams whose staff `user` sees (or, with `roles`, manages)."""
    return Team.objects.filter(_team_reach(user, roles), kind__in=WORKFORCE_TEAM_KINDS)


def _team_reach(user, roles) -> Q:
    team_ids, force_ids = access.team_scope(user, roles)
    q = Q(pk__in=[])
    if team_ids:
        q |= Q(pk__in=team_ids)
    if force_ids:
        q |= Q(force_id__in=force_ids)
    return q


def get_team_for_user(user, team_uuid, *, roles=VIEW_ROLES) -> Team:
    """The team, if `user` reaches it in one of `roles`; NotFound for missing and
    forbidden alike."""
    team = workforce_teams(user=user, roles=roles).filter(uuid=team_uuid).first()
    if team is None:
        raise NotFound(_("Not found."))
    return team


def in_post_q(moment: dt.datetime, prefix: str = "") -> Q:
    """The staff record had been made, and the person was in the team, at `moment`."""
    day = timezone.localdate(moment)
    return Q(**{f"{prefix}created_at__lte": moment, f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def hours_at(moment: dt.datetime, field: str, outer: str = "pk") -> Subquery:
    """The value of `field` (fte, protected_percent) of the hours row in force at `moment`
    for the staff record OuterRef(`outer`)."""
    rows = StaffHours.objects.filter(
        staff=OuterRef(outer), effective_from__lte=moment, created_at__lte=moment
    ).order_by("-effective_from", "-id")
    output = StaffHours._meta.get_field(field)
    return Subquery(rows.values(field)[:1], output_field=output)


def establishment_at(moment: dt.datetime, outer: str = "pk") -> Subquery:
    rows = Establishment.objects.filter(
        team=OuterRef(outer), effective_from__lte=moment, created_at__lte=moment
    ).order_by("-effective_from", "-id")
    return Subquery(
        rows.values("posts")[:1], output_field=DecimalField(max_digits=6, decimal_places=2)
    )


def staff_in_post(*, teams, moment: dt.datetime) -> QuerySet:
    """Staff records of `teams` in post at `moment`, with `fte_now` and
    `protected_now` (their hours in force then)."""
    return (
        StaffRecord.objects.filter(in_post_q(moment), team__in=teams)
        .select_related("user", "team")
        .annotate(
            fte_now=hours_at(moment, "fte"), protected_now=hours_at(moment, "protected_percent")
        )
    )


def get_staff_for_user(user, staff_uuid, *, roles=VIEW_ROLES) -> StaffRecord:
    """A staff record of a team `user` reaches; NotFound for missing and forbidden alike."""
    record = (
        StaffRecord.objects.filter(
            uuid=staff_uuid, team__in=workforce_teams(user=user, roles=roles)
        )
        .select_related("user", "team")
        .first()
    )
    if record is None:
        raise NotFound(_("Not found."))
    return record


def staff_hours_history(staff: StaffRecord) -> QuerySet:
    return staff.hours.select_related("created_by").order_by("-effective_from", "-id")


def people_without_record(*, team) -> QuerySet:
    """Members of `team` who have no open staff record there (for "add a staff record")."""
    from vigil.accounts.models import User

    return (
        User.objects.filter(memberships__team=team, is_active=True)
        .exclude(staff_records__team=team, staff_records__left_on__isnull=True)
        .distinct()
        .order_by("full_name", "pk")
    )


def authorisers(*, team) -> QuerySet:
    """Supervisors and managers who reach `team` (who may authorise an abstraction)."""
    from vigil.accounts.models import User

    return (
        User.objects.filter(
            Q(memberships__team=team)
            | Q(memberships__scope="force", memberships__team__force=team.force_id),
            memberships__role__in=REVIEW_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def staff_now(*, team) -> QuerySet:
    from vigil.core import clock

    return (
        StaffRecord.objects.filter(in_post_q(clock.now()), team=team)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
