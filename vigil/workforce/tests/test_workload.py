"""Workload points, capacity and team demand, computed in the database."""

import datetime as dt

import pytest

from vigil.core import clock
from vigil.core.services import policy_override_create
from vigil.workforce import policies
from vigil.workforce.choices import StaffRole
from vigil.workforce.selectors import workload
from vigil.workforce.services import staff as staff_services
from vigil.workforce.tests import helpers

pytestmark = pytest.mark.django_db


def _row(record):
    return workload.team_workload(teams=[record.team]).get(pk=record.pk)


def test_it_weights_nominals_by_risk_and_mode(east, manager):
    officer = helpers.staff(east, actor=manager)
    helpers.nominal(east, officer.user, risk="very_high")  # 12
    helpers.nominal(east, officer.user, risk="low")  # 2
    helpers.nominal(east, officer.user, risk="high", mode="reactive")  # 1
    helpers.nominal(east, officer.user, risk="high", status="ended")  # not counted
    row = _row(officer)
    assert (row.nominal_count, row.nominal_points) == (3, 15)
    assert row.points == 15
    assert row.capacity == pytest.approx(120.0)
    assert row.load_percent == pytest.approx(12.5)


def test_it_weights_investigations_by_priority_and_stage(east, manager):
    officer = helpers.staff(east, actor=manager)
    helpers.investigation(east, officer.user, priority="high")  # 10
    helpers.investigation(east, officer.user, priority="low", state="post_arrest")  # 4 + 4
    helpers.investigation(east, officer.user, priority="high", state="closed")  # not open
    row = _row(officer)
    assert (row.investigation_count, row.investigation_points) == (2, 18)


def test_it_reduces_capacity_for_hours_and_protected_time(east, manager):
    officer = helpers.staff(east, actor=manager, fte="0.50", protected=20)
    assert _row(officer).capacity == pytest.approx(120 * 0.5 * 0.8)


def test_it_reads_hours_and_weights_as_they_were(east, manager):
    officer = helpers.staff(east, actor=manager, fte="1.00")
    helpers.nominal(east, officer.user, risk="low")
    before = clock.now()
    staff_services.staff_hours_change(
        actor=manager,
        staff=officer,
        fte="0.50",
        protected_percent=0,
        screening_in_scope=True,
        training_in_scope=False,
        effective_from=before + dt.timedelta(days=1),
    )
    then = workload.team_workload(teams=[east], moment=before).get(pk=officer.pk)
    later = workload.team_workload(teams=[east], moment=before + dt.timedelta(days=2)).get(
        pk=officer.pk
    )
    assert then.capacity == pytest.approx(120.0)
    assert later.capacity == pytest.approx(60.0)


def test_it_uses_the_weights_in_force_at_the_moment(east, manager):
    from vigil.accounts.choices import Role
    from vigil.core.testing import make_user

    officer = helpers.staff(east, actor=manager)
    helpers.nominal(east, officer.user, risk="low")
    before = clock.now()
    policy_override_create(
        actor=make_user(Role.ADMIN, east),
        key=policies.NOMINAL_WEIGHT["low"],
        value=5,
        effective_from=before + dt.timedelta(days=1),
        reason="Force review of weights.",
    )
    assert workload.team_workload(teams=[east], moment=before).get().points == 2
    later = before + dt.timedelta(days=2)
    assert workload.team_workload(teams=[east], moment=later).get().points == 5


def test_it_counts_only_people_in_post(east, manager):
    gone = helpers.staff(east, actor=manager)
    staff_services.staff_record_end(actor=manager, staff=gone, left_on=clock.today())
    here = helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR)
    assert list(workload.team_workload(teams=[east]).values_list("pk", flat=True)) == [here.pk]
    assert _row(here).capacity == pytest.approx(40.0)


def test_team_demand_counts_all_work_against_capacity(east, manager):
    officer = helpers.staff(east, actor=manager, fte="0.50")  # capacity 60
    helpers.nominal(east, officer.user, risk="very_high")  # 12
    helpers.investigation(east, officer.user, priority="very_high")  # 15
    staff_services.establishment_set(actor=manager, team=east, posts="3.00")
    row = workload.team_demand(teams=type(east).objects.filter(pk=east.pk)).get()
    assert row.demand == 27
    assert row.capacity == pytest.approx(60.0)
    assert row.strength == pytest.approx(0.5)
    assert float(row.posts) == 3.0
    assert row.ratio == pytest.approx(27 / 60)


def test_the_breakdown_lists_each_kind_and_level(east, manager):
    officer = helpers.staff(east, actor=manager)
    helpers.nominal(east, officer.user, risk="high")
    helpers.nominal(east, officer.user, risk="high")
    data = workload.officer_breakdown(officer)
    assert [(r["kind"], r["level"], r["count"], r["points"]) for r in data["rows"]] == [
        ("nominal", "high", 2, 16)
    ]
    assert data["record"].points == 16
