import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from vigil import audit
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("officer", 403), ("assurance", 403), ("auditor", 200)]
)
def test_audit_search_page_access(role, status):
    client = Client() if role is None else verified_client(make_user(role))
    assert client.get(reverse("audit:search")).status_code == status
    assert client.get(reverse("audit:export")).status_code == status


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("supervisor", 403), ("auditor", 200)])
def test_audit_api_access(role, status):
    client = Client() if role is None else verified_client(make_user(role))
    assert client.get("/api/v1/audit/events").status_code == status


def test_it_searches_by_user_action_and_date():
    officer = make_user("officer", email="rhys@example.police.uk")
    other = make_user("officer", email="carys@example.police.uk")
    audit.record(officer, "person.view", officer, reason="research")
    audit.record(other, "person.view", other)
    audit.record(officer, "policy.override", officer)
    client = verified_client(make_user("auditor"))
    response = client.get(reverse("audit:search"), {"actor": "rhys@", "action": "person."})
    events = list(response.context["page_obj"])
    assert [e.actor_email for e in events] == ["rhys@example.police.uk"]
    assert events[0].action == "person.view"
    today = dt.date.today()
    response = client.get(reverse("audit:search"), {"date_from": today + dt.timedelta(days=1)})
    assert response.context["page_obj"].paginator.count == 0


def test_it_reports_a_bad_date_range_clearly():
    client = verified_client(make_user("auditor"))
    response = client.get(
        reverse("audit:search"), {"date_from": "2026-11-02", "date_to": "2026-11-01"}
    )
    assert b"There is a problem" in response.content
    assert b"The end date must be the same as or after the start date" in response.content


def test_it_audits_an_export_of_the_audit_log():
    auditor = make_user("auditor")
    audit.record(auditor, "test.thing", auditor)
    response = verified_client(auditor).get(reverse("audit:export"), {"action": "test."})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"].startswith("text/csv") and b"test.thing" in body
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor_id == auditor.pk and export.changes["rows"] == 1


def test_the_search_page_uses_a_fixed_number_of_queries(django_assert_max_num_queries):
    auditor = make_user("auditor")
    for i in range(60):
        audit.record(auditor, "test.thing", auditor, changes={"i": i})
    client = verified_client(auditor)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("audit:search"))
    assert len(response.context["page_obj"]) == 50
