"""The API: the same rules as the pages, with one error shape."""

import pytest
from django.test import Client

from vigil.accounts.choices import Rank, Role
from vigil.core.testing import make_user, verified_client
from vigil.investigations import services
from vigil.investigations.choices import DecisionKind, EscalationTrigger, State
from vigil.investigations.models import EnforcementDecision, OversightReview
from vigil.investigations.tests.helpers import LOW, make_investigation, reassess

pytestmark = pytest.mark.django_db

API = "/api/v1/investigations"


@pytest.fixture
def inv(team, unit, sergeant, unit_officer):
    return make_investigation(team, allocated_team=unit, officer=unit_officer, actor=sergeant)


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _operations(inv):
    base = f"{API}/{inv.uuid}"
    return [
        ("get", base, None),
        ("post", f"{base}/transitions", {"to_state": "awaiting_enforcement"}),
        ("post", f"{base}/reassessments", {"trigger": "new_intelligence", "answers": LOW}),
        ("post", f"{base}/decisions", {"kind": "nfa", "rationale": "r"}),
        ("post", f"{base}/oversight-reviews", {"outcome": "satisfactory"}),
        ("put", f"{base}/allocation", {"team": str(inv.owning_team.uuid)}),
    ]


def _call(client, method, url, data):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data, content_type="application/json")


def test_it_refuses_anonymous_callers(inv):
    for method, url, data in _operations(inv) + [
        ("get", API, None),
        ("get", f"{API}/escalations", None),
    ]:
        response = _call(Client(), method, url, data)
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "unauthenticated"


def test_it_hides_an_investigation_out_of_scope(inv, other_team):
    client = verified_client(make_user(Role.SUPERVISOR, other_team))
    for method, url, data in _operations(inv):
        assert _call(client, method, url, data).status_code == 404, url
    assert client.get(API).json()["count"] == 0


def test_it_refuses_roles_without_casework(inv, team):
    client = verified_client(make_user(Role.AUDITOR, team))
    for method, url, data in _operations(inv):
        assert _call(client, method, url, data).status_code == 403, url


def test_the_allocated_unit_officer_works_it_but_cannot_review_or_allocate(inv, unit_officer):
    client = verified_client(unit_officer)
    base = f"{API}/{inv.uuid}"
    assert client.get(base).json()["external"] is True
    assert client.get(API).json()["count"] == 1
    r = _post(client, f"{base}/reassessments", {"trigger": "new_intelligence", "answers": LOW})
    assert r.status_code == 201 and r.json()["band"] == "low"
    r = _post(client, f"{base}/transitions", {"to_state": "awaiting_enforcement"})
    assert r.status_code == 201 and r.json()["state"] == "awaiting_enforcement"
    assert (
        _post(client, f"{base}/oversight-reviews", {"outcome": "satisfactory"}).status_code == 403
    )
    r = client.put(
        f"{base}/allocation", {"team": str(inv.owning_team.uuid)}, content_type="application/json"
    )
    assert r.status_code == 403


def test_an_officer_of_a_different_unit_is_refused(inv, force):
    from vigil.accounts.choices import TeamKind
    from vigil.core.testing import make_team

    elsewhere = make_team(force, name="CID Carmarthen", kind=TeamKind.OTHER)
    client = verified_client(make_user(Role.OFFICER, elsewhere))
    assert client.get(f"{API}/{inv.uuid}").status_code == 404


def test_it_refuses_a_bad_move_with_the_error_shape(inv, unit_officer):
    r = _post(
        verified_client(unit_officer), f"{API}/{inv.uuid}/transitions", {"to_state": "charged"}
    )
    assert r.status_code == 422
    body = r.json()["error"]
    assert body["code"] == "validation_failed" and body["fields"][0]["field"] == "to_state"


