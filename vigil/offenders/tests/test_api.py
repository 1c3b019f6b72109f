"""The API: anonymous 401, wrong role 403, out of scope 404, permitted works."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from vigil.accounts.choices import Role
from vigil.core.testing import make_team, make_user, verified_client
from vigil.offenders.models import Nominal, Review, Visit
from vigil.offenders.tests.helpers import ARMS_ANSWERS, make_person

pytestmark = pytest.mark.django_db
BASE = "/api/v1/nominals"
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _endpoints(n):
    return [
        ("get", BASE),
        ("get", f"{BASE}/{n.uuid}"),
        ("get", f"{BASE}/{n.uuid}/visits"),
        ("get", f"{BASE}/{n.uuid}/arms"),
        ("get", f"{BASE}/{n.uuid}/plans"),
        ("get", f"{BASE}/{n.uuid}/notifications"),
        ("get", f"{BASE}/{n.uuid}/orders"),
        ("get", f"{BASE}/{n.uuid}/reviews"),
        ("get", f"{BASE}/{n.uuid}/intelligence"),
        ("post", f"{BASE}/{n.uuid}/intelligence"),
        ("post", f"{BASE}/{n.uuid}/visits"),
        ("post", f"{BASE}/{n.uuid}/plans"),
        ("post", f"{BASE}/{n.uuid}/arms"),
        ("post", f"{BASE}/{n.uuid}/orders"),
        ("post", f"{BASE}/{n.uuid}/requirements"),
    ]


def test_it_refuses_anonymous_callers(nominal):
    client = Client()
    for method, url in _endpoints(nominal):
        response = getattr(client, method)(url, content_type="application/json")
        assert response.status_code == 401, url


@pytest.mark.parametrize("role", [Role.ASSURANCE, Role.AUDITOR, Role.PROBATION])
def test_it_refuses_roles_without_casework(nominal, mteam, role):
    client = verified_client(make_user(role, mteam))
    for method, url in _endpoints(nominal):
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code in (403, 422), url
        if response.status_code == 422:  # body validated before the handler: try a GET
            continue


def test_it_gives_not_found_out_of_scope(nominal, force):
    other = make_team(force, name="MOSOVO West", kind="mosovo")
    client = verified_client(make_user(Role.SUPERVISOR, other))
    assert client.get(BASE).json()["count"] == 0
    assert client.get(f"{BASE}/{nominal.uuid}").status_code == 404
    response = _post(
        client,
        f"{BASE}/{nominal.uuid}/intelligence",
        {"received_on": "2026-03-01", "source": "x", "summary": "y"},
    )
    assert response.status_code == 404
    assert not nominal.intelligence.exists()


@time_machine.travel(NOW, tick=False)
def test_it_runs_the_whole_cycle_through_the_api(mteam, officer, colleague, sergeant):
    client = verified_client(officer)
    person = make_person(mteam)
    response = _post(
        client,
        BASE,
        {
            "person_id": str(person.uuid),
            "team_id": str(mteam.uuid),
            "offender_manager_id": str(officer.uuid),
        },
    )
    assert response.status_code == 201, response.json()
    nid = response.json()["id"]
    nominal = Nominal.objects.get(uuid=nid)
    response = _post(
        client,
        f"{BASE}/{nid}/requirements",
        {"start_date": "2026-03-01", "disposal": "imprisonment", "custodial_months": 30},
    )
    assert response.json()["period_months"] is None
    assert response.json()["review_date"] == "2041-03-01"
    response = _post(
        client,
        f"{BASE}/{nid}/arms",
        {
            "answers": ARMS_ANSWERS,
            "formulation": "F",
            "judgement_level": "high",
            "static_tool": "rm2000s",
            "static_band": "high",
            "static_tool_version": "2007",
        },
    )
    assert response.status_code == 201, response.json()
    review_id = response.json()["review_id"]
    sergeant_client = verified_client(sergeant)
    assert (
        client.post(
            f"{BASE}/reviews/{review_id}", {"outcome": "approved"}, content_type="application/json"
        ).status_code
        == 403
    )
    response = _post(sergeant_client, f"{BASE}/reviews/{review_id}", {"outcome": "approved"})
    assert response.status_code == 200, response.json()
    assert client.get(f"{BASE}/{nid}").json()["risk_level"] == "high"
    response = _post(
        client,
        f"{BASE}/{nid}/plans",
        {"visit_every_months": 6, "review_due": "2026-09-01", "actions": []},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "visit_every_months"
    response = _post(
        client,
        f"{BASE}/{nid}/plans",
        {
            "visit_every_months": 3,
            "review_due": "2026-09-01",
            "actions": [
                {
                    "category": "monitoring",
                    "description": "Check devices",
                    "owner": "OM",
                    "due_date": "2026-04-01",
                }
            ],
        },
    )
    assert response.status_code == 201
    response = _post(
        client,
        f"{BASE}/{nid}/visits",
        {
            "visited_at": "2026-03-10T09:00:00Z",
            "location": "home",
            "announced": False,
            "officer_ids": [str(officer.uuid)],
            "access": "gained",
            "outcome": "Seen.",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["compliant"] is False
    vid = response.json()["id"]
    assert (
        _post(client, f"{BASE}/visits/{vid}/authorisation", {"rationale": "x"}).status_code == 403
    )
    response = _post(
        sergeant_client, f"{BASE}/visits/{vid}/authorisation", {"rationale": "Colleague off sick"}
    )
    assert response.status_code == 201 and response.json()["in_time"] is True
    assert client.get(f"{BASE}/visits/{vid}").json()["authorised"] is True
    queue = sergeant_client.get(f"{BASE}/reviews").json()
    assert queue["count"] == Review.objects.filter(reviewed_at__isnull=True).count() == 2
    assert Visit.objects.get(uuid=vid).officer_count == 1
    assert nominal.plans.count() == 1
    assert colleague
