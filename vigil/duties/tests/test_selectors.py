import datetime as dt
import zoneinfo

import pytest
import time_machine

from vigil.accounts import access
from vigil.accounts.choices import Role, Scope
from vigil.core.calendar import start_of_day
from vigil.core.testing import make_force, make_team, make_user
from vigil.duties import selectors, services
from vigil.duties.choices import DutyRisk, OverdueBand, RiskLevel
from vigil.duties.tests.helpers import CHECKED, NOON, REVIEW, VISIT, Subject, open_duty
from vigil.people.models import Person

pytestmark = pytest.mark.django_db

VH, H, M, L = RiskLevel.VERY_HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW
BANDS = [
    OverdueBand.NOT_DUE,
    OverdueBand.D1_30,
    OverdueBand.D31_90,
    OverdueBand.D91_180,
    OverdueBand.OVER_180,
]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def supervisor(team):
    return make_user(Role.SUPERVISOR, team, rank="sergeant")


@pytest.fixture
def matrix_duties(team, other_team):
    """Duties at every band edge (worked out by hand on Wednesday 14 January 2026)."""
    officer = make_user(Role.OFFICER, team)
    spec = [
        # (risk, days overdue, hour due)
        (VH, -5, 12),  # due Monday 19th: not yet due
        (VH, 0, 9),  # due 09:00 today: overdue by hours, 0 days -> not yet due band
        (VH, 1, 12),  # 1 day -> 1 to 30
        (VH, 181, 12),  # 181 -> over 180
        (H, 30, 12),  # 30 -> 1 to 30
        (H, 31, 0),  # 31 (due at midnight starting the day) -> 31 to 90
        (M, 90, 23),  # 90 (due late in the day) -> 31 to 90
        (M, 91, 12),  # 91 -> 91 to 180
        (M, 180, 12),  # 180 -> 91 to 180
        (L, 0, 15),  # due 15:00 today -> not yet due
        (L, 181, 12),  # 181 -> over 180
        (L, 365, 12),  # 365 -> over 180
    ]
    duties = [
        open_duty(team=team, risk=r, days_overdue=d, hour=h, assignee=officer) for r, d, h in spec
    ]
    # Not counted: a completed duty, and another team's duty.
    subject = Subject()
    open_duty(team=team, risk=VH, days_overdue=50, subject=subject)
    services.duty_complete(actor=None, kind=REVIEW, subject=subject)
    open_duty(team=other_team, risk=VH, days_overdue=50)
    return duties


def _counts(matrix):
    return {row["risk"]: [c["count"] for c in row["cells"]] for row in matrix.rows}


def test_it_counts_the_matrix_at_every_band_edge(supervisor, matrix_duties):
    matrix = selectors.outstanding_work_matrix(user=supervisor)
    assert _counts(matrix) == {
        VH: [2, 1, 0, 0, 1],
        H: [0, 1, 1, 0, 0],
        M: [0, 0, 1, 2, 0],
        L: [1, 0, 0, 0, 2],
        DutyRisk.UNASSESSED: [0, 0, 0, 0, 0],
    }
    assert [row["total"] for row in matrix.rows] == [4, 2, 3, 3, 0]
    assert [c["count"] for c in matrix.column_totals] == [3, 2, 2, 2, 3]
    assert matrix.total == 12


def test_it_computes_the_matrix_in_one_query(supervisor, matrix_duties, django_assert_num_queries):
    access.memberships(supervisor)  # cached for the request, as on a page
    with django_assert_num_queries(1):
        selectors.outstanding_work_matrix(user=supervisor)


def test_it_filters_the_matrix_by_team_officer_and_force(team, other_team, matrix_duties):
    manager = make_user(Role.MANAGER, team, scope=Scope.FORCE)
    assert selectors.outstanding_work_matrix(user=manager).total == 13
    assert selectors.outstanding_work_matrix(user=manager, team=other_team).total == 1
    assert selectors.outstanding_work_matrix(user=manager, assignee="unassigned").total == 1
    officer = matrix_duties[0].assignee
    assert selectors.outstanding_work_matrix(user=manager, assignee=officer).total == 12
    assert (
        selectors.outstanding_work_matrix(
            user=manager, force=make_force("gwent", "Gwent Police")
        ).total
        == 0
    )


