"""The dashboard reads the sweep's snapshots where they give the figures computing them
would (taken after the day ended, or today's within the hour), and computes the rest: the
same figures, for one query instead of one per metric."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.choices import Role, TeamKind
from vigil.accounts.models import Force
from vigil.accounts.tests.helpers import make_system_admin
from vigil.assurance import selectors, services
from vigil.assurance.models import MetricSnapshot
from vigil.assurance.tests.conftest import NOW
from vigil.assurance.tests.factories import World, at
from vigil.core.testing import make_team, make_user, verified_client

AS_OF = dt.date(2026, 11, 28)
KEY = "visits_unannounced_in_pairs"


@pytest.fixture
def office(world):
    return make_user(Role.ASSURANCE, make_team(world.force, name="PCC office", kind=TeamKind.OTHER))


@pytest.fixture
def visits(world):
    """Point N: three of four visits unannounced in pairs (75.0%, 3 of 4)."""
    nominal = world.nominal(created_at=at(2025, 1, 1))
    for i in range(3):
        world.visit(nominal, at(2026, 3, 1) + dt.timedelta(hours=i))
    world.visit(nominal, at(2026, 4, 1), announced=True)
    return nominal


def _figures(evaluation) -> dict:
    return {
        r.metric.key: (r.numerator, r.denominator, str(r.status))
        for row in evaluation.rows
        for r in row.results
    }


def _headlines(html: str) -> list[str]:
    """The dashboard's headline figures, in order."""
    return re.findall(r"\d+\.\d% \(\d+ of \d+\)|No cases in period|Not yet measurable", html)


def _dashboard(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("assurance:dashboard"), params)
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())
    return html, len(ctx.captured_queries)


def test_stored_final_figures_are_the_computed_ones_for_one_query(world, visits, office):
    client = verified_client(office)
    _dashboard(client, as_of=AS_OF)  # the session settles
    computed_html, computed_queries = _dashboard(client, as_of=AS_OF)
    live = _figures(selectors.evaluate(AS_OF, force=world.force))
    services.snapshot_take(as_of=AS_OF)  # now is after the day: final figures
    stored = selectors.evaluate(AS_OF, force=world.force, stored=True)
    assert _figures(stored) == live
    assert stored.stored_at is None  # a past day's: nothing to say about when
    html, queries = _dashboard(client, as_of=AS_OF)
    assert _headlines(html) == _headlines(computed_html)
    assert "75.0% (3 of 4)" in _headlines(html)
    assert queries < computed_queries - 10
    # It is the stored row that is shown: change it and the dashboard follows.
    MetricSnapshot.objects.filter(metric_key=KEY, as_of=AS_OF).update(numerator=1)
    assert "25.0% (1 of 4)" in _dashboard(client, as_of=AS_OF)[0]


def test_the_dashboard_costs_the_same_queries_however_many_records(
    world, visits, office, django_assert_num_queries
):
    services.snapshot_take(as_of=AS_OF)
    client = verified_client(office)
    _dashboard(client, as_of=AS_OF)
    _html, queries = _dashboard(client, as_of=AS_OF)
    for i in range(5):
        world.visit(visits, at(2026, 5, 1) + dt.timedelta(hours=i))
    services.snapshot_take(as_of=AS_OF)
    with django_assert_num_queries(queries):
        client.get(reverse("assurance:dashboard"), {"as_of": AS_OF})


def test_a_snapshot_taken_before_its_day_ended_is_not_used(world, visits, office):
    with time_machine.travel(at(2026, 11, 28, 10), tick=False):
        services.snapshot_take(as_of=AS_OF)  # taken during the day: not final
    MetricSnapshot.objects.filter(metric_key=KEY, as_of=AS_OF).update(numerator=1)
    html, _queries = _dashboard(verified_client(office), as_of=AS_OF)
    assert "75.0% (3 of 4)" in html


def test_todays_snapshot_is_used_within_the_hour_and_says_when_it_was_taken(
    world, visits, office, frozen
):
    today = NOW.date()
    client = verified_client(office)
    computed_html, _ = _dashboard(client)
    services.snapshot_take(as_of=today)  # at 09:00
    MetricSnapshot.objects.filter(metric_key=KEY, as_of=today).update(numerator=1)
    frozen.shift(dt.timedelta(minutes=30))
    html, _ = _dashboard(client)
    assert "25.0% (1 of 4)" in html
    assert "as they stood at 09:00" in html
    welsh = verified_client(office)
    welsh.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    assert "fel yr oeddent am 09:00" in _dashboard(welsh)[0]
    frozen.shift(dt.timedelta(hours=1))  # more than an hour old: computed again
    html, _ = _dashboard(verified_client(office))  # (the earlier session has timed out)
    assert "75.0% (3 of 4)" in html
    assert "as they stood at" not in html
    assert "as they stood at" not in computed_html


def test_a_metric_without_a_usable_snapshot_is_computed(world, visits, office):
    services.snapshot_take(as_of=AS_OF)
    MetricSnapshot.objects.filter(metric_key=KEY, as_of=AS_OF).delete()
    live = _figures(selectors.evaluate(AS_OF, force=world.force))
    assert _figures(selectors.evaluate(AS_OF, force=world.force, stored=True)) == live
    assert live[KEY][:2] == (3, 4)


def test_every_force_together_adds_the_forces_snapshots_up_only_when_each_has_one(world, visits):
    other = Force.objects.create(code="north-wales", name="North Wales Police", name_cy="Gogledd")
    second = World(other)
    nominal = second.nominal(created_at=at(2025, 1, 1))
    second.visit(nominal, at(2026, 3, 1))
    live = _figures(selectors.evaluate(AS_OF))
    assert live[KEY][:2] == (4, 5)
    services.snapshot_take(as_of=AS_OF)
    assert _figures(selectors.evaluate(AS_OF, stored=True)) == live
    client = verified_client(make_system_admin())
    assert "80.0% (4 of 5)" in _dashboard(client, as_of=AS_OF)[0]
    # One force's row missing: the figure is computed, not half added up.
    MetricSnapshot.objects.filter(metric_key=KEY, as_of=AS_OF, force=other).delete()
    MetricSnapshot.objects.filter(metric_key=KEY, as_of=AS_OF).update(numerator=0)
    assert _figures(selectors.evaluate(AS_OF, stored=True))[KEY] == live[KEY]
    # Another force's snapshots never reach this force's figures.
    assert _figures(selectors.evaluate(AS_OF, force=world.force, stored=True))[KEY][:2] == (0, 4)
