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


@pytest.fixture
def point_not_measurable():
    """Every point is measurable now. The tests of how a point without records is shown
    take point S's metrics out of the registry for the test and put one not-yet-measurable
    metric (with its reason) in their place; the registry is put back afterwards."""
    from vigil.assurance import metrics

    saved = dict(metrics._REGISTRY)
    for key in [k for k, m in saved.items() if m.point == "S"]:
        del metrics._REGISTRY[key]
    metrics.declare_metric(
        "supervisors_trauma_training_in_date",
        point="S",
        label="In-scope supervisors with in-date trauma-informed training",
        definition="In-scope supervisors with in-date trauma-informed training",
        reason="Vigil does not yet hold training records.",
    )
    yield "S"
    metrics._REGISTRY.clear()
    metrics._REGISTRY.update(saved)
