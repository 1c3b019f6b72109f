import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Role, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.testing import make_force, make_team, make_user
from vigil.people import normalise, services
from vigil.people.choices import ChildRelationship, IdentifierKind, MatchReason
from vigil.people.exceptions import PersonRestricted, PossibleDuplicate
from vigil.people.models import Address, Alias, ChildLink, OnlineIdentifier, Person
from vigil.people.tests.helpers import make_person

pytestmark = pytest.mark.django_db

DOB = dt.date(1980, 5, 17)


def _create(actor, team, **kwargs):
    values = {"given_name": "Gareth", "family_name": "Price", "date_of_birth": DOB}
    values.update(kwargs)
    return services.person_create(actor=actor, team=team, **values)


# --- person_create ----------------------------------------------------------------------


def test_it_creates_a_person_with_search_name_and_an_audit_event(officer, team):
    person = _create(
        officer,
        team,
        given_name="  Gareth ",
        family_name="Price  Jones",
        pnc_id="12/345678a",
        register_reference=" ab 123 ",
        identifiers=[(IdentifierKind.EMAIL, "G.Price@Example.COM")],
    )
    person.refresh_from_db()
    assert person.force_id == team.force_id
    assert person.given_name == "Gareth" and person.family_name == "Price Jones"
    assert person.search_name == "gareth price jones"
    assert person.pnc_id == "12/345678A" and person.register_reference == "AB123"
    assert list(person.identifiers.values_list("normalised", flat=True)) == ["g.price@example.com"]
    event = AuditEvent.objects.get(action="person.create")
    assert event.person_id == str(person.uuid) and event.actor_id == officer.pk
    assert event.changes["given_name"] == [None, "Gareth"]
    assert event.changes["team"] == [None, team.name]


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_it_names_every_wrong_field_and_writes_nothing(officer, team):
    with pytest.raises(ValidationFailed) as exc:
        _create(
            officer,
            team,
            given_name=" ",
            date_of_birth=dt.date(2026, 3, 2),
            pnc_id="nonsense",
            gender="wizard",
        )
    fields = {f for f, _m in exc.value.errors}
    assert fields == {"given_name", "date_of_birth", "pnc_id", "gender"}
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_it_refuses_a_team_the_actor_does_not_reach(officer, other_team):
    with pytest.raises(PermissionDenied):
        _create(officer, other_team)
    assert not Person.objects.exists()


# --- duplicate check --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "new", "reason"),
    [
        (
            {"pnc_id": "12/345678A"},
            {"given_name": "Other", "pnc_id": "12/345678a"},
            MatchReason.PNC,
        ),
        (
            {"register_reference": "VIS123"},
            {"given_name": "Other", "register_reference": "vis 123"},
            MatchReason.REGISTER_REFERENCE,
        ),
        (
            {"identifiers": [(IdentifierKind.PHONE, "07700 900123")]},
            {"given_name": "Other", "identifiers": [(IdentifierKind.PHONE, "+44 7700-900-123")]},
            MatchReason.IDENTIFIER,
        ),
        ({}, {"given_name": "  GARETH", "family_name": "price "}, MatchReason.NAME_DOB),
    ],
)
def test_it_finds_each_kind_of_possible_duplicate(officer, team, existing, new, reason):
    first = make_person(
        team, given_name="Gareth", family_name="Price", date_of_birth=DOB, **existing
    )
    with pytest.raises(PossibleDuplicate) as exc:
        _create(officer, team, **new)
    assert [m.person for m in exc.value.matches] == [first]
    assert exc.value.matches[0].reasons == [reason]
    assert exc.value.hidden_count == 0
    assert exc.value.status == 409 and isinstance(exc.value, Conflict)
    assert Person.objects.count() == 1


def test_it_finds_a_duplicate_through_an_alias(officer, team):
    first = make_person(team, given_name="Gareth", family_name="Price")
    services.alias_add(actor=officer, person=first, given_name="Gaz", family_name="Pryce")
    with pytest.raises(PossibleDuplicate) as exc:
        _create(officer, team, given_name="gaz", family_name=" PRYCE")
    assert exc.value.matches[0].person == first
    assert exc.value.matches[0].reasons == [MatchReason.ALIAS_DOB]


