import pytest
import time_machine

from vigil.accounts.choices import Rank, Role
from vigil.core.testing import make_user
from vigil.workforce.tests import helpers


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=False):
        yield


@pytest.fixture
def east(force):
    return helpers.mosovo(force)


@pytest.fixture
def west(force):
    return helpers.mosovo(force, "MOSOVO West")


@pytest.fixture
def manager(east):
    return make_user(Role.MANAGER, east, rank=Rank.INSPECTOR)


@pytest.fixture
def sergeant(east):
    return make_user(Role.SUPERVISOR, east, rank=Rank.SERGEANT)
