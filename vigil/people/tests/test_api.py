import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.people import services
from vigil.people.models import Address, Person
from vigil.people.tests.helpers import force_manager, make_person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/people"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _create_body(**overrides):
    body = {
        "given_name": "Gareth",
        "family_name": "Price",
        "date_of_birth": "1980-05-17",
        "gender": "male",
    }
    body.update(overrides)
    return body


# --- anonymous, wrong role, out of scope ------------------------------------------------


def test_it_refuses_anonymous_callers(team):
    person = make_person(team)
    client = Client()
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/{person.uuid}").status_code == 401
    assert _post(client, BASE, _create_body()).status_code == 401
    assert (
        client.patch(
            f"{BASE}/{person.uuid}", {"given_name": "X"}, content_type="application/json"
        ).status_code
        == 401
    )
    assert (
        _post(
            client, f"{BASE}/{person.uuid}/aliases", {"given_name": "X", "family_name": "Y"}
        ).status_code
        == 401
    )
    assert client.get(BASE).json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("role", [Role.ASSURANCE, Role.AUDITOR])
def test_it_refuses_roles_without_casework(team, role):
    person = make_person(team)
    client = verified_client(make_user(role, team))
    assert client.get(BASE).status_code == 403
    assert _post(client, BASE, _create_body()).status_code == 403
    assert client.get(f"{BASE}/{person.uuid}").status_code == 404
    response = client.patch(
        f"{BASE}/{person.uuid}", {"given_name": "X"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert (
        _post(
            client, f"{BASE}/{person.uuid}/aliases", {"given_name": "X", "family_name": "Y"}
        ).status_code
        == 404
    )
    assert Person.objects.count() == 1 and not person.aliases.exists()


def test_it_gives_not_found_for_a_person_out_of_scope(officer, other_team):
    person = make_person(other_team)
    client = verified_client(officer)
    response = client.get(f"{BASE}/{person.uuid}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    address = {
        "line1": "1 High Street",
        "town": "Carmarthen",
        "postcode": "SA31 3AA",
        "valid_from": "2024-01-01",
    }
    assert _post(client, f"{BASE}/{person.uuid}/addresses", address).status_code == 404
    assert not Address.objects.exists()


# --- list and read ----------------------------------------------------------------------


def test_it_lists_and_searches_people_in_scope(officer, team, other_team):
    gareth = make_person(team, given_name="Gareth", family_name="Price")
    make_person(team, given_name="Rhian", family_name="Evans")
    make_person(other_team)
    client = verified_client(officer)
    body = client.get(BASE).json()
    assert body["count"] == 2
    body = client.get(BASE, {"q": "gareth"}).json()
    assert [p["id"] for p in body["items"]] == [str(gareth.uuid)]
    assert body["items"][0]["team"]["name"] == team.name


def test_it_lists_in_a_fixed_number_of_queries(officer, supervisor, team):
    for _ in range(3):
        make_person(team, actor=supervisor)
    client = verified_client(officer)
    client.get(BASE)
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    for _ in range(27):
        make_person(team, actor=supervisor)
    with CaptureQueriesContext(connection) as many:
        assert client.get(BASE).json()["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_reads_a_record_and_audits_the_view(officer, team):
    person = make_person(team, pnc_id="12/345678A")
    services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    response = verified_client(officer).get(f"{BASE}/{person.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(person.uuid) and body["pnc_id"] == "12/345678A"
    assert [a["family_name"] for a in body["aliases"]] == ["Pryce"]
    assert body["restriction"] is None
    assert AuditEvent.objects.filter(
        action="person.view", actor_id=officer.pk, person_id=str(person.uuid)
    ).exists()


def test_it_answers_restricted_with_403_and_no_details(officer, supervisor, team):
    person = make_person(team, given_name="Secretname")
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Covert")
    response = verified_client(officer).get(f"{BASE}/{person.uuid}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "restricted"
    assert "Secretname" not in response.content.decode()
    assert team.name in response.json()["error"]["message"]
    assert AuditEvent.objects.filter(action="person.view_denied", actor_id=officer.pk).exists()
    assert verified_client(officer).get(BASE).json()["count"] == 0


# --- create and update ------------------------------------------------------------------


def test_it_creates_a_person(officer, team):
    response = _post(
        verified_client(officer),
        BASE,
        _create_body(
            pnc_id="12/345678a", identifiers=[{"kind": "email", "value": "G@Example.com"}]
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(uuid=body["id"])
    assert person.team == team and person.pnc_id == "12/345678A"
    assert body["identifiers"][0]["normalised"] == "g@example.com"
    assert AuditEvent.objects.filter(action="person.create", person_id=str(person.uuid)).exists()


def test_it_answers_a_possible_duplicate_with_409_and_the_matches(officer, team, other_team):
    existing = make_person(
        team, given_name="Gareth", family_name="Price", date_of_birth=dt.date(1980, 5, 17)
    )
    make_person(
        other_team, given_name="Gareth", family_name="Price", date_of_birth=dt.date(1980, 5, 17)
    )
    client = verified_client(officer)
    response = _post(client, BASE, _create_body())
    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "possible_duplicate"
    assert [m["id"] for m in body["matches"]] == [str(existing.uuid)]
    assert body["matches"][0]["reasons"] == ["name_dob"]
    assert body["hidden_count"] == 1
    assert Person.objects.count() == 2

    response = _post(client, BASE, _create_body(confirm_not_duplicate=True))
    assert response.status_code == 201
    assert Person.objects.count() == 3


def test_it_refuses_invalid_data_with_the_fields_named(officer, team, other_team):
    client = verified_client(officer)
    response = _post(client, BASE, _create_body(given_name="", pnc_id="bad"))
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["error"]["fields"]} == {"given_name", "pnc_id"}
    response = _post(client, BASE, _create_body(team=str(other_team.uuid)))
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "team"
    assert not Person.objects.exists()


def test_it_updates_only_the_fields_sent(officer, team):
    person = make_person(team, given_name="Gareth", family_name="Price", pnc_id="12/1A")
    response = verified_client(officer).patch(
        f"{BASE}/{person.uuid}", {"family_name": "Pryce"}, content_type="application/json"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert (
        person.family_name == "Pryce" and person.pnc_id == "12/1A" and person.given_name == "Gareth"
    )
    assert AuditEvent.objects.get(action="person.update").changes == {
        "family_name": ["Price", "Pryce"]
    }


# --- additions --------------------------------------------------------------------------


def test_it_adds_aliases_addresses_identifiers_and_children(officer, team):
    person = make_person(team)
    client = verified_client(officer)
    url = f"{BASE}/{person.uuid}"
    assert (
        _post(client, f"{url}/aliases", {"given_name": "Gaz", "family_name": "Pryce"}).status_code
        == 201
    )
    first = _post(
        client,
        f"{url}/addresses",
        {
            "line1": "1 High Street",
            "town": "Carmarthen",
            "postcode": "sa313aa",
            "valid_from": "2020-01-01",
        },
    )
    assert first.status_code == 201 and first.json()["postcode"] == "SA31 3AA"
    second = _post(
        client,
        f"{url}/addresses",
        {
            "line1": "2 Quay Street",
            "town": "Aberystwyth",
            "postcode": "SY23 1AA",
            "valid_from": "2024-01-01",
        },
    )
    assert second.status_code == 201
    ident = _post(client, f"{url}/identifiers", {"kind": "phone", "value": "+44 7700 900123"})
    assert ident.status_code == 201 and ident.json()["normalised"] == "07700900123"
    dup = _post(client, f"{url}/identifiers", {"kind": "phone", "value": "07700900123"})
    assert dup.status_code == 422 and dup.json()["error"]["fields"][0]["field"] == "value"
    child = _post(
        client, f"{url}/children", {"child_name": "Child A", "relationship": "in_household"}
    )
    assert child.status_code == 201
    body = client.get(url).json()
    assert (
        len(body["aliases"]) == 1 and len(body["identifiers"]) == 1 and len(body["children"]) == 1
    )
    assert [a["valid_to"] for a in body["addresses"]] == [None, "2023-12-31"]


# --- restriction ------------------------------------------------------------------------


def test_it_restricts_and_unrestricts_for_supervisors_only(officer, supervisor, team, other_team):
    person = make_person(team)
    url = f"{BASE}/{person.uuid}/restriction"
    officer_client = verified_client(officer)
    response = _post(officer_client, url, {"users": [str(officer.uuid)], "reason": "Need to know"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"

    client = verified_client(supervisor)
    response = _post(client, url, {"users": [str(officer.uuid)], "reason": "Need to know"})
    assert response.status_code == 200
    assert {u["id"] for u in response.json()["restriction"]["users"]} == {
        str(officer.uuid),
        str(supervisor.uuid),
    }

    outsider = make_user(Role.OFFICER, other_team)
    response = _post(client, url, {"users": [str(outsider.uuid)], "reason": "Need to know"})
    assert response.status_code == 422

    assert (
        officer_client.delete(url, {"reason": "x"}, content_type="application/json").status_code
        == 403
    )
    response = client.delete(url, {"reason": "Operation over"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["restriction"] is None
    person.refresh_from_db()
    assert not person.is_restricted
    assert AuditEvent.objects.filter(
        action="person.unrestrict", person_id=str(person.uuid)
    ).exists()


def test_it_lets_a_force_manager_restrict_another_teams_record(team, other_team):
    manager = force_manager(team)
    person = make_person(other_team)
    response = _post(
        verified_client(manager), f"{BASE}/{person.uuid}/restriction", {"reason": "Need to know"}
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_restricted
