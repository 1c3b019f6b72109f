"""The API of PND checks, reactive management and transfers: anonymous 401, wrong role
403, out of scope 404, permitted works (and matches the pages' rules)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.offenders import services
from vigil.offenders.models import ModeDecision, Nominal, PndCheck
from vigil.offenders.tests.helpers import approved_arms, make_nominal, make_plan, mosovo_team

pytestmark = pytest.mark.django_db
BASE = "/api/v1/nominals"
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
THREE_YEARS_AGO = dt.datetime(2023, 3, 10, 9, 0, tzinfo=dt.UTC)


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def gwent():
    force = make_force("gwent", "Gwent Police")
    team = mosovo_team(force, "Gwent MOSOVO")
    return {
        "force": force,
        "team": team,
        "sergeant": make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT),
        "officer": make_user(Role.OFFICER, team, rank=Rank.CONSTABLE),
    }


@pytest.fixture
def world(mteam, officer, sergeant, gwent):
    with time_machine.travel(THREE_YEARS_AGO, tick=False):
        nominal = make_nominal(mteam, manager=officer)
        approved_arms(nominal, officer, sergeant, "low")
        make_plan(nominal, officer, months=12)
    with time_machine.travel(NOW, tick=False):
        check = services.pnd_check_record(
            actor=officer, nominal=nominal, checked_on=dt.date(2026, 3, 9), result="no_trace"
        )
        decision = services.reactive_request(actor=officer, nominal=nominal, proposal="Low.")
        transfer = services.transfer_request(
            actor=officer, nominal=nominal, to_force=gwent["force"], reason="Moved."
        )
    return {"nominal": nominal, "check": check, "decision": decision, "transfer": transfer}


def _endpoints(w):
    n = w["nominal"].uuid
    return [
        ("get", f"{BASE}/reactive", {}),
        ("get", f"{BASE}/transfers", {}),
        ("get", f"{BASE}/{n}/pnd-checks", {}),
        ("get", f"{BASE}/{n}/management", {}),
        ("get", f"{BASE}/{n}/management/decisions", {}),
        ("get", f"{BASE}/{n}/transfers", {}),
        ("post", f"{BASE}/{n}/pnd-checks", {"checked_on": "2026-03-01", "result": "no_trace"}),
        ("post", f"{BASE}/pnd-checks/{w['check'].uuid}/assessment", {"action_taken": "None."}),
        ("post", f"{BASE}/{n}/management/reactive", {"proposal": "p"}),
        (
            "post",
            f"{BASE}/management-decisions/{w['decision'].uuid}",
            {"approve": True, "rationale": "r"},
        ),
        ("post", f"{BASE}/{n}/management/review", {"outcome": "continue", "rationale": "r"}),
        ("post", f"{BASE}/{n}/management/active", {"reason": "r"}),
        (
            "post",
            f"{BASE}/{n}/transfers",
            {"to_force_id": str(w["transfer"].to_force.uuid), "reason": "r"},
        ),
        ("post", f"{BASE}/transfers/{w['transfer'].uuid}/decline", {"reason": "r"}),
        (
            "post",
            f"{BASE}/transfers/{w['transfer'].uuid}/accept",
            {
                "team_id": str(w["nominal"].team.uuid),
                "offender_manager_id": str(w["nominal"].offender_manager.uuid),
            },
        ),
    ]


def _call(client, method, url, data):
    if method == "get":
        return client.get(url)
    return _post(client, url, data)


def test_it_refuses_anonymous_callers(world):
    for method, url, data in _endpoints(world):
        assert _call(Client(), method, url, data).status_code == 401, url


@pytest.mark.parametrize("role", [Role.ASSURANCE, Role.AUDITOR, Role.PROBATION])
def test_it_refuses_roles_without_casework(world, mteam, role):
    client = verified_client(make_user(role, mteam))
    for method, url, data in _endpoints(world):
        assert _call(client, method, url, data).status_code == 403, url
    assert PndCheck.objects.count() == 1


def test_it_gives_not_found_out_of_scope(world, force):
    other = make_team(force, name="MOSOVO West", kind="mosovo")
    client = verified_client(make_user(Role.SUPERVISOR, other, rank=Rank.INSPECTOR))
    for method, url, data in _endpoints(world):
        response = _call(client, method, url, data)
        if url == f"{BASE}/reactive":
            assert response.status_code == 200 and response.json() == {"items": [], "count": 0}
        elif url == f"{BASE}/transfers":
            assert response.status_code == 200 and response.json() == [], url
        else:
            assert response.status_code == 404, url
    assert PndCheck.objects.count() == 1
    assert ModeDecision.objects.get().status == "proposed"


@time_machine.travel(NOW, tick=False)
def test_pnd_checks_through_the_api(nominal, officer, colleague):
    client = verified_client(officer)
    response = _post(
        client,
        f"{BASE}/{nominal.uuid}/pnd-checks",
        {"checked_on": "2026-03-09", "result": "information", "officer_id": str(colleague.uuid)},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "summary"
    response = _post(
        client,
        f"{BASE}/{nominal.uuid}/pnd-checks",
        {
            "checked_on": "2026-03-09",
            "result": "information",
            "summary": "Arrested in 2025.",
            "officer_id": str(colleague.uuid),
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["officer_id"] == str(colleague.uuid) and body["assessed_at"] is None
    response = _post(
        client, f"{BASE}/pnd-checks/{body['id']}/assessment", {"action_taken": "Shared."}
    )
    assert response.status_code == 200 and response.json()["assessed_by_id"] == str(officer.uuid)
    assert len(client.get(f"{BASE}/{nominal.uuid}/pnd-checks").json()) == 1


@time_machine.travel(NOW, tick=False)
def test_reactive_management_through_the_api(mteam, nominal, officer, sergeant, inspector):
    approved_arms(nominal, officer, sergeant, "medium")
    client = verified_client(officer)
    response = _post(client, f"{BASE}/{nominal.uuid}/management/reactive", {"proposal": "p"})
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["error"]["fields"]}
    assert set(fields) == {"risk_low", "low_years"}
    assert "medium" in fields["risk_low"]
    with time_machine.travel(THREE_YEARS_AGO, tick=False):
        low = make_nominal(mteam, manager=officer)
        approved_arms(low, officer, sergeant, "low")
    body = client.get(f"{BASE}/{low.uuid}/management").json()
    assert body["management_mode"] == "active" and body["all_met"]
    response = _post(client, f"{BASE}/{low.uuid}/management/reactive", {"proposal": "Low."})
    assert response.status_code == 201
    decision_id = response.json()["id"]
    url = f"{BASE}/management-decisions/{decision_id}"
    assert (
        _post(verified_client(sergeant), url, {"approve": True, "rationale": "r"}).status_code
        == 403
    )
    response = _post(verified_client(inspector), url, {"approve": True, "rationale": "Met."})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["next_review_due"] == "2027-03-10"
    assert client.get(f"{BASE}/{low.uuid}").json()["management_mode"] == "reactive"
    body = client.get(f"{BASE}/reactive").json()
    assert body["count"] == 1 and [r["all_met"] for r in body["items"]] == [True]
    assert body["items"][0]["nominal_id"] == str(low.uuid)
    assert [c["code"] for c in body["items"][0]["conditions"]] == [
        "in_community",
        "risk_low",
        "low_years",
        "no_breach",
        "no_intelligence",
        "approved",
        "reviewed",
    ]
    response = _post(
        client, f"{BASE}/{low.uuid}/management/review", {"outcome": "continue", "rationale": "r"}
    )
    assert response.status_code == 200 and response.json()["kind"] == "review"
    response = _post(client, f"{BASE}/{low.uuid}/management/active", {"reason": "New partner."})
    assert response.status_code == 200 and response.json()["kind"] == "to_active"
    assert Nominal.objects.get(pk=low.pk).management_mode == "active"
    assert AuditEvent.objects.filter(action="nominal.reactive_return").exists()


def _reactive(team, officer, sergeant, inspector, *, breach=False):
    """A nominal on reactive management meeting every condition; with `breach`, a breach
    recorded since (one condition no longer met)."""
    with time_machine.travel(THREE_YEARS_AGO, tick=False):
        nominal = make_nominal(team, manager=officer)
        approved_arms(nominal, officer, sergeant, "low")
    with time_machine.travel(NOW, tick=False):
        decision = services.reactive_request(actor=officer, nominal=nominal, proposal="p")
        services.reactive_decide(actor=inspector, decision=decision, approve=True, rationale="r")
        if breach:
            services.breach_record(
                actor=officer, nominal=nominal, occurred_on=dt.date(2026, 3, 9), summary="s"
            )
    return nominal


@time_machine.travel(NOW, tick=False)
def test_the_reactive_list_comes_in_pages(
    mteam, officer, sergeant, inspector, django_assert_num_queries
):
    met = {str(_reactive(mteam, officer, sergeant, inspector).uuid) for _ in range(2)}
    unmet = {
        str(_reactive(mteam, officer, sergeant, inspector, breach=True).uuid) for _ in range(3)
    }
    client = verified_client(officer)
    pages = [
        client.get(f"{BASE}/reactive", {"page": page, "page_size": 2}).json() for page in (1, 2, 3)
    ]
    assert all(set(body) == {"items", "count"} and body["count"] == 5 for body in pages)
    items = [row for body in pages for row in body["items"]]
    assert [len(body["items"]) for body in pages] == [2, 2, 1]
    assert [row["all_met"] for row in items] == [False, False, False, True, True]
    assert {row["nominal_id"] for row in items[:3]} == unmet
    assert {row["nominal_id"] for row in items[3:]} == met
    body = client.get(f"{BASE}/reactive").json()  # 50 a page by default
    assert body["count"] == 5 and len(body["items"]) == 5
    # the filter, page by page: the count is the filtered total
    filtered = [
        client.get(f"{BASE}/reactive", {"unmet_only": True, "page": page, "page_size": 2}).json()
        for page in (1, 2)
    ]
    assert [body["count"] for body in filtered] == [3, 3]
    assert [row["nominal_id"] for row in items[:3]] == [
        row["nominal_id"] for body in filtered for row in body["items"]
    ]
    # a page costs the same number of queries however many nominals there are
    with CaptureQueriesContext(connection) as first:
        client.get(f"{BASE}/reactive", {"page": 2, "page_size": 2})
    for breach in (False, True):
        _reactive(mteam, officer, sergeant, inspector, breach=breach)
    with django_assert_num_queries(len(first.captured_queries)):
        body = client.get(f"{BASE}/reactive", {"page": 2, "page_size": 2}).json()
    assert body["count"] == 7 and len(body["items"]) == 2


@time_machine.travel(NOW, tick=False)
def test_transfers_through_the_api(nominal, officer, gwent):
    client = verified_client(officer)
    response = _post(
        client,
        f"{BASE}/{nominal.uuid}/transfers",
        {"to_force_id": str(gwent["force"].uuid), "reason": "Moved to Newport."},
    )
    assert response.status_code == 201, response.json()
    transfer_id = response.json()["id"]
    receiving = verified_client(gwent["sergeant"])
    assert [t["id"] for t in receiving.get(f"{BASE}/transfers").json()] == [transfer_id]
    assert (
        _post(
            verified_client(gwent["officer"]),
            f"{BASE}/transfers/{transfer_id}/decline",
            {"reason": "x"},
        ).status_code
        == 404  # the receiving force's officers do not see requests
    )
    response = _post(
        receiving,
        f"{BASE}/transfers/{transfer_id}/accept",
        {"team_id": str(gwent["team"].uuid), "offender_manager_id": str(gwent["officer"].uuid)},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert client.get(f"{BASE}/{nominal.uuid}").status_code == 404
    assert verified_client(gwent["officer"]).get(f"{BASE}/{nominal.uuid}").status_code == 200