def test_it_does_not_match_the_same_name_with_another_date_of_birth(officer, team):
    make_person(team, given_name="Gareth", family_name="Price", date_of_birth=DOB)
    person = _create(officer, team, date_of_birth=dt.date(1981, 5, 17))
    assert person.pk


def test_it_counts_matches_the_actor_may_not_see_without_describing_them(officer, team):
    elsewhere = make_team(
        make_force("gwent", "Gwent Police"), name="POLIT Gwent", kind=TeamKind.POLIT
    )
    make_person(elsewhere, given_name="Gareth", family_name="Price")
    restricted = make_person(team, given_name="Gareth", family_name="Price")
    supervisor = make_user(Role.SUPERVISOR, team)
    services.person_restrict(
        actor=supervisor, person=restricted, users=[], reason="Covert operation"
    )
    visible = make_person(team, given_name="Gareth", family_name="Price")
    with pytest.raises(PossibleDuplicate) as exc:
        _create(officer, team)
    assert [m.person for m in exc.value.matches] == [visible]
    assert exc.value.hidden_count == 2
    assert "Gwent" not in str(exc.value.message)


def test_it_creates_despite_duplicates_when_confirmed_and_audits_them(officer, team):
    first = make_person(team, given_name="Gareth", family_name="Price")
    person = _create(officer, team, confirm_not_duplicate=True)
    event = AuditEvent.objects.filter(action="person.create", person_id=str(person.uuid)).get()
    assert event.changes["confirmed_not_duplicate_of"] == [str(first.uuid)]
    assert event.reason


# --- person_update ----------------------------------------------------------------------


def test_it_updates_details_with_before_and_after_in_the_audit(officer, team):
    person = make_person(team, given_name="Gareth", family_name="Price")
    services.person_update(
        actor=officer, person=person, family_name="Pryce", pnc_id="2012/0345678b"
    )
    person.refresh_from_db()
    assert person.search_name == "gareth pryce" and person.pnc_id == "2012/0345678B"
    event = AuditEvent.objects.get(action="person.update")
    assert event.person_id == str(person.uuid)
    assert event.changes == {"family_name": ["Price", "Pryce"], "pnc_id": ["", "2012/0345678B"]}


def test_it_checks_for_duplicates_when_identifying_details_change(officer, team):
    make_person(team, given_name="A", pnc_id="12/1A")
    other = make_person(team, given_name="B")
    with pytest.raises(PossibleDuplicate):
        services.person_update(actor=officer, person=other, pnc_id="12/1A")
    other.refresh_from_db()
    assert other.pnc_id == ""
    services.person_update(actor=officer, person=other, pnc_id="12/1A", confirm_not_duplicate=True)
    other.refresh_from_db()
    assert other.pnc_id == "12/1A"


def test_it_refuses_to_update_a_person_out_of_scope(officer, other_team):
    person = make_person(other_team)
    with pytest.raises(NotFound):
        services.person_update(actor=officer, person=person, given_name="Changed")


# --- aliases ----------------------------------------------------------------------------


def test_it_adds_an_alias_and_refuses_the_same_name_twice(officer, team):
    person = make_person(team, given_name="Gareth", family_name="Price")
    alias = services.alias_add(
        actor=officer, person=person, given_name=" Gaz ", family_name="Price"
    )
    assert alias.search_name == "gaz price"
    with pytest.raises(ValidationFailed):
        services.alias_add(actor=officer, person=person, given_name="GAZ", family_name="price")
    with pytest.raises(ValidationFailed):
        services.alias_add(actor=officer, person=person, given_name="gareth", family_name="price")
    assert Alias.objects.count() == 1
    assert AuditEvent.objects.get(action="person.alias_add").person_id == str(person.uuid)


