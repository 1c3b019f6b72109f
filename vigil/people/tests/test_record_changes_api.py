"""The API operations that end an address or a child's link, correct an address, and
remove an alias or an online identifier: anonymous, wrong role, out of scope, restricted,
permitted, bad input; and how the record shows what was removed."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.people import services
from vigil.people.choices import ChildRelationship, IdentifierKind
from vigil.people.models import Address, Alias, ChildLink, OnlineIdentifier
from vigil.people.tests.helpers import make_person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/people"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def _send(client, method, url, data):
    return getattr(client, method)(url, data, content_type="application/json")


def _record(officer, person):
    """A record with one of each part; for each operation: (method, url, item, model, body)."""
    address = services.address_add(
        actor=officer,
        person=person,
        line1="1 High Street",
        town="Carmarthen",
        postcode="SA31 3AA",
        valid_from=dt.date(2020, 1, 1),
    )
    link = services.child_link_add(
        actor=officer,
        person=person,
        child_name="Child A",
        relationship=ChildRelationship.HAS_ACCESS,
        valid_from=dt.date(2021, 6, 1),
    )
    alias = services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    ident = services.identifier_add(
        actor=officer, person=person, kind=IdentifierKind.PHONE, value="+44 7700 900123"
    )
    url = f"{BASE}/{person.uuid}"
    return [
        (
            "post",
            f"{url}/addresses/{address.uuid}/end",
            address,
            Address,
            {"valid_to": "2026-02-01"},
        ),
        (
            "patch",
            f"{url}/addresses/{address.uuid}",
            address,
            Address,
            {"postcode": "SA31 3AB", "reason": "Typo"},
        ),
        (
            "post",
            f"{url}/children/{link.uuid}/end",
            link,
            ChildLink,
            {"valid_to": "2026-02-01", "reason": "Contact stopped"},
        ),
        ("post", f"{url}/aliases/{alias.uuid}/remove", alias, Alias, {"reason": "Error"}),
        (
            "post",
            f"{url}/identifiers/{ident.uuid}/remove",
            ident,
            OnlineIdentifier,
            {"reason": "Error"},
        ),
    ]


def _row(model, item):
    return {
        k: v
        for k, v in model.objects.filter(pk=item.pk).values().get().items()
        if k != "updated_at"
    }


def _change_events():
    return AuditEvent.objects.filter(
        action__in=[
            "person.address_end",
            "person.address_correct",
            "person.child_link_end",
            "person.alias_remove",
            "person.identifier_remove",
        ]
    )


# --- anonymous, wrong role, out of scope, restricted ------------------------------------


def test_it_refuses_anonymous_callers(officer, team):
    person = make_person(team)
    for method, url, item, model, body in _record(officer, person):
        snapshot = _row(model, item)
        response = _send(Client(), method, url, body)
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "unauthenticated"
        assert _row(model, item) == snapshot
    assert not _change_events().exists()


@pytest.mark.parametrize("role", [Role.ASSURANCE, Role.AUDITOR, Role.PROBATION])
def test_it_gives_not_found_to_roles_without_casework(officer, team, role):
    person = make_person(team)
    client = verified_client(make_user(role, team))
    for method, url, item, model, body in _record(officer, person):
        snapshot = _row(model, item)
        response = _send(client, method, url, body)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
        assert _row(model, item) == snapshot
    assert not _change_events().exists()


def test_it_gives_not_found_for_a_person_out_of_scope(officer, other_team):
    person = make_person(other_team)
    client = verified_client(officer)
    for method, url, item, model, body in _record(make_user(Role.OFFICER, other_team), person):
        snapshot = _row(model, item)
        response = _send(client, method, url, body)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
        assert _row(model, item) == snapshot
    assert not _change_events().exists()


def test_it_gives_not_found_for_a_part_of_another_persons_record(officer, team):
    person = make_person(team)
    other = make_person(team)
    client = verified_client(officer)
    for method, url, item, model, body in _record(officer, other):
        snapshot = _row(model, item)
        response = _send(client, method, url.replace(str(other.uuid), str(person.uuid)), body)
        assert response.status_code == 404, url
        assert _row(model, item) == snapshot
    assert not _change_events().exists()


def test_it_refuses_a_restricted_record_to_someone_not_named(officer, supervisor, team):
    person = make_person(team, given_name="Secretname")
    parts = _record(officer, person)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Covert")
    client = verified_client(officer)
    for method, url, item, model, body in parts:
        snapshot = _row(model, item)
        response = _send(client, method, url, body)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "restricted"
        assert "Secretname" not in response.content.decode()
        assert _row(model, item) == snapshot
    assert not _change_events().exists()
    # Named on the restriction, the supervisor may.
    supervisor_client = verified_client(supervisor)
    for method, url, _item, _model, body in parts:
        assert _send(supervisor_client, method, url, body).status_code == 200, url
    assert _change_events().count() == 5


# --- permitted --------------------------------------------------------------------------


def test_it_ends_an_address(officer, team):
    person = make_person(team)
    method, url, address, _model, body = _record(officer, person)[0]
    client = verified_client(officer)
    response = _send(client, method, url, body)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(address.uuid)
    assert response.json()["valid_to"] == "2026-02-01"
    address.refresh_from_db()
    assert address.valid_to == dt.date(2026, 2, 1)
    assert AuditEvent.objects.get(action="person.address_end").actor_id == officer.pk
    response = _send(client, method, url, body)
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    assert AuditEvent.objects.filter(action="person.address_end").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "valid_to"),
        ({"valid_to": "2026-03-02"}, "valid_to"),
        ({"valid_to": "2019-12-31"}, "valid_to"),
    ],
)
def test_it_refuses_a_wrong_move_out_date(officer, team, body, field):
    person = make_person(team)
    method, url, address, model, _body = _record(officer, person)[0]
    snapshot = _row(model, address)
    response = _send(verified_client(officer), method, url, body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"
    assert [f["field"] for f in response.json()["error"]["fields"]] == [field]
    assert _row(model, address) == snapshot and not _change_events().exists()


def test_it_corrects_only_the_fields_sent(officer, team):
    person = make_person(team)
    method, url, address, _model, _body = _record(officer, person)[1]
    client = verified_client(officer)
    response = _send(client, method, url, {"postcode": "sa31 3ab", "reason": "Typo"})
    assert response.status_code == 200, response.content
    assert response.json()["postcode"] == "SA31 3AB" and response.json()["line1"] == "1 High Street"
    address.refresh_from_db()
    assert address.postcode == "SA31 3AB" and address.valid_to is None
    event = AuditEvent.objects.get(action="person.address_correct")
    assert event.changes == {"postcode": ["SA31 3AA", "SA31 3AB"]} and event.reason == "Typo"


def test_it_refuses_a_wrong_correction_and_changes_nothing(officer, team):
    person = make_person(team)
    method, url, address, model, _body = _record(officer, person)[1]
    client = verified_client(officer)
    snapshot = _row(model, address)
    for body, fields in [
        ({"postcode": "SA31 3AB"}, {"reason"}),
        ({"postcode": "SA31 3AB", "reason": " "}, {"reason"}),
        ({"line1": "", "town": None, "reason": "x"}, {"line1", "town"}),
        ({"valid_to": "2026-01-01", "reason": "x"}, {"valid_to"}),
        ({"valid_from": "2020-02-01", "valid_to": "2020-01-01", "reason": "x"}, {"valid_to"}),
    ]:
        response = _send(client, method, url, body)
        assert response.status_code == 422, body
        assert {f["field"] for f in response.json()["error"]["fields"]} == fields, body
    response = _send(client, method, url, {"postcode": "SA31 3AA", "reason": "x"})
    assert response.status_code == 422
    assert "Nothing has changed" in response.json()["error"]["message"]
    assert _row(model, address) == snapshot and not _change_events().exists()


def test_it_ends_a_childs_link(officer, team):
    person = make_person(team)
    method, url, link, model, body = _record(officer, person)[2]
    client = verified_client(officer)
    snapshot = _row(model, link)
    response = _send(client, method, url, {"valid_to": "2026-02-01"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "reason"
    response = _send(client, method, url, {"valid_to": "2026-03-02", "reason": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "valid_to"
    assert _row(model, link) == snapshot and not _change_events().exists()

    response = _send(client, method, url, body)
    assert response.status_code == 200
    assert response.json()["valid_to"] == "2026-02-01" and response.json()["id"] == str(link.uuid)
    link.refresh_from_db()
    assert link.valid_to == dt.date(2026, 2, 1)
    assert AuditEvent.objects.get(action="person.child_link_end").reason == "Contact stopped"
    children = client.get(f"{BASE}/{person.uuid}").json()["children"]
    assert [(c["child_name"], c["valid_to"]) for c in children] == [("Child A", "2026-02-01")]


def test_it_removes_an_alias_and_an_identifier_and_shows_them_apart(officer, team):
    person = make_person(team)
    parts = _record(officer, person)
    client = verified_client(officer)
    for method, url, item, model, _body in parts[3:]:
        response = _send(client, method, url, {"reason": ""})
        assert response.status_code == 422
        assert response.json()["error"]["fields"][0]["field"] == "reason"
        assert model.objects.get(pk=item.pk).removed_at is None
    assert not _change_events().exists()

    for method, url, item, model, body in parts[3:]:
        response = _send(client, method, url, body)
        assert response.status_code == 200, response.content
        out = response.json()
        assert out["id"] == str(item.uuid) and out["removal_reason"] == "Error"
        assert out["removed_by"]["id"] == str(officer.uuid)
        assert out["removed_at"].startswith("2026-03-01T12:00")
        row = model.objects.get(pk=item.pk)
        assert row.removed_by == officer and row.removal_reason == "Error"
        again = _send(client, method, url, body)
        assert again.status_code == 409
    assert AuditEvent.objects.filter(action="person.alias_remove").count() == 1
    assert AuditEvent.objects.filter(action="person.identifier_remove").count() == 1

    record = client.get(f"{BASE}/{person.uuid}").json()
    assert record["aliases"] == [] and record["identifiers"] == []
    assert [a["family_name"] for a in record["removed_aliases"]] == ["Pryce"]
    assert [i["normalised"] for i in record["removed_identifiers"]] == ["07700900123"]
    assert record["removed_identifiers"][0]["removed_by"]["email"] == officer.email
