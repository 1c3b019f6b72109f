import base64

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Role, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.investigations.models import Investigation
from vigil.referrals.choices import Status
from vigil.referrals.models import Referral
from vigil.referrals.tests.helpers import LOW_ANSWERS, graded, make_person, receive

pytestmark = pytest.mark.django_db

BASE = "/api/v1/referrals"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _writes(referral):
    url = f"{BASE}/{referral.uuid}"
    return [
        (f"{url}/assessment", {"answers": LOW_ANSWERS}),
        (f"{url}/grading", {}),
        (f"{url}/sign-off", {}),
        (f"{url}/allocation", {"team": str(referral.team.uuid)}),
        (f"{url}/link", {"to": str(referral.uuid)}),
        (f"{url}/suspect", {"person": str(referral.uuid)}),
        (f"{url}/closure", {"reason": "x"}),
    ]


def test_it_refuses_anonymous_callers(polit):
    referral = receive(polit.officer, polit.team)
    client = Client()
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/{referral.uuid}").status_code == 401
    assert _post(client, BASE, {"source": "public", "summary": "x"}).status_code == 401
    assert (
        _post(client, f"{BASE}/import", {"filename": "a", "content_base64": ""}).status_code == 401
    )
    for url, body in _writes(referral):
        assert _post(client, url, body).status_code == 401, url


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSURANCE])
def test_it_refuses_roles_without_casework(polit, role):
    referral = receive(polit.officer, polit.team)
    client = verified_client(make_user(role, polit.team))
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/{referral.uuid}").status_code == 403
    assert _post(client, BASE, {"source": "public", "summary": "x"}).status_code == 403
    for url, body in _writes(referral):
        assert _post(client, url, body).status_code == 403, url


def test_it_hides_referrals_out_of_scope(polit, other_team):
    referral = receive(polit.officer, polit.team)
    for outsider in (
        make_user(Role.OFFICER, other_team),
        make_user(Role.SUPERVISOR, make_team(make_force("gwent", "Gwent"), name="POLIT Gwent")),
    ):
        client = verified_client(outsider)
        assert client.get(f"{BASE}/{referral.uuid}").status_code == 404
        assert client.get(BASE).json()["count"] == 0
        for url, body in _writes(referral):
            assert _post(client, url, body).status_code == 404, url
    assert Referral.objects.get().status == Status.AWAITING_ASSESSMENT


def test_the_whole_journey_through_the_api(polit, force):
    client = verified_client(polit.officer)
    body = {
        "source": "nca_ceop",
        "source_reference": "NCA-API-1",
        "received_at": "2026-01-05T09:30:00Z",
        "summary": "Platform report",
        "suspect_age": "adult",
        "new_suspect": {"given_name": "Iolo", "family_name": "Rees", "date_of_birth": "1979-01-02"},
        "identifiers": [{"kind": "username", "value": "@iolo", "platform": "Kik"}],
        "children": [{"status": "identified", "description": "Boy, 10", "approximate_age": 10}],
        "material": [{"description": "Report", "item_count": 2}],
    }
    response = _post(client, BASE, body)
    assert response.status_code == 201, response.json()
    referral_id = response.json()["id"]
    assert response.json()["identifiers"][0]["value"] == "@iolo"
    again = _post(client, BASE, body | {"source_reference": "NCA-API-2", "new_suspect": None})
    assert again.status_code == 409
    assert again.json()["referrals"][0]["id"] == referral_id
    assert again.json()["error"]["code"] == "possible_matches"
    linked = _post(
        client,
        BASE,
        body | {"source_reference": "NCA-API-2", "new_suspect": None, "link_to": referral_id},
    )
    assert linked.status_code == 201 and linked.json()["status"] == "linked"
    assert (
        _post(client, f"{BASE}/{referral_id}/assessment", {"answers": LOW_ANSWERS}).json()[
            "risk_band"
        ]
        == "low"
    )
    graded_body = _post(
        client,
        f"{BASE}/{referral_id}/grading",
        {
            "position_of_trust": True,
            "override_priority": "very_high",
            "override_rationale": "Teacher",
        },
    ).json()
    assert (
        graded_body["status"] == "awaiting_sign_off" and graded_body["derived_priority"] == "medium"
    )
    assert _post(client, f"{BASE}/{referral_id}/sign-off").status_code == 403
    signer = verified_client(polit.supervisor)
    assert _post(signer, f"{BASE}/{referral_id}/sign-off").json()["status"] == "awaiting_allocation"
    cid = make_team(force, name="CID Aberystwyth", kind=TeamKind.OTHER)
    detective = make_user(Role.OFFICER, cid)
    allocated = _post(
        signer,
        f"{BASE}/{referral_id}/allocation",
        {"team": str(cid.uuid), "officer": str(detective.uuid)},
    )
    assert allocated.status_code == 200 and allocated.json()["allocated_officer"]["id"] == str(
        detective.uuid
    )
    assert Investigation.objects.get(referral__uuid=referral_id).allocated_team == cid
    detail = client.get(f"{BASE}/{referral_id}")
    assert detail.json()["status"] == "allocated"
    assert AuditEvent.objects.filter(action="referral.view").exists()


