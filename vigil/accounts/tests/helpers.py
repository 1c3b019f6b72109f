"""Two forces with an administrator each, and the system administrator."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.accounts.choices import Role, Scope
from vigil.accounts.models import Force, Team, User
from vigil.core.testing import PASSWORD, make_force, make_team, make_user


@dataclass
class World:
    force: Force
    other_force: Force
    team: Team
    other_team: Team
    admin: User  # administrator of `force`
    other_admin: User  # administrator of `other_force`
    officer: User  # in `force`
    outsider: User  # an officer in `other_force`
    system_admin: User


def make_system_admin(**extra) -> User:
    return User.objects.create_superuser(
        extra.pop("email", "sysadmin@example.police.uk"),
        PASSWORD,
        full_name=extra.pop("full_name", "System Administrator"),
        **extra,
    )


def two_forces() -> World:
    force = make_force()
    other_force = Force.objects.create(
        code="north-wales", name="North Wales Police", name_cy="Heddlu Gogledd Cymru"
    )
    team = make_team(force)
    other_team = make_team(other_force, name="POLIT North")
    return World(
        force=force,
        other_force=other_force,
        team=team,
        other_team=other_team,
        admin=make_user(Role.ADMIN, team, scope=Scope.FORCE, full_name="Alys Admin"),
        other_admin=make_user(Role.ADMIN, other_team, full_name="Bryn Admin"),
        officer=make_user(Role.OFFICER, team, full_name="Ceri Officer"),
        outsider=make_user(Role.OFFICER, other_team, full_name="Dafydd Outsider"),
        system_admin=make_system_admin(),
    )
