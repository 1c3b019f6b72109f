"""Role and scope checks: what kind of work a user may do, and over which teams.

Memberships are loaded once per request and cached on the user object, so checks in a
page cost one query however many are made.
"""

from __future__ import annotations

from collections.abc import Iterable

from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES, Role, Scope


def memberships(user) -> list:
    """The user's memberships with team and force, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_vigil_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("team", "team__force"))
        user._vigil_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def is_casework_user(user) -> bool:
    return bool(roles(user) & CASEWORK_ROLES)


def is_supervisor(user) -> bool:
    return bool(roles(user) & SUPERVISORY_ROLES)


def is_admin(user) -> bool:
    """An administrator of some force, or the system administrator. Which users, teams and
    tokens they manage is `admin_force_ids`: this only says they may open the pages."""
    return has_role(user, Role.ADMIN) or is_system_admin(user)


def is_system_admin(user) -> bool:
    """The system administrator: Django's superuser (the account `vigil createsuperuser`
    makes). Adds forces, and manages users, teams and tokens in every force."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "is_superuser", False)
    )


def admin_force_ids(user) -> set[int] | None:
    """The forces whose users, teams and tokens `user` administers: None for the system
    administrator (every force); otherwise the forces of their administrator memberships,
    whatever the membership's scope (empty for anyone else)."""
    if is_system_admin(user):
        return None
    return {m.team.force_id for m in memberships(user) if m.role == Role.ADMIN}


def is_aggregates_only(user) -> bool:
    """The assurance/PCC office sees aggregates only, never a person's record."""
    return has_role(user, Role.ASSURANCE) and not is_casework_user(user)


def team_scope(user, role_set: Iterable[str]) -> tuple[set[int], set[int]]:
    """(team ids, force ids) the user reaches through memberships with one of `role_set`.

    A team-scope membership reaches its team; a force-scope membership reaches every team
    of its force (returned as a force id so that new teams are covered too).
    """
    wanted = set(role_set)
    team_ids: set[int] = set()
    force_ids: set[int] = set()
    for m in memberships(user):
        if m.role not in wanted:
            continue
        if m.scope == Scope.FORCE:
            force_ids.add(m.team.force_id)
        else:
            team_ids.add(m.team_id)
    return team_ids, force_ids


def teams_q(user, role_set: Iterable[str], *, team_field: str = "team"):
    """A Q object restricting a queryset's `team_field` to the teams the user reaches."""
    from django.db.models import Q

    team_ids, force_ids = team_scope(user, role_set)
    q = Q(pk__in=[])
    if team_ids:
        q |= Q(**{f"{team_field}_id__in": team_ids})
    if force_ids:
        q |= Q(**{f"{team_field}__force_id__in": force_ids})
    return q


def primary_team(user):
    """The team the user works in first (their first casework membership, else any)."""
    ms = memberships(user)
    for m in ms:
        if m.role in CASEWORK_ROLES:
            return m.team
    return ms[0].team if ms else None


def rank_at_least(user, rank: str) -> bool:
    """Whether the user's rank or grade authorises decisions that need `rank` (a decision
    needing an inspector accepts an inspector, a chief inspector, a staff manager...)."""
    from vigil.accounts.choices import RANK_LEVEL

    return (
        bool(getattr(user, "is_authenticated", False))
        and RANK_LEVEL.get(user.rank, 0) >= RANK_LEVEL[rank]
    )
