import pytest
import time_machine

from vigil.accounts.choices import Role, Scope, TeamKind
from vigil.core.testing import make_force, make_team, make_user


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=False):
        yield


class People:
    """A MOSOVO team with its manager and analyst, an officer, the assurance office,
    and a manager in another force."""

    def __init__(self, force):
        self.force = force
        self.team = make_team(force, name="MOSOVO East", kind=TeamKind.MOSOVO)
        self.manager = make_user(Role.MANAGER, self.team, scope=Scope.FORCE)
        self.analyst = make_user(Role.ANALYST, self.team)
        self.officer = make_user(Role.OFFICER, self.team)
        self.supervisor = make_user(Role.SUPERVISOR, self.team)
        office = make_team(force, name="PCC office", kind=TeamKind.OTHER)
        self.assurance = make_user(Role.ASSURANCE, office, scope=Scope.FORCE)
        self.other_force = make_force("gwent", "Gwent Police")
        elsewhere = make_team(self.other_force, name="MOSOVO Gwent", kind=TeamKind.MOSOVO)
        self.outsider = make_user(Role.MANAGER, elsewhere, scope=Scope.FORCE)


@pytest.fixture
def people(force):
    return People(force)
