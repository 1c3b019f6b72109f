"""The auditor's page for one audit event: who, what, the record and what changed."""

import dataclasses
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from vigil import audit
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class _Person:
    """Stands in for a person: the audit log keeps only the person's uuid."""

    uuid: uuid.UUID


def _url(event) -> str:
    return reverse("audit:event", kwargs={"event_id": event.id})


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("officer", 403), ("supervisor", 403), ("assurance", 403), ("auditor", 200)],
)
def test_event_page_access(role, status):
    event = audit.record(make_user(), "test.thing", None, changes={"secret": "x"})
    client = Client() if role is None else verified_client(make_user(role))
    response = client.get(_url(event))
    assert response.status_code == status
    if status != 200:
        assert b"secret" not in response.content
        assert not AuditEvent.objects.filter(action="audit.event_view").exists()


def test_a_missing_event_is_not_found():
    client = verified_client(make_user("auditor"))
    assert client.get(reverse("audit:event", kwargs={"event_id": 987654})).status_code == 404


def test_it_shows_what_changed_before_and_after_and_the_record():
    officer = make_user("officer", email="rhys@example.police.uk")
    event = audit.record(
        officer,
        "test.update",
        officer,
        changes={"status": ["open", "closed"], "risk": [None, "high"], "rows": 3},
        reason="Closed after review",
    )
    auditor = make_user("auditor")
    response = verified_client(auditor).get(_url(event))
    assert response.status_code == 200
    assert response.context["pairs"] == [  # stored with sorted keys
        {"name": "risk", "before": "", "after": "high"},
        {"name": "status", "before": "open", "after": "closed"},
    ]
    assert response.context["details"] == [{"name": "rows", "value": "3"}]
    html = response.content.decode()
    for text in (str(officer), "accounts.user", "rhys@example.police.uk", "Closed after review"):
        assert text in html
    assert '<td class="govuk-table__cell">open</td>' in html
    assert '<td class="govuk-table__cell">closed</td>' in html
    assert event.hash in html and event.prev_hash in html


def test_it_links_the_person_to_a_search_of_their_events():
    auditor = make_user("auditor")
    person = _Person(uuid.uuid4())
    with_person = audit.record(auditor, "person.view", None, person=person)
    without = audit.record(auditor, "test.thing", None)
    client = verified_client(auditor)
    link = f"{reverse('audit:search')}?person={person.uuid}"
    assert link in client.get(_url(with_person)).content.decode()
    assert "?person=" not in client.get(_url(without)).content.decode()


def test_reading_an_event_is_itself_audited():
    auditor = make_user("auditor")
    event = audit.record(make_user(), "test.thing", None)
    verified_client(auditor).get(_url(event))
    viewed = AuditEvent.objects.get(action="audit.event_view")
    assert viewed.actor_id == auditor.pk
    assert viewed.target_type == "audit.auditevent" and viewed.target_id == str(event.id)
    assert viewed.changes == {"event": event.id} and viewed.person_id == ""