# --- addresses --------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_it_closes_the_previous_current_address_when_a_new_one_starts(officer, team):
    person = make_person(team)
    old = services.address_add(
        actor=officer,
        person=person,
        line1="1 High Street",
        town="Carmarthen",
        postcode="sa313aa",
        valid_from=dt.date(2020, 1, 1),
    )
    assert old.postcode == "SA31 3AA"
    new = services.address_add(
        actor=officer,
        person=person,
        line1="2 Quay Street",
        town="Aberystwyth",
        postcode="SY23 1AA",
        valid_from=dt.date(2026, 5, 1),
    )
    old.refresh_from_db()
    assert old.valid_to == dt.date(2026, 4, 30)
    assert new.valid_to is None
    event = AuditEvent.objects.filter(action="person.address_add").order_by("id").last()
    assert event.person_id == str(person.uuid)
    assert event.changes["closed_address"]["id"] == str(old.uuid)
    assert event.changes["closed_address"]["valid_to"] == [None, "2026-04-30"]


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_it_refuses_addresses_that_overlap_the_current_one_and_changes_nothing(officer, team):
    person = make_person(team)
    current = services.address_add(
        actor=officer,
        person=person,
        line1="1 High Street",
        town="Carmarthen",
        postcode="SA31 3AA",
        valid_from=dt.date(2024, 1, 1),
    )
    with pytest.raises(ValidationFailed) as exc:
        services.address_add(
            actor=officer,
            person=person,
            line1="2 Quay Street",
            town="Aberystwyth",
            postcode="SY23 1AA",
            valid_from=dt.date(2023, 1, 1),
        )
    assert exc.value.field == "valid_from"
    with pytest.raises(ValidationFailed) as exc:
        services.address_add(
            actor=officer,
            person=person,
            line1="3 Old Road",
            town="Tenby",
            postcode="SA70 7AA",
            valid_from=dt.date(2022, 1, 1),
            valid_to=dt.date(2024, 2, 1),
        )
    assert exc.value.field == "valid_to"
    with pytest.raises(ValidationFailed) as exc:
        services.address_add(
            actor=officer,
            person=person,
            line1="",
            town="",
            postcode="nope",
            valid_from=dt.date(2026, 7, 1),
        )
    assert {f for f, _m in exc.value.errors} == {"line1", "town", "postcode", "valid_from"}
    current.refresh_from_db()
    assert current.valid_to is None
    assert Address.objects.count() == 1
    past = services.address_add(
        actor=officer,
        person=person,
        line1="3 Old Road",
        town="Tenby",
        postcode="SA70 7AA",
        valid_from=dt.date(2022, 1, 1),
        valid_to=dt.date(2023, 12, 31),
    )
    assert past.valid_to == dt.date(2023, 12, 31)


# --- identifiers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (IdentifierKind.EMAIL, "  Someone@Example.COM ", "someone@example.com"),
        (IdentifierKind.USERNAME, "@Dark_Knight99", "dark_knight99"),
        (IdentifierKind.PHONE, "+44 (0)7700 900123", "07700900123"),
        (IdentifierKind.PHONE, "+44 7700 900123", "07700900123"),
        (IdentifierKind.PHONE, "0044 7700 900123", "07700900123"),
        (IdentifierKind.PHONE, "07700-900-123", "07700900123"),
        (IdentifierKind.IP_ADDRESS, "2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        (IdentifierKind.DEVICE, "35-209900-176148-1", "352099001761481"),
    ],
)
def test_it_normalises_identifiers(kind, value, expected):
    assert normalise.identifier(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (IdentifierKind.EMAIL, "not-an-address"),
        (IdentifierKind.IP_ADDRESS, "999.1.1.1"),
        (IdentifierKind.PHONE, "12"),
    ],
)
def test_it_refuses_identifiers_it_cannot_read(kind, value):
    with pytest.raises(ValidationFailed):
        normalise.identifier(kind, value)


