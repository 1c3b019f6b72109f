"""Dip-checks of visit authorisations through the API, and the sample drawn by the sweep:
anonymous 401, wrong role 403, another reviewer's or force's check 404, the reviewer's
own listed by month and recorded (database and audit asserted)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Rank, Role, Scope
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.duties import registry
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import services
from vigil.offenders.models import DipCheck
from vigil.offenders.services.dipchecks_sweep import dip_check_sweep
from vigil.offenders.tests.helpers import make_nominal

pytestmark = pytest.mark.django_db
BASE = "/api/v1/nominals/dip-checks"
MARCH = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
APRIL = dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC)


def _authorised_visits(nominal, officer, sergeant, n, at=MARCH):
    with time_machine.travel(at, tick=False):
        for i in range(n):
            visit = services.visit_record(
                actor=officer,
                nominal=nominal,
                visited_at=at - dt.timedelta(hours=i + 1),
                location="home",
                announced=True,
                officers=[officer],
                access_result="gained",
                outcome="Seen at home.",
            )
            services.visit_authorise(actor=sergeant, visit=visit, rationale="Only one available.")


@pytest.fixture
def sampled(nominal, officer, sergeant, inspector):
    """One March authorisation, sampled by the sweep in April to the inspector."""
    _authorised_visits(nominal, officer, sergeant, 1)
    with time_machine.travel(APRIL, tick=False):
        assert dip_check_sweep(now=APRIL) == 1
    return DipCheck.objects.get()


def test_the_sweep_draws_last_months_sample_once(nominal, officer, sergeant, inspector):
    assert "dip-check sample" in registry.sweep_jobs()
    _authorised_visits(nominal, officer, sergeant, 12)
    # In March, February has nothing to sample.
    assert dip_check_sweep(now=MARCH) == 0
    with time_machine.travel(APRIL, tick=False):
        out = __import__("io").StringIO()
        call_command("sweep", stdout=out)
        assert "dip-check sample: 2" in out.getvalue()  # 10% of 12, rounded up
        call_command("sweep", stdout=out)
        assert "dip-check sample: 0" in out.getvalue()
    checks = list(DipCheck.objects.all())
    assert len(checks) == 2
    assert {c.month for c in checks} == {dt.date(2026, 3, 1)}
    assert {c.reviewer for c in checks} == {inspector}
    assert AuditEvent.objects.filter(action="nominal.dip_check_assign").count() == 2
    assert (
        Duty.objects.filter(
            kind=kinds.DIP_CHECK, assignee=inspector, completed_at__isnull=True
        ).count()
        == 2
    )


def test_the_sweep_uses_the_london_month(nominal, officer, sergeant, inspector):
    _authorised_visits(nominal, officer, sergeant, 1)
    # 23:30 UTC on 31 March is 00:30 on 1 April in London: March is over.
    late = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)
    with time_machine.travel(late, tick=False):
        assert dip_check_sweep(now=late) == 1


def test_it_refuses_anonymous_callers(sampled):
    client = Client()
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/{sampled.uuid}").status_code == 401
    response = client.post(
        f"{BASE}/{sampled.uuid}",
        {"outcome": "agree", "note": "Fine."},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_it_refuses_a_role_that_does_not_dip_check(sampled, officer, mteam):
    for user in (officer, make_user(Role.ASSURANCE, mteam), make_user(Role.ADMIN, mteam)):
        client = verified_client(user)
        response = client.get(BASE)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
        response = client.post(
            f"{BASE}/{sampled.uuid}",
            {"outcome": "agree", "note": "Fine."},
            content_type="application/json",
        )
        assert response.status_code == 403
    sampled.refresh_from_db()
    assert sampled.checked_at is None


def test_another_reviewers_or_forces_check_is_not_found(sampled, sergeant):
    gwent = make_team(make_force("gwent", "Gwent Police"), name="MOSOVO Gwent", kind="mosovo")
    outsider = make_user(Role.MANAGER, gwent, scope=Scope.FORCE, rank=Rank.INSPECTOR)
    for user in (sergeant, outsider):  # the sergeant made the decision: not their check
        client = verified_client(user)
        assert client.get(BASE).json() == {"items": [], "count": 0}
        assert client.get(f"{BASE}/{sampled.uuid}").status_code == 404
        response = client.post(
            f"{BASE}/{sampled.uuid}",
            {"outcome": "disagree", "note": "Not mine."},
            content_type="application/json",
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    sampled.refresh_from_db()
    assert sampled.checked_at is None and sampled.outcome == ""
    assert not AuditEvent.objects.filter(action="nominal.dip_check_record").exists()


def test_the_reviewer_lists_by_month_and_records_an_outcome(sampled, inspector, nominal):
    client = verified_client(inspector)
    body = client.get(BASE).json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["id"] == str(sampled.uuid)
    assert row["month"] == "2026-03-01"
    assert row["nominal_id"] == str(nominal.uuid)
    assert row["visit_id"] == str(sampled.authorisation.visit.uuid)
    assert row["outcome"] == "" and row["checked_at"] is None
    assert row["authorised_in_time"] is True
    assert client.get(BASE, {"month": "2026-03"}).json()["count"] == 1
    assert client.get(BASE, {"month": "2026-02"}).json()["count"] == 0
    assert client.get(BASE, {"open": True}).json()["count"] == 1
    bad = client.get(BASE, {"month": "March"})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "month"

    with time_machine.travel(APRIL + dt.timedelta(days=1), tick=False):
        response = client.post(
            f"{BASE}/{sampled.uuid}",
            {"outcome": "disagree", "note": "Two officers were on duty."},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "disagree"
    sampled.refresh_from_db()
    assert sampled.outcome == "disagree"
    assert sampled.note == "Two officers were on duty."
    assert sampled.checked_at == APRIL + dt.timedelta(days=1)
    event = AuditEvent.objects.get(action="nominal.dip_check_record")
    assert event.actor_id == inspector.pk and event.target_id == str(sampled.uuid)
    assert not Duty.objects.filter(
        kind=kinds.DIP_CHECK, subject_id=sampled.uuid, completed_at__isnull=True
    ).exists()
    assert client.get(BASE, {"open": True}).json()["count"] == 0
    # recorded once: again is a conflict, and nothing changes
    again = client.post(
        f"{BASE}/{sampled.uuid}",
        {"outcome": "agree", "note": "Changed my mind."},
        content_type="application/json",
    )
    assert again.status_code == 409
    sampled.refresh_from_db()
    assert sampled.outcome == "disagree"


def test_bad_input_is_named_and_changes_nothing(sampled, inspector):
    client = verified_client(inspector)
    response = client.post(
        f"{BASE}/{sampled.uuid}",
        {"outcome": "maybe", "note": " "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["outcome"]
    response = client.post(
        f"{BASE}/{sampled.uuid}", {"outcome": "agree", "note": " "}, content_type="application/json"
    )
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["note"]
    sampled.refresh_from_db()
    assert sampled.checked_at is None


def test_the_list_costs_the_same_queries_however_many_checks(
    mteam, officer, sergeant, inspector, django_assert_num_queries
):
    nominal = make_nominal(mteam, manager=officer)
    _authorised_visits(nominal, officer, sergeant, 10)
    other = make_nominal(mteam, manager=officer)
    _authorised_visits(other, officer, sergeant, 10, at=MARCH + dt.timedelta(days=2))
    with time_machine.travel(APRIL, tick=False):
        dip_check_sweep(now=APRIL)
    assert DipCheck.objects.count() == 2
    client = verified_client(inspector)
    client.get(BASE)  # the session's first request also records its activity
    with CaptureQueriesContext(connection) as first:
        client.get(BASE, {"page_size": 1})
    with django_assert_num_queries(len(first.captured_queries)):
        body = client.get(BASE).json()
    assert body["count"] == 2 and len(body["items"]) == 2
