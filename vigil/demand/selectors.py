"""Permission-scoped reads of demand forecasts.

Who sees what: a forecast holds counts only (no personal data), so its readers are
- managers and analysts of a MOSOVO team, or with force scope: run and read their
  force's forecasts;
- the assurance role (delivery group, PCC's office): reads its forces' forecasts.
Missing and forbidden are both 404. Lists cost a fixed number of queries.
"""

from __future__ import annotations

import uuid as uuid_module

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import Role, Scope, TeamKind
from vigil.core.exceptions import NotFound
from vigil.demand.models import Forecast

RUN_ROLES = frozenset({Role.MANAGER, Role.ANALYST})
# Supervisors read the forecast of their MOSOVO team: its refresh duty is on their team work.
READ_ROLES = RUN_ROLES | {Role.ASSURANCE, Role.SUPERVISOR}
LIST_LIMIT = 200


def _not_found() -> NotFound:
    return NotFound(_("There is no such record, or you do not have access to it."))


def _forces(user, roles) -> set[int]:
    out: set[int] = set()
    for m in access.memberships(user):
        if m.role not in roles:
            continue
        if m.role == Role.ASSURANCE or m.scope == Scope.FORCE or m.team.kind == TeamKind.MOSOVO:
            out.add(m.team.force_id)
    return out


def run_force_ids(user) -> set[int]:
    """Forces the user may run demand forecasts for."""
    return _forces(user, RUN_ROLES)


def read_force_ids(user) -> set[int]:
    """Forces whose demand forecasts the user may read."""
    return _forces(user, READ_ROLES)


def can_read(user) -> bool:
    return bool(read_force_ids(user))


def refresh_team(user, force_id: int):
    """The team that owns the refresh duty of a forecast `user` runs for the force: their
    MOSOVO team there, else the team of their force-wide membership."""
    candidates = [
        m.team
        for m in access.memberships(user)
        if m.role in RUN_ROLES and m.team.force_id == force_id
    ]
    mosovo = [t for t in candidates if t.kind == TeamKind.MOSOVO]
    return (mosovo or candidates or [None])[0]


def forecast_list(*, user, force_id: int | None = None) -> QuerySet[Forecast]:
    """The forecasts of the forces the user reads, newest first (at most LIST_LIMIT)."""
    forces = read_force_ids(user)
    if force_id is not None:
        forces &= {force_id}
    return (
        Forecast.objects.filter(force_id__in=forces)
        .select_related("force", "created_by")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def get_forecast_for_user(*, user, forecast_uuid) -> Forecast:
    """One forecast the user may read, or NotFound (missing and forbidden alike)."""
    try:
        key = uuid_module.UUID(str(forecast_uuid))
    except ValueError:
        raise _not_found() from None
    forecast = (
        Forecast.objects.filter(uuid=key, force_id__in=read_force_ids(user))
        .select_related("force", "team", "created_by")
        .first()
    )
    if forecast is None:
        raise _not_found()
    return forecast


def latest_per_force(force_ids=None) -> QuerySet[Forecast]:
    """The newest forecast of each force (for the refresh duty and the evidence)."""
    from django.db.models import OuterRef, Subquery

    newest = (
        Forecast.objects.filter(force_id=OuterRef("force_id"))
        .order_by("-created_at", "-id")
        .values("id")[:1]
    )
    qs = Forecast.objects.filter(id=Subquery(newest))
    if force_ids is not None:
        qs = qs.filter(force_id__in=force_ids)
    return qs