def test_it_lists_the_duties_behind_a_cell(supervisor, matrix_duties):
    cell = selectors.duties_in_cell(user=supervisor, risk=M, band=OverdueBand.D91_180)
    assert {d.pk for d in cell} == {matrix_duties[7].pk, matrix_duties[8].pk}
    everything_due = selectors.duties_in_cell(user=supervisor, risk="all", band=OverdueBand.NOT_DUE)
    assert {d.pk for d in everything_due} == {
        matrix_duties[0].pk,
        matrix_duties[1].pk,
        matrix_duties[9].pk,
    }
    for risk in (VH, H, M, L):
        for band, expected in zip(
            BANDS, _counts(selectors.outstanding_work_matrix(user=supervisor))[risk]
        ):
            assert (
                selectors.duties_in_cell(user=supervisor, risk=risk, band=band).count() == expected
            )


def test_it_counts_days_on_london_dates_in_summer(team, supervisor):
    london = zoneinfo.ZoneInfo("Europe/London")
    # 00:30 on 15 July in London is still 14 July in UTC; due 23:00 on the 14th is 1 day overdue.
    with time_machine.travel(dt.datetime(2026, 7, 15, 0, 30, tzinfo=london), tick=False):
        duty = services.duty_open(
            actor=None,
            kind=REVIEW,
            subject=Subject(),
            team=team,
            due_at=dt.datetime(2026, 7, 14, 23, 0, tzinfo=london),
        )
        assert selectors.days_overdue(duty.due_at) == 1
        counts = _counts(selectors.outstanding_work_matrix(user=supervisor))
        assert counts[L] == [0, 1, 0, 0, 0]


def test_it_orders_my_work_most_overdue_first_then_highest_risk(team):
    officer = make_user(Role.OFFICER, team)
    a = open_duty(team=team, assignee=officer, days_overdue=3, risk=L, hour=7)
    b = open_duty(team=team, assignee=officer, days_overdue=3, risk=VH, hour=12)
    c = open_duty(team=team, assignee=officer, days_overdue=10, risk=M)
    d = open_duty(team=team, assignee=officer, days_overdue=-2, risk=VH)
    e = open_duty(team=team, assignee=officer, days_overdue=3, risk=H, hour=8)
    open_duty(team=team, assignee=make_user(Role.OFFICER, team), days_overdue=50)  # someone else's
    assert [x.pk for x in selectors.my_work(user=officer)] == [c.pk, b.pk, e.pk, a.pk, d.pk]
    assert [x.pk for x in selectors.my_work(user=officer, sort="risk")] == [
        b.pk,
        d.pk,
        e.pk,
        c.pk,
        a.pk,
    ]
    assert [x.pk for x in selectors.my_work(user=officer, sort="-due")][0] == d.pk


def test_it_lists_my_work_in_one_query_however_many_rows(team, django_assert_num_queries):
    officer = make_user(Role.OFFICER, team)
    for n in range(6):
        open_duty(team=team, assignee=officer, days_overdue=n, person=None)
    with django_assert_num_queries(1):
        rows = list(selectors.my_work(user=officer))
        [(r.team.name, r.assignee.full_name, r.person_visible) for r in rows]
    assert len(rows) == 6


def test_it_limits_team_work_to_the_teams_the_user_supervises(team, other_team, supervisor):
    ours = open_duty(team=team)
    theirs = open_duty(team=other_team)
    sibling_force = make_team(make_force("gwent", "Gwent Police"), name="POLIT Gwent")
    open_duty(team=sibling_force)
    assert [d.pk for d in selectors.team_work(user=supervisor)] == [ours.pk]
    manager = make_user(Role.MANAGER, other_team, scope=Scope.FORCE)
    assert {d.pk for d in selectors.team_work(user=manager)} == {ours.pk, theirs.pk}
    assert list(selectors.team_work(user=make_user(Role.OFFICER, team))) == []
    assert selectors.get_duty_for_supervisor(user=supervisor, duty_id=theirs.uuid) is None


