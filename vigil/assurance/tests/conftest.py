import pytest
import time_machine

from vigil.assurance.tests.factories import World, at

# "Now" in the scenarios: after the as-of dates they look at.
NOW = at(2026, 12, 15, 9)


@pytest.fixture
def frozen(db):
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(force, frozen):
    return World(force)
