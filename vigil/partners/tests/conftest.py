import pytest
import time_machine

from vigil.partners.tests.helpers import Partnership

# A Monday, 10:00 in London.
NOW = "2026-11-02 10:00:00+00:00"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(force):
    return Partnership(force)


@pytest.fixture
def nominal(world):
    return world.nominal()
