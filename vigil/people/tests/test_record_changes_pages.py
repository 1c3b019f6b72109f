"""The pages that end an address or a child's link, correct an address, and remove an
alias or an online identifier: anonymous, wrong role, out of scope, restricted, permitted,
bad input; and how the record page shows what was ended or removed."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.people import services
from vigil.people.choices import ChildRelationship, IdentifierKind
from vigil.people.models import Address, Alias, ChildLink, OnlineIdentifier
from vigil.people.tests.helpers import make_person

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def _url(name, person, item):
    return reverse(f"people:{name}", kwargs={"uuid": person.uuid, "item": item.uuid})


def _record(officer, person):
    """A record with one of each part, and for each page: (name, item, model, good POST)."""
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
        relationship=ChildRelationship.IN_HOUSEHOLD,
        valid_from=dt.date(2021, 6, 1),
    )
    alias = services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    ident = services.identifier_add(
        actor=officer, person=person, kind=IdentifierKind.USERNAME, value="@gazp"
    )
    return [
        ("address-end", address, Address, {"valid_to": "2026-02-01"}),
        (
            "address-correct",
            address,
            Address,
            {
                "line1": "1 High Street",
                "line2": "",
                "town": "Carmarthen",
                "postcode": "SA31 3AB",
                "valid_from": "2020-01-01",
                "valid_to": "",
                "reason": "Postcode typed wrongly",
            },
        ),
        ("child-end", link, ChildLink, {"valid_to": "2026-02-01", "reason": "Moved out"}),
        ("alias-remove", alias, Alias, {"reason": "Recorded in error"}),
        ("identifier-remove", ident, OnlineIdentifier, {"reason": "Recorded in error"}),
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


def test_it_sends_anonymous_users_to_sign_in(officer, team):
    person = make_person(team)
    for name, item, model, data in _record(officer, person):
        snapshot = _row(model, item)
        for response in (
            Client().get(_url(name, person, item)),
            Client().post(_url(name, person, item), data),
        ):
            assert response.status_code == 302, name
            assert response.url.startswith(SIGN_IN)
        assert _row(model, item) == snapshot
    assert not _change_events().exists()


@pytest.mark.parametrize("role", [Role.ASSURANCE, Role.AUDITOR, Role.PROBATION])
def test_it_gives_not_found_to_roles_without_casework(officer, team, role):
    person = make_person(team)
    client = verified_client(make_user(role, team))
    for name, item, model, data in _record(officer, person):
        snapshot = _row(model, item)
        assert client.get(_url(name, person, item)).status_code == 404, name
        assert client.post(_url(name, person, item), data).status_code == 404, name
        assert _row(model, item) == snapshot
    assert not _change_events().exists()


def test_it_gives_not_found_for_a_person_out_of_scope(officer, team, other_team):
    person = make_person(other_team)
    outsider = make_user(Role.OFFICER, other_team)
    client = verified_client(officer)
    for name, item, model, data in _record(outsider, person):
        snapshot = _row(model, item)
        assert client.get(_url(name, person, item)).status_code == 404, name
        assert client.post(_url(name, person, item), data).status_code == 404, name
        assert _row(model, item) == snapshot
    assert not _change_events().exists()


def test_it_gives_not_found_for_a_part_of_another_persons_record(officer, team):
    person = make_person(team)
    other = make_person(team)
    client = verified_client(officer)
    for name, item, model, data in _record(officer, other):
        snapshot = _row(model, item)
        url = reverse(f"people:{name}", kwargs={"uuid": person.uuid, "item": item.uuid})
        assert client.get(url).status_code == 404, name
        assert client.post(url, data).status_code == 404, name
        assert _row(model, item) == snapshot
    assert not _change_events().exists()


def test_it_shows_the_restricted_page_to_someone_not_named(officer, supervisor, team):
    person = make_person(team, given_name="Secretname")
    parts = _record(officer, person)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Covert")
    client = verified_client(officer)
    for name, item, model, data in parts:
        snapshot = _row(model, item)
        for response in (
            client.get(_url(name, person, item)),
            client.post(_url(name, person, item), data),
        ):
            assert response.status_code == 403, name
            html = response.content.decode()
            assert "Secretname" not in html and "High Street" not in html
        assert _row(model, item) == snapshot
    assert not _change_events().exists()
    assert AuditEvent.objects.filter(action="person.view_denied", actor_id=officer.pk).count() == 10


# --- permitted --------------------------------------------------------------------------


def test_it_ends_an_address_after_showing_it(officer, team):
    person = make_person(team)
    address = _record(officer, person)[0][1]
    client = verified_client(officer)
    response = client.get(_url("address-end", person, address))
    assert response.status_code == 200
    html = response.content.decode()
    assert "End this address" in html and "1 High Street" in html and "1 January 2020" in html
    address.refresh_from_db()
    assert address.valid_to is None and not _change_events().exists()

    response = client.post(_url("address-end", person, address), {"valid_to": "2026-02-01"})
    assert response.status_code == 302
    assert response.url == reverse("people:detail", kwargs={"uuid": person.uuid})
    address.refresh_from_db()
    assert address.valid_to == dt.date(2026, 2, 1)
    assert AuditEvent.objects.get(action="person.address_end").actor_id == officer.pk
    # Ended: the page is not offered again.
    response = client.get(_url("address-end", person, address))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"valid_to": ""}, "Enter the date the person moved out"),
        ({"valid_to": "not a date"}, "Enter a real date"),
        ({"valid_to": "2026-03-02"}, "The date the person moved out must be today or in the past"),
        ({"valid_to": "2019-12-31"}, "after the date they moved in (01/01/2020)"),
    ],
)
def test_it_shows_errors_when_ending_an_address_and_changes_nothing(officer, team, data, message):
    person = make_person(team)
    address = _record(officer, person)[0][1]
    response = verified_client(officer).post(_url("address-end", person, address), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and 'href="#id_valid_to"' in html
    assert message in html
    address.refresh_from_db()
    assert address.valid_to is None and not _change_events().exists()


def test_it_corrects_an_address_from_a_filled_in_form(officer, team):
    person = make_person(team)
    address = _record(officer, person)[1][1]
    client = verified_client(officer)
    html = client.get(_url("address-correct", person, address)).content.decode()
    assert 'value="1 High Street"' in html and 'value="SA31 3AA"' in html
    assert 'value="2020-01-01"' in html
    response = client.post(
        _url("address-correct", person, address),
        {
            "line1": "1 High Street",
            "line2": "",
            "town": "Carmarthen",
            "postcode": "sa31 3ab",
            "valid_from": "2020-01-01",
            "valid_to": "",
            "reason": "Postcode typed wrongly",
        },
    )
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.postcode == "SA31 3AB" and address.valid_to is None
    event = AuditEvent.objects.get(action="person.address_correct")
    assert event.changes == {"postcode": ["SA31 3AA", "SA31 3AB"]}
    assert event.reason == "Postcode typed wrongly"


def test_it_shows_errors_when_correcting_an_address_and_changes_nothing(officer, team):
    person = make_person(team)
    address = _record(officer, person)[1][1]
    client = verified_client(officer)
    base = {
        "line1": "1 High Street",
        "line2": "",
        "town": "Carmarthen",
        "postcode": "SA31 3AA",
        "valid_from": "2020-01-01",
        "valid_to": "",
    }
    cases = [
        ({**base, "postcode": "SA31 3AB", "reason": ""}, "#id_reason", "Enter the reason"),
        ({**base, "postcode": "zzz", "reason": "x"}, "#id_postcode", "Enter a real postcode"),
        (
            {**base, "valid_to": "2026-01-01", "reason": "x"},
            "#id_valid_to",
            "end the address instead of correcting it",
        ),
        (
            {**base, "valid_from": "2020-01-01", "reason": "x"},
            "#main-content",
            "Nothing has changed",
        ),
    ]
    snapshot = _row(Address, address)
    for data, anchor, message in cases:
        response = client.post(_url("address-correct", person, address), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-error-summary" in html and f'href="{anchor}"' in html, message
        assert message in html
    assert _row(Address, address) == snapshot and not _change_events().exists()


def test_it_ends_a_childs_link_and_shows_it_as_ended(officer, team):
    person = make_person(team)
    link = _record(officer, person)[2][1]
    client = verified_client(officer)
    response = client.get(_url("child-end", person, link))
    assert response.status_code == 200 and "Child A" in response.content.decode()
    response = client.post(_url("child-end", person, link), {"valid_to": "", "reason": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Enter the date the link ended" in html and "Enter the reason the link ended" in html
    link.refresh_from_db()
    assert link.valid_to is None and not _change_events().exists()

    response = client.post(
        _url("child-end", person, link), {"valid_to": "2026-02-01", "reason": "Moved out"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.valid_to == dt.date(2026, 2, 1)
    assert AuditEvent.objects.get(action="person.child_link_end").reason == "Moved out"
    html = client.get(reverse("people:detail", kwargs={"uuid": person.uuid})).content.decode()
    assert "Child A" in html and "Ended" in html
    assert _url("child-end", person, link) not in html


@pytest.mark.parametrize(
    ("index", "action"), [(3, "person.alias_remove"), (4, "person.identifier_remove")]
)
def test_it_removes_an_alias_or_identifier_with_a_reason(officer, team, index, action):
    person = make_person(team)
    name, item, model, data = _record(officer, person)[index]
    client = verified_client(officer)
    response = client.get(_url(name, person, item))
    assert response.status_code == 200
    response = client.post(_url(name, person, item), {"reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and 'href="#id_reason"' in html
    assert model.objects.get(pk=item.pk).removed_at is None

    response = client.post(_url(name, person, item), data)
    assert response.status_code == 302
    row = model.objects.get(pk=item.pk)
    assert row.removed_by == officer and row.removal_reason == "Recorded in error"
    assert AuditEvent.objects.filter(action=action, target_id=str(item.uuid)).count() == 1
    # Removed: the page is not offered again, and a second POST changes nothing.
    assert client.get(_url(name, person, item)).status_code == 302
    assert client.post(_url(name, person, item), {"reason": "Again"}).status_code == 302
    assert model.objects.get(pk=item.pk).removal_reason == "Recorded in error"
    assert AuditEvent.objects.filter(action=action).count() == 1


def test_the_record_shows_actions_and_keeps_removed_parts_apart(officer, supervisor, team):
    person = make_person(team)
    parts = {name: item for name, item, _m, _d in _record(officer, person)}
    keep = services.alias_add(actor=officer, person=person, given_name="Gary", family_name="Price")
    client = verified_client(officer)
    detail = reverse("people:detail", kwargs={"uuid": person.uuid})
    html = client.get(detail).content.decode()
    for name, item in parts.items():
        assert _url(name, person, item) in html, name
    assert "Removed alias" not in html and "Removed online identifier" not in html

    services.alias_remove(actor=officer, alias=parts["alias-remove"], reason="Not his alias")
    services.identifier_remove(
        actor=officer, identifier=parts["identifier-remove"], reason="Someone else's account"
    )
    html = client.get(detail).content.decode()
    assert _url("alias-remove", person, parts["alias-remove"]) not in html
    assert _url("alias-remove", person, keep) in html
    assert _url("identifier-remove", person, parts["identifier-remove"]) not in html
    assert "No online identifiers recorded." in html
    removed = html[html.index('id="removed-aliases"') :]
    assert "Removed alias (1)" in html and "PRYCE, Gaz" in removed
    assert "Not his alias" in removed and officer.full_name in removed
    assert "PRYCE" not in html[: html.index('id="removed-aliases"')]
    assert "Removed online identifier (1)" in html and "Someone else&#x27;s account" in html