def test_the_api_reports_a_duplicate_nca_reference_and_validation_errors(polit):
    client = verified_client(polit.officer)
    receive(polit.officer, polit.team, source_reference="NCA-D")
    response = _post(
        client,
        BASE,
        {
            "source": "nca_ceop",
            "source_reference": "NCA-D",
            "summary": "x",
            "confirm_not_duplicate": True,
        },
    )
    assert response.status_code == 409
    assert response.json()["error"]["fields"][0]["field"] == "source_reference"
    response = _post(client, BASE, {"source": "nca_ceop", "summary": ""})
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["error"]["fields"]} >= {
        "summary",
        "source_reference",
    }


def test_close_link_and_suspect_through_the_api(polit):
    client = verified_client(polit.officer)
    first, second, third = (receive(polit.officer, polit.team) for _ in range(3))
    assert _post(client, f"{BASE}/{first.uuid}/closure", {"reason": ""}).status_code == 422
    assert (
        _post(client, f"{BASE}/{first.uuid}/closure", {"reason": "No offence"}).json()["status"]
        == "closed"
    )
    assert (
        _post(client, f"{BASE}/{second.uuid}/link", {"to": str(third.uuid)}).json()["status"]
        == "linked"
    )
    person = make_person(polit.team, polit.officer)
    named = _post(client, f"{BASE}/{third.uuid}/suspect", {"person": str(person.uuid)})
    assert named.json()["suspect"]["id"] == str(person.uuid)


def test_import_through_the_api(polit):
    content = b"source,received_at,summary\npublic,2026-01-05,Concern\n"
    body = {"filename": "r.csv", "content_base64": base64.b64encode(content).decode()}
    assert _post(verified_client(polit.officer), f"{BASE}/import", body).status_code == 403
    client = verified_client(polit.supervisor)
    first = _post(client, f"{BASE}/import", body).json()
    assert first["created"] == 1 and not first["already_imported"]
    assert _post(client, f"{BASE}/import", body).json()["already_imported"] is True
    bad = {
        "filename": "r.csv",
        "content_base64": base64.b64encode(b"source,received_at,summary\npublic,,x\n").decode(),
    }
    response = _post(client, f"{BASE}/import", bad)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "line 2"


def test_the_api_list_filters_and_costs_fixed_queries(polit):
    client = verified_client(polit.officer)
    graded(polit.officer, polit.team)
    receive(polit.officer, polit.team, source="public", source_reference="")
    assert client.get(f"{BASE}?source=public").json()["count"] == 1
    assert client.get(f"{BASE}?priority=low").json()["count"] == 1
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    for _ in range(5):
        graded(polit.officer, polit.team)
    with CaptureQueriesContext(connection) as many:
        assert client.get(BASE).json()["count"] == 7
    assert len(many) == len(few)
