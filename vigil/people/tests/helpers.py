"""Building people for the people app's tests (through the services, as real data is)."""

from __future__ import annotations

import datetime as dt
import itertools

from vigil.accounts.choices import Role, Scope
from vigil.core.testing import make_user
from vigil.people import services

_n = itertools.count(1)


def make_person(
    team,
    *,
    actor=None,
    given_name=None,
    family_name="Jones",
    date_of_birth=dt.date(1980, 5, 17),
    **kwargs,
):
    """A person owned by `team`, created by a supervisor of that team unless `actor` is given."""
    actor = actor or make_user(Role.SUPERVISOR, team)
    return services.person_create(
        actor=actor,
        team=team,
        given_name=given_name or f"Person{next(_n)}",
        family_name=family_name,
        date_of_birth=date_of_birth,
        confirm_not_duplicate=True,
        **kwargs,
    )


def force_manager(team):
    return make_user(Role.MANAGER, team, scope=Scope.FORCE)
