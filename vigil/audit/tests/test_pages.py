import dataclasses
import datetime as dt
import json
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil import audit
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class _Person:
    """Stands in for a person: the audit log keeps only the person's uuid."""

    uuid: uuid.UUID


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


def _csv_rows(response) -> list[list[str]]:
    import csv
    import io

    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_search_page_filters_by_person():
    officer = make_user("officer", email="rhys@example.police.uk")
    one, other = uuid.uuid4(), uuid.uuid4()
    audit.record(officer, "person.view", None, changes={}, person=_Person(one))
    audit.record(officer, "person.view", None, changes={}, person=_Person(other))
    audit.record(officer, "nominal.view", None, changes={}, person=_Person(one))
    client = verified_client(make_user("auditor"))
    response = client.get(reverse("audit:search"), {"person": str(one)})
    events = list(response.context["page_obj"])
    assert [(e.action, e.person_id) for e in events] == [
        ("nominal.view", str(one)),
        ("person.view", str(one)),
    ]
    response = client.get(reverse("audit:search"), {"person": "not-an-id"})
    assert response.context["page_obj"] is None
    assert b"Enter the person&#x27;s id as it appears in the page address" in response.content


def test_it_offers_the_actions_in_the_log_to_choose_from_with_their_labels():
    auditor = make_user("auditor")
    audit.record(auditor, "person.view", auditor)
    audit.record(auditor, "test.thing", auditor)
    client = verified_client(auditor)
    response = client.get(reverse("audit:search"))
    choices = response.context["form"].fields["action"].choices
    assert choices == [
        ("", "Any action"),
        ("person.", "Every “person.” action"),
        ("person.view", "person.view: Viewed the person's record"),
        ("test.", "Every “test.” action"),
        ("test.thing", "test.thing"),
    ]
    html = response.content.decode()
    assert '<select class="govuk-select' in html and 'value="person.view"' in html
    response = client.get(reverse("audit:search"), {"action": "person.view"})
    assert [e.action for e in response.context["page_obj"]] == ["person.view"]
    response = client.get(reverse("audit:search"), {"action": "made.up"})
    assert response.context["page_obj"] is None
    assert b"Choose an action from the list" in response.content


def test_each_row_shows_the_record_and_links_to_the_event():
    auditor = make_user("auditor", email="awdur@example.police.uk")
    event = audit.record(auditor, "person.view", auditor, reason="Checking")
    html = verified_client(auditor).get(reverse("audit:search")).content.decode()
    assert str(auditor) in html  # the target label
    assert reverse("audit:event", kwargs={"event_id": event.id}) in html
    assert "Viewed the person&#x27;s record" in html


def test_the_export_has_the_record_and_the_changes_under_translated_headings():
    auditor = make_user("auditor")
    audit.record(auditor, "test.thing", auditor, changes={"status": ["open", "closed"]})
    client = verified_client(auditor)
    rows = _csv_rows(client.get(reverse("audit:export"), {"action": "test."}))
    assert rows[0] == [
        "Event",
        "When (UTC)",
        "User",
        "Action",
        "Record type",
        "Record id",
        "Record",
        "Person's id",
        "Request id",
        "Reason",
        "Changes (JSON)",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Record"] == str(auditor) and row["Record type"] == "accounts.user"
    assert json.loads(row["Changes (JSON)"]) == {"status": ["open", "closed"]}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    header = _csv_rows(client.get(reverse("audit:export"), {"action": "test."}))[0]
    assert "Gweithred" in header and "Rheswm" in header and "Action" not in header
    assert AuditEvent.objects.filter(action="audit.export", actor_id=auditor.pk).count() == 2


def test_the_search_page_uses_the_same_number_of_queries_for_more_events():
    auditor = make_user("auditor")
    client = verified_client(auditor)
    audit.record(auditor, "test.thing", auditor)
    client.get(reverse("audit:search"))  # settle the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:search"))
    for i in range(60):
        audit.record(auditor, f"test.thing{i % 7}", auditor, changes={"i": i})
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("audit:search"))
    assert len(response.context["page_obj"]) == 50
    assert len(many) == len(few)