def test_it_filters_team_work_by_team_and_officer(team, other_team):
    manager = make_user(Role.MANAGER, team, scope=Scope.FORCE)
    officer = make_user(Role.OFFICER, team)
    mine = open_duty(team=team, assignee=officer)
    nobody = open_duty(team=team)
    theirs = open_duty(team=other_team)
    assert [d.pk for d in selectors.team_work(user=manager, assignee=officer)] == [mine.pk]
    assert {d.pk for d in selectors.team_work(user=manager, assignee="unassigned")} == {
        nobody.pk,
        theirs.pk,
    }
    assert [d.pk for d in selectors.team_work(user=manager, team=other_team)] == [theirs.pk]


def test_it_names_a_restricted_person_only_to_those_named(team, supervisor):
    person = Person.objects.create(
        force=team.force, team=team, given_name="Alex", family_name="Example", is_restricted=True
    )
    open_duty(team=team, person=person)
    assert selectors.team_work(user=supervisor).get().person_visible is False
    person.restricted_to.add(supervisor)
    assert selectors.team_work(user=supervisor).get().person_visible is True


def test_it_offers_only_officers_who_reach_the_team(team, other_team, supervisor):
    officer = make_user(Role.OFFICER, team)
    force_analyst = make_user(Role.ANALYST, other_team, scope=Scope.FORCE)
    make_user(Role.OFFICER, other_team)
    make_user(Role.AUDITOR, team)
    assert set(selectors.assignable_officers(team=team)) == {officer, force_analyst, supervisor}


def test_it_counts_unread_notifications(team):
    officer = make_user(Role.OFFICER, team)
    open_duty(team=team, assignee=officer)
    assert selectors.unread_notification_count(user=officer) == 1
    services.notification_mark_all_read(actor=officer)
    assert selectors.unread_notification_count(user=officer) == 0


def test_band_edges_are_start_of_day_in_london():
    today = dt.date(2026, 1, 14)
    q = selectors.band_q(OverdueBand.D1_30)
    assert ("due_at__lt", start_of_day(today)) in q.children
    assert ("due_at__gte", start_of_day(today - dt.timedelta(days=30))) in q.children


def test_it_counts_the_matrix_and_its_cells_for_chosen_kinds(team, supervisor):
    officer = make_user(Role.OFFICER, team)
    open_duty(team=team, risk=H, days_overdue=10, assignee=officer)  # REVIEW
    open_duty(team=team, risk=H, days_overdue=40, kind=VISIT, assignee=officer)
    open_duty(team=team, risk=L, days_overdue=0, kind=CHECKED)
    everything = selectors.outstanding_work_matrix(user=supervisor)
    assert everything.total == 3
    assert selectors.outstanding_work_matrix(user=supervisor, kinds=[]).total == 3
    reviews = selectors.outstanding_work_matrix(user=supervisor, kinds=[REVIEW])
    assert _counts(reviews)[H] == [0, 1, 0, 0, 0] and reviews.total == 1
    both = selectors.outstanding_work_matrix(user=supervisor, kinds=[REVIEW, VISIT])
    assert _counts(both)[H] == [0, 1, 1, 0, 0] and both.total == 2
    assert (
        selectors.outstanding_work_matrix(user=supervisor, kinds=[VISIT], assignee=officer).total
        == 1
    )
    assert selectors.outstanding_work_matrix(user=supervisor, kinds=["no.such"]).total == 0
    cell = selectors.duties_in_cell(user=supervisor, risk="all", band="all", kinds=[VISIT])
    assert [d.kind for d in cell] == [VISIT]
    assert selectors.team_work(user=supervisor, kinds=[CHECKED]).count() == 1


def test_it_computes_a_kinds_matrix_in_one_query(
    supervisor, matrix_duties, django_assert_num_queries
):
    access.memberships(supervisor)
    with django_assert_num_queries(1):
        selectors.outstanding_work_matrix(user=supervisor, kinds=[REVIEW, VISIT])
