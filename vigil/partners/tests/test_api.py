"""The partnership through the API: the same rules as the pages, one error shape."""

from __future__ import annotations

import pytest

from vigil.accounts.choices import Role, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.partners.models import Request, Review
from vigil.partners.tests.helpers import Partnership

pytestmark = pytest.mark.django_db


def _raise(client, world, nominal, **extra):
    body = {
        "agreement": str(world.agreement.uuid),
        "kind": "information",
        "register_reference": world.reference(nominal),
        "details": "Address please.",
        **extra,
    }
    return client.post("/api/v1/partners/requests", body, content_type="application/json")


def test_a_request_round_trip_both_ways(world, nominal):
    officer = verified_client(world.officer)
    practitioner = verified_client(world.practitioner)
    response = _raise(officer, world, nominal)
    assert response.status_code == 201
    body = response.json()
    assert body["direction"] == "to_probation" and body["state"] == "raised"
    rid = body["id"]
    assert practitioner.post(f"/api/v1/partners/requests/{rid}/acknowledge").status_code == 200
    response = practitioner.post(
        f"/api/v1/partners/requests/{rid}/respond",
        {"response": "Same address."},
        content_type="application/json",
    )
    assert response.json()["state"] == "responded"
    assert response.json()["within_sla"] is True
    response = officer.post(
        f"/api/v1/partners/requests/{rid}/rate",
        {"rating": 5, "feedback": "Thanks"},
        content_type="application/json",
    )
    assert response.json()["rating"] == 5
    assert [e["title"] for e in response.json()["timeline"]] == [
        "Response rated",
        "Responded",
        "Acknowledged",
        "Request raised",
    ]
    listed = practitioner.get("/api/v1/partners/requests?box=inbox").json()
    assert [r["id"] for r in listed["items"]] == [rid]
    assert Request.objects.get().rating == 5


def test_errors_have_the_one_shape(world, nominal):
    practitioner = verified_client(world.practitioner)
    response = _raise(practitioner, world, nominal, details="")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "details"
    created = _raise(verified_client(world.officer), world, nominal).json()
    response = practitioner.post(
        f"/api/v1/partners/requests/{created['id']}/rate",
        {"rating": 3},
        content_type="application/json",
    )
    assert response.status_code in (403, 409)
    assert "error" in response.json()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSURANCE, Role.WELLBEING])
def test_other_roles_get_404(world, nominal, role):
    created = _raise(verified_client(world.officer), world, nominal).json()
    client = verified_client(make_user(role, make_team(world.force, kind=TeamKind.OTHER)))
    for url in (
        "/api/v1/partners/requests",
        f"/api/v1/partners/requests/{created['id']}",
        "/api/v1/partners/agreements",
        "/api/v1/partners/dashboard",
    ):
        assert client.get(url).status_code == 404, url


def test_out_of_scope_is_404(world, nominal):
    created = _raise(verified_client(world.officer), world, nominal).json()
    other = Partnership(make_force("gwent", "Gwent Police"), name="Gwent region")
    client = verified_client(other.practitioner)
    assert client.get(f"/api/v1/partners/requests/{created['id']}").status_code == 404
    assert client.get(f"/api/v1/partners/agreements/{world.agreement.uuid}").status_code == 404
    assert client.get("/api/v1/partners/requests").json()["items"] == []


def test_agreement_dashboard_and_review(world, nominal):
    client = verified_client(world.inspector)
    agreements = client.get("/api/v1/partners/agreements").json()
    assert [a["id"] for a in agreements] == [str(world.agreement.uuid)]
    detail = client.get(f"/api/v1/partners/agreements/{world.agreement.uuid}").json()
    assert len(detail["versions"][0]["terms"]) == 16
    dashboard = client.get("/api/v1/partners/dashboard?months=12").json()
    assert [d["direction"] for d in dashboard["directions"]] == ["to_probation", "to_police"]
    assert client.get("/api/v1/partners/dashboard?months=5").status_code == 422
    response = client.post(
        f"/api/v1/partners/agreements/{world.agreement.uuid}/reviews",
        {
            "held_on": "2026-10-30",
            "period_start": "2026-08-01",
            "period_end": "2026-10-29",
            "police_notes": "Good quarter.",
            "actions": "None.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Review.objects.get().police_notes == "Good quarter."
    assert AuditEvent.objects.filter(action="partners.dashboard_view").count() == 1


def test_the_request_list_costs_the_same_queries_however_many_rows(world, nominal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    practitioner = verified_client(world.practitioner)
    officer = verified_client(world.officer)
    assert _raise(officer, world, nominal).status_code == 201

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = practitioner.get("/api/v1/partners/requests")
            assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    count()  # the first call of a session does its sign-in checks
    queries, rows = count()
    for _ in range(4):
        assert _raise(officer, world, world.nominal()).status_code == 201
    assert count() == (queries, rows + 4)