def test_rui_through_the_api(inv, unit_officer, sergeant, team):
    base = f"{API}/{inv.uuid}"
    reassess(inv, unit_officer)
    services.enforcement_decision_record(
        actor=unit_officer,
        investigation=inv,
        kind=DecisionKind.ARREST,
        rationale="r",
        welfare_assessment="no_indication",
    )
    services.investigation_transition(
        actor=unit_officer, investigation=inv, to_state=State.POST_ARREST
    )
    payload = {"kind": "rui", "rationale": "Forensics", "exceptional_rationale": "Devices"}
    r = _post(verified_client(sergeant), f"{base}/decisions", payload)
    assert r.status_code == 403 and "inspector" in r.json()["error"]["message"]
    inspector = make_user(Role.MANAGER, team, rank=Rank.INSPECTOR)
    r = _post(verified_client(inspector), f"{base}/decisions", payload)
    assert r.status_code == 201 and r.json()["authorised_by"]["name"] == inspector.full_name
    assert EnforcementDecision.objects.get(kind="rui").authorised_by == inspector
    detail = verified_client(inspector).get(base).json()
    assert detail["state"] == "rui" and [d["kind"] for d in detail["decisions"]] == [
        "rui",
        "arrest",
    ]


def test_enforcement_refused_without_a_reassessment_then_overridden(inv, unit_officer, sergeant):
    base = f"{API}/{inv.uuid}"
    r = _post(
        verified_client(unit_officer),
        f"{base}/decisions",
        {"kind": "arrest", "rationale": "r", "welfare_assessment": "no_indication"},
    )
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "override_rationale"
    r = _post(
        verified_client(sergeant),
        f"{base}/decisions",
        {
            "kind": "arrest",
            "rationale": "r",
            "override_rationale": "Live abuse",
            "welfare_assessment": "no_indication",
        },
    )
    assert r.status_code == 201 and r.json()["override_rationale"] == "Live abuse"


def test_oversight_review_and_board(inv, sergeant, unit_officer):
    client = verified_client(sergeant)
    r = _post(client, f"{API}/{inv.uuid}/oversight-reviews", {"outcome": "action_required"})
    assert r.status_code == 422
    r = _post(
        client,
        f"{API}/{inv.uuid}/oversight-reviews",
        {"outcome": "action_required", "note": "Reassess"},
    )
    assert r.status_code == 201 and OversightReview.objects.count() == 1
    assert client.get(f"{API}/oversight-board").json()["count"] == 1
    assert verified_client(unit_officer).get(f"{API}/oversight-board").status_code == 403


def test_escalations_acknowledge_and_resolve(inv, sergeant, other_team, unit_officer):
    entry = services.escalation_raise(
        actor=None, trigger=EscalationTrigger.REASSESSMENT_OVERDUE, investigation=inv
    )
    url = f"{API}/escalations/{entry.uuid}"
    assert verified_client(unit_officer).get(url).status_code == 403
    assert verified_client(make_user(Role.SUPERVISOR, other_team)).get(url).status_code == 404
    client = verified_client(sergeant)
    assert client.get(f"{API}/escalations?status=open").json()["count"] == 1
    r = _post(client, f"{url}/acknowledge", {})
    assert r.status_code == 200 and r.json()["acknowledged_by"]["name"] == sergeant.full_name
    assert _post(client, f"{url}/acknowledge", {}).status_code == 409
    assert _post(client, f"{url}/resolve", {"outcome": ""}).status_code == 422
    r = _post(client, f"{url}/resolve", {"outcome": "Reassessed"})
    assert r.status_code == 200 and r.json()["outcome"] == "Reassessed"


def test_the_list_takes_a_fixed_number_of_queries(team, sergeant, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(sergeant)
    make_investigation(team, actor=sergeant)
    client.get(API)
    with CaptureQueriesContext(connection) as first:
        client.get(API)
    for _ in range(4):
        make_investigation(team, actor=sergeant)
    with CaptureQueriesContext(connection) as second:
        assert client.get(API).json()["count"] == 5
    assert len(second.captured_queries) == len(first.captured_queries)