def test_it_adds_an_identifier_once(officer, team):
    person = make_person(team)
    identifier = services.identifier_add(
        actor=officer,
        person=person,
        kind=IdentifierKind.PHONE,
        value="+44 7700 900123",
        platform="WhatsApp",
    )
    assert identifier.normalised == "07700900123" and identifier.value == "+44 7700 900123"
    with pytest.raises(ValidationFailed):
        services.identifier_add(
            actor=officer, person=person, kind=IdentifierKind.PHONE, value="07700900123"
        )
    assert OnlineIdentifier.objects.count() == 1
    event = AuditEvent.objects.get(action="person.identifier_add")
    assert event.person_id == str(person.uuid) and event.changes["normalised"] == [
        None,
        "07700900123",
    ]


# --- children ---------------------------------------------------------------------------


def test_it_links_a_child(officer, team):
    person = make_person(team)
    link = services.child_link_add(
        actor=officer,
        person=person,
        child_name="Child A",
        relationship=ChildRelationship.IN_HOUSEHOLD,
        date_of_birth=dt.date(2018, 2, 3),
    )
    assert link.person == person
    with pytest.raises(ValidationFailed) as exc:
        services.child_link_add(
            actor=officer,
            person=person,
            child_name="",
            relationship="cousin",
            valid_from=dt.date(2020, 1, 2),
            valid_to=dt.date(2020, 1, 1),
        )
    assert {f for f, _m in exc.value.errors} == {"child_name", "relationship", "valid_to"}
    assert ChildLink.objects.count() == 1
    assert AuditEvent.objects.get(action="person.child_link_add").person_id == str(person.uuid)


# --- restrictions -----------------------------------------------------------------------


def test_it_lets_only_a_supervisor_or_manager_restrict(officer, supervisor, team):
    person = make_person(team)
    with pytest.raises(PermissionDenied):
        services.person_restrict(
            actor=officer, person=person, users=[officer], reason="Need to know"
        )
    person.refresh_from_db()
    assert not person.is_restricted

    services.person_restrict(
        actor=supervisor, person=person, users=[officer], reason="Need to know"
    )
    person.refresh_from_db()
    assert person.is_restricted
    assert set(person.restricted_to.all()) == {officer, supervisor}
    event = AuditEvent.objects.get(action="person.restrict")
    assert event.person_id == str(person.uuid) and event.reason == "Need to know"
    assert event.changes["is_restricted"] == [False, True]
    assert sorted(event.changes["restricted_to"][1]) == sorted([officer.email, supervisor.email])


def test_it_refuses_to_name_someone_who_does_not_work_on_the_team(supervisor, team, other_team):
    person = make_person(team)
    outsider = make_user(Role.OFFICER, other_team)
    auditor = make_user(Role.AUDITOR, team)
    for user in (outsider, auditor):
        with pytest.raises(ValidationFailed):
            services.person_restrict(
                actor=supervisor, person=person, users=[user], reason="Need to know"
            )
    person.refresh_from_db()
    assert not person.is_restricted and not person.restricted_to.exists()


def test_it_lifts_a_restriction_only_for_a_named_supervisor(supervisor, team):
    person = make_person(team)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Need to know")
    other_supervisor = make_user(Role.SUPERVISOR, team)
    with pytest.raises(PersonRestricted):
        services.person_unrestrict(actor=other_supervisor, person=person, reason="Done")
    with pytest.raises(ValidationFailed):
        services.person_unrestrict(actor=supervisor, person=person, reason=" ")
    services.person_unrestrict(actor=supervisor, person=person, reason="Operation over")
    person.refresh_from_db()
    assert (
        not person.is_restricted
        and not person.restricted_to.exists()
        and person.restriction_reason == ""
    )
    assert AuditEvent.objects.get(action="person.unrestrict").reason == "Operation over"
    with pytest.raises(Conflict):
        services.person_unrestrict(actor=supervisor, person=person, reason="Again")


def test_it_refuses_changes_to_a_restricted_record_by_someone_not_named(officer, supervisor, team):
    person = make_person(team)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Need to know")
    with pytest.raises(PersonRestricted):
        services.alias_add(actor=officer, person=person, given_name="X", family_name="Y")
    assert not Alias.objects.exists()
