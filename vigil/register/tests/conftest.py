import pytest
import time_machine

from vigil.register.tests.helpers import Mosovo


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=True):
        yield


@pytest.fixture
def east(force):
    return Mosovo(force)
