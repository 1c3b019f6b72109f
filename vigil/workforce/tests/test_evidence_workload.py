"""The D metrics: officers within the threshold, teams within capacity, as of a date."""

import datetime as dt

import pytest
import time_machine

from vigil.assurance.metrics import compute, gap_queryset, get_metric, window_for
from vigil.core import clock
from vigil.workforce.services import staff as staff_services
from vigil.workforce.tests import helpers

pytestmark = pytest.mark.django_db


def test_officers_within_threshold(east, manager):
    fine = helpers.staff(east, actor=manager)
    busy = helpers.staff(east, actor=manager, fte="0.10")  # capacity 12
    helpers.nominal(east, busy.user, risk="very_high")  # 12: at the threshold
    helpers.nominal(east, busy.user, risk="low")  # 14: over
    helpers.nominal(east, fine.user, risk="low")
    metric = get_metric("officers_within_workload_threshold")
    result = compute(metric, window_for(clock.today()))
    assert (result.numerator, result.denominator) == (1, 2)
    gaps = list(gap_queryset(metric, window_for(clock.today()), user=manager))
    assert [g["gap_officer"] for g in gaps] == [busy.user.full_name]
    assert gaps[0]["gap_points"] == 14


def test_staff_who_had_not_started_or_had_left_are_not_counted(east, manager):
    with time_machine.travel("2026-06-01 10:00:00+00:00", tick=False):
        leaver = helpers.staff(east, actor=manager, started_on=dt.date(2026, 1, 1))
    helpers.staff(east, actor=manager, started_on=dt.date(2026, 10, 1))
    staff_services.staff_record_end(actor=manager, staff=leaver, left_on=dt.date(2026, 9, 1))
    metric = get_metric("officers_within_workload_threshold")
    assert compute(metric, window_for(dt.date(2026, 8, 1))).denominator == 1
    assert compute(metric, window_for(clock.today())).denominator == 1
    assert compute(metric, window_for(dt.date(2026, 9, 15))).denominator == 0


def test_teams_demand_within_capacity(east, west, manager):
    helpers.staff(east, actor=manager)
    one = helpers.staff(west, actor=manager, fte="0.10")
    helpers.nominal(west, one.user, risk="very_high")
    helpers.nominal(west, one.user, risk="very_high")
    metric = get_metric("teams_demand_within_capacity")
    result = compute(metric, window_for(clock.today()))
    assert (result.numerator, result.denominator) == (1, 2)
    gaps = list(gap_queryset(metric, window_for(clock.today()), user=manager))
    assert gaps == []  # the east manager does not reach the west team
    assert compute(metric, window_for(clock.today()), teams=[east.pk]).numerator == 1


def test_the_figures_are_measurable_in_the_assurance_document(east, manager):
    from vigil.assurance.metrics import metrics_for_point

    for point in ("D", "K"):
        assert all(m.measurable for m in metrics_for_point(point)), point
