"""GET /api/v1/audit/events: the audit search for auditors, through the API."""

import dataclasses
import uuid

import pytest
from django.test import Client

from vigil import audit
from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/events"


@dataclasses.dataclass
class _Person:
    """Stands in for a person: the audit log keeps only the person's uuid."""

    uuid: uuid.UUID


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("officer", 403), ("supervisor", 403), ("auditor", 200)]
)
def test_access(role, status):
    client = Client() if role is None else verified_client(make_user(role))
    assert client.get(URL).status_code == status


def test_it_filters_by_person_and_gives_the_record_and_the_changes():
    officer = make_user("officer", email="rhys@example.police.uk")
    one, other = _Person(uuid.uuid4()), _Person(uuid.uuid4())
    viewed = audit.record(officer, "person.view", officer, person=one)
    audit.record(officer, "person.view", officer, person=other)
    changed = audit.record(
        officer, "test.update", officer, changes={"status": ["open", "closed"]}, person=one
    )
    client = verified_client(make_user("auditor"))
    body = client.get(URL, {"person": str(one.uuid)}).json()
    assert body["count"] == 2
    assert [e["id"] for e in body["items"]] == [changed.id, viewed.id]
    first = body["items"][0]
    assert first["person_id"] == str(one.uuid)
    assert first["target_label"] == str(officer) and first["target_type"] == "accounts.user"
    assert first["changes"] == {"status": ["open", "closed"]}
    assert client.get(URL, {"person": "not-an-id"}).status_code == 422
