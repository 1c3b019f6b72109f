"""Abstractions: recording, review duty, repeat flag, impact, pages and the K metrics."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from vigil.accounts.choices import Rank, Role
from vigil.assurance.metrics import compute, get_metric, window_for
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.exceptions import ValidationFailed
from vigil.core.testing import make_user, verified_client
from vigil.duties import services as duty_services
from vigil.duties.models import Duty
from vigil.workforce.models import Abstraction
from vigil.workforce.services import abstractions as services
from vigil.workforce.tests import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(east, manager):
    return helpers.staff(east, actor=manager)


def _record(officer, actor, start, days=1, **kwargs):
    return services.abstraction_record(
        actor=actor,
        staff=officer,
        starts_on=start,
        ends_on=start + dt.timedelta(days=days - 1),
        hours=kwargs.pop("hours", 8),
        reason=kwargs.pop("reason", "court"),
        authorised_by=kwargs.pop("authorised_by", actor),
        **kwargs,
    )


def test_recording_opens_the_review_duty_and_is_audited(officer, sergeant):
    row = _record(officer, sergeant, dt.date(2026, 10, 26), days=3)
    assert row.review_due_at.date() == dt.date(2026, 11, 11)  # 14 days after 28 October
    duty = Duty.objects.get(kind="workforce.abstraction_review", subject_id=row.uuid)
    assert duty.team_id == officer.team_id and duty.completed_at is None
    assert AuditEvent.objects.filter(
        action="workforce.abstraction_record", target_id=str(row.uuid)
    ).exists()


def test_bad_dates_are_refused_and_nothing_is_written(officer, sergeant):
    with pytest.raises(ValidationFailed) as exc:
        services.abstraction_record(
            actor=sergeant,
            staff=officer,
            starts_on=dt.date(2026, 10, 26),
            ends_on=dt.date(2026, 10, 20),
            hours=0,
            reason="golf",
            authorised_by=sergeant,
        )
    assert {f for f, _m in exc.value.errors} == {"ends_on", "hours", "reason"}
    assert not Abstraction.objects.exists()
    assert not Duty.objects.exists()


def test_a_third_abstraction_in_90_days_flags_the_officer_for_the_manager(officer, sergeant):
    _record(officer, sergeant, dt.date(2026, 8, 10))
    _record(officer, sergeant, dt.date(2026, 9, 10))
    assert not Duty.objects.filter(kind="workforce.repeat_abstraction").exists()
    _record(officer, sergeant, dt.date(2026, 10, 10))
    flag = Duty.objects.get(kind="workforce.repeat_abstraction", subject_id=officer.uuid)
    assert flag.completed_at is None


def test_the_manager_reviews_the_flag(officer, sergeant, manager):
    for day in (dt.date(2026, 8, 10), dt.date(2026, 9, 10), dt.date(2026, 10, 10)):
        _record(officer, sergeant, day)
    client = verified_client(manager)
    page = client.get(reverse("workforce:staff", args=[officer.uuid])).content.decode()
    assert "repeat limit" in page
    response = client.post(
        reverse("workforce:repeat-review", args=[officer.uuid]), {"note": "Court-heavy quarter."}
    )
    assert response.status_code == 302
    assert Duty.objects.get(kind="workforce.repeat_abstraction").completed_at is not None
    assert AuditEvent.objects.filter(action="workforce.repeat_flag_review").exists()


def test_impact_counts_duties_that_fell_overdue_during_the_abstraction(officer, sergeant):
    start = dt.date(2026, 10, 20)
    row = _record(officer, sergeant, start, days=5)
    due_during = clock.now() - dt.timedelta(days=11)  # 22 October
    due_before = clock.now() - dt.timedelta(days=30)
    for n, due in enumerate((due_during, due_before)):
        duty_services.duty_open(
            actor=sergeant,
            kind="workforce.abstraction_review",
            subject=helpers.staff(officer.team, actor=sergeant) if n else officer,
            team=officer.team,
            assignee=officer.user,
            due_at=due,
        )
    listed = verified_client(sergeant).get(
        reverse("workforce:abstractions", args=[officer.team.uuid])
    )
    assert listed.status_code == 200
    detail = verified_client(sergeant).get(reverse("workforce:abstraction", args=[row.uuid]))
    assert detail.content.decode().count("22 Oct 2026") == 1
    w = window_for(clock.today())
    result = compute(get_metric("abstractions_without_overdue_work"), w)
    assert (result.numerator, result.denominator) == (0, 1)


def test_reviewed_in_time_metric(officer, sergeant):
    with time_machine.travel("2026-09-01 10:00:00+00:00", tick=False):
        late = _record(officer, sergeant, dt.date(2026, 9, 1))
        in_time = _record(officer, sergeant, dt.date(2026, 9, 1))
        _never = _record(officer, sergeant, dt.date(2026, 9, 1))
    with time_machine.travel("2026-09-05 10:00:00+00:00", tick=False):
        services.abstraction_review(actor=sergeant, abstraction=in_time, note="Fine.")
    with time_machine.travel("2026-10-01 10:00:00+00:00", tick=False):
        services.abstraction_review(actor=sergeant, abstraction=late, note="Late.")
    result = compute(get_metric("abstractions_reviewed"), window_for(clock.today()))
    assert (result.numerator, result.denominator) == (1, 3)
    # As the records stood on 3 September, no deadline had yet passed.
    early = compute(get_metric("abstractions_reviewed"), window_for(dt.date(2026, 9, 3)))
    assert early.denominator == 0


def test_repeat_limit_metric(officer, east, manager, sergeant):
    other = helpers.staff(east, actor=manager)
    for day in (dt.date(2026, 8, 10), dt.date(2026, 9, 10), dt.date(2026, 10, 10)):
        _record(officer, sergeant, day)
    _record(other, sergeant, dt.date(2026, 10, 10))
    result = compute(get_metric("officers_within_abstraction_limit"), window_for(clock.today()))
    assert (result.numerator, result.denominator) == (1, 2)


def test_a_supervisor_records_and_reviews_through_the_pages(officer, sergeant, manager):
    client = verified_client(sergeant)
    url = reverse("workforce:abstraction-new", args=[officer.team.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "staff": officer.pk,
            "starts_on": "2026-10-27",
            "ends_on": "2026-10-28",
            "hours": "14",
            "reason": "public_order",
            "authorised_by": manager.pk,
        },
    )
    row = Abstraction.objects.get()
    assert response.status_code == 302
    assert (row.reason, row.authorised_by_id, str(row.hours)) == (
        "public_order",
        manager.pk,
        "14.0",
    )
    response = client.post(reverse("workforce:abstraction-review", args=[row.uuid]), {"note": ""})
    assert response.status_code == 422
    response = client.post(
        reverse("workforce:abstraction-review", args=[row.uuid]), {"note": "Mutual aid."}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.reviewed_by_id == sergeant.pk


def test_another_teams_supervisor_cannot_see_or_review(west, officer, sergeant):
    row = _record(officer, sergeant, dt.date(2026, 10, 27))
    client = verified_client(make_user(Role.SUPERVISOR, west, rank=Rank.SERGEANT))
    assert client.get(reverse("workforce:abstraction", args=[row.uuid])).status_code == 404
    response = client.post(reverse("workforce:abstraction-review", args=[row.uuid]), {"note": "x"})
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.reviewed_at is None


def test_an_analyst_sees_but_does_not_record(east, officer, sergeant):
    row = _record(officer, sergeant, dt.date(2026, 10, 27))
    client = verified_client(make_user(Role.ANALYST, east))
    assert client.get(reverse("workforce:abstraction", args=[row.uuid])).status_code == 200
    assert client.get(reverse("workforce:abstraction-new", args=[east.uuid])).status_code == 404
    assert (
        client.post(
            reverse("workforce:abstraction-review", args=[row.uuid]), {"note": "x"}
        ).status_code
        == 404
    )


def test_the_abstraction_list_makes_a_fixed_number_of_queries(officer, sergeant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(sergeant)
    url = reverse("workforce:abstractions", args=[officer.team.uuid])
    _record(officer, sergeant, dt.date(2026, 10, 1))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for day in (2, 3, 4):
        _record(officer, sergeant, dt.date(2026, 10, day))
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(one)


def test_duties_check_finds_the_review_duties_it_expects(officer, sergeant):
    from vigil.duties.checks import duties_check

    row = _record(officer, sergeant, dt.date(2026, 10, 27))
    kinds = ["workforce.abstraction_review"]
    assert duties_check(kinds=kinds) == []
    Duty.objects.filter(subject_id=row.uuid).update(completed_at=clock.now())
    assert len(duties_check(kinds=kinds)) == 1
