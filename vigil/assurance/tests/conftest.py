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


@pytest.fixture(autouse=True)
def seeded_register(request):
    """The recommendation register as its data migration seeds it. Browser tests empty the
    database between tests (seeded rows included), so put it back when it is missing."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from importlib import import_module

    from django.apps import apps

    from vigil.assurance.models import Point

    if not Point.objects.exists():
        import_module("vigil.assurance.migrations.0002_seed_recommendations_and_points").seed(
            apps, None
        )
