"""Ending an address or a child's link, correcting an address, removing an alias or an
online identifier: the services (behaviour, database state, audit event, the
circumstances hook) and the rules they keep."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.exceptions import Conflict, NotFound, ValidationFailed
from vigil.core.testing import make_user
from vigil.people import selectors, services
from vigil.people.choices import ChildRelationship, IdentifierKind
from vigil.people.exceptions import PersonRestricted
from vigil.people.models import Address, Alias, ChildLink, OnlineIdentifier
from vigil.people.tests.helpers import make_person

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)
DOB = dt.date(1980, 5, 17)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def told(monkeypatch):
    """What the circumstances hook was told: (person, what) for each call."""
    calls = []
    monkeypatch.setattr(
        services,
        "_CIRCUMSTANCE_LISTENERS",
        [lambda actor, person, what: calls.append((person, what))],
    )
    return calls


def _address(actor, person, **kwargs):
    values = {
        "line1": "1 High Street",
        "town": "Carmarthen",
        "postcode": "SA31 3AA",
        "valid_from": dt.date(2020, 1, 1),
    }
    values.update(kwargs)
    return services.address_add(actor=actor, person=person, **values)


def _child(actor, person, **kwargs):
    values = {
        "child_name": "Child A",
        "relationship": ChildRelationship.IN_HOUSEHOLD,
        "valid_from": dt.date(2021, 6, 1),
    }
    values.update(kwargs)
    return services.child_link_add(actor=actor, person=person, **values)


def _events(action):
    return list(AuditEvent.objects.filter(action=action))


def _row(model, item) -> dict:
    """Every stored field of the row except updated_at, to show nothing changed."""
    return {
        k: v
        for k, v in model.objects.filter(pk=item.pk).values().get().items()
        if k != "updated_at"
    }


# --- access (the same for every change) -------------------------------------------------


def _changes(officer, person):
    address = _address(officer, person)
    link = _child(officer, person)
    alias = services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    ident = services.identifier_add(
        actor=officer, person=person, kind=IdentifierKind.EMAIL, value="g@example.com"
    )
    return [
        (
            Address,
            address,
            lambda a: services.address_end(actor=a, address=address, valid_to=TODAY),
        ),
        (
            Address,
            address,
            lambda a: services.address_correct(
                actor=a, address=address, postcode="SA31 3AB", reason="Typo"
            ),
        ),
        (
            ChildLink,
            link,
            lambda a: services.child_link_end(actor=a, link=link, valid_to=TODAY, reason="Left"),
        ),
        (Alias, alias, lambda a: services.alias_remove(actor=a, alias=alias, reason="Error")),
        (
            OnlineIdentifier,
            ident,
            lambda a: services.identifier_remove(actor=a, identifier=ident, reason="Error"),
        ),
    ]


@pytest.mark.parametrize("who", ["other_team_officer", "assurance", "auditor", "probation"])
def test_it_refuses_anyone_who_cannot_work_on_the_record_and_changes_nothing(
    officer, team, other_team, who
):
    person = make_person(team)
    changes = _changes(officer, person)
    if who == "other_team_officer":
        actor = make_user(Role.OFFICER, other_team)
    else:
        actor = make_user(who, team)
    before = AuditEvent.objects.count()
    for model, item, change in changes:
        snapshot = _row(model, item)
        with pytest.raises(NotFound):
            change(actor)
        assert _row(model, item) == snapshot
    assert AuditEvent.objects.count() == before


def test_it_refuses_a_restricted_record_to_someone_not_named(officer, supervisor, team, told):
    person = make_person(team)
    changes = _changes(officer, person)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Covert")
    told.clear()
    before = AuditEvent.objects.count()
    for model, item, change in changes:
        snapshot = _row(model, item)
        with pytest.raises(PersonRestricted):
            change(officer)
        assert _row(model, item) == snapshot
    assert AuditEvent.objects.count() == before and told == []
    # The supervisor named on the restriction may make every change.
    for _model, _item, change in changes:
        change(supervisor)
    assert len(told) == 2


# --- ending an address ------------------------------------------------------------------


def test_it_ends_the_current_address_and_tells_the_circumstances_hook(officer, team, told):
    person = make_person(team)
    earlier = _address(
        officer, person, valid_from=dt.date(2015, 1, 1), valid_to=dt.date(2019, 1, 1)
    )
    address = _address(officer, person)
    told.clear()
    ended = services.address_end(actor=officer, address=address, valid_to=dt.date(2026, 2, 1))
    address.refresh_from_db()
    assert ended.pk == address.pk and address.valid_to == dt.date(2026, 2, 1)
    assert (address.line1, address.town, address.postcode, address.valid_from) == (
        "1 High Street",
        "Carmarthen",
        "SA31 3AA",
        dt.date(2020, 1, 1),
    )
    earlier.refresh_from_db()
    assert earlier.valid_to == dt.date(2019, 1, 1)
    assert not person.addresses.filter(valid_to__isnull=True).exists()
    [event] = _events("person.address_end")
    assert event.actor_id == officer.pk and event.person_id == str(person.uuid)
    assert event.target_id == str(address.uuid)
    assert event.changes == {
        "address": "1 High Street, Carmarthen SA31 3AA",
        "valid_to": [None, "2026-02-01"],
    }
    assert told == [(person, "address")]
    # A new current address can still be added later.
    _address(officer, person, line1="2 Quay Street", valid_from=dt.date(2026, 2, 20))
    assert person.addresses.get(valid_to__isnull=True).line1 == "2 Quay Street"


def test_it_ends_an_address_on_the_day_the_person_moved_in_or_today(officer, team):
    person = make_person(team)
    address = _address(officer, person, valid_from=TODAY)
    services.address_end(actor=officer, address=address, valid_to=TODAY)
    address.refresh_from_db()
    assert address.valid_to == TODAY


@pytest.mark.parametrize(
    ("valid_to", "message"),
    [
        (None, "Enter the date the person moved out"),
        (dt.date(2026, 3, 2), "must be today or in the past"),
        (dt.date(2019, 12, 31), "the same as or after the date they moved in (01/01/2020)"),
    ],
)
def test_it_refuses_a_wrong_move_out_date_and_changes_nothing(
    officer, team, told, valid_to, message
):
    person = make_person(team)
    address = _address(officer, person)
    told.clear()
    snapshot = _row(Address, address)
    with pytest.raises(ValidationFailed) as exc:
        services.address_end(actor=officer, address=address, valid_to=valid_to)
    assert exc.value.field == "valid_to" and message in str(exc.value.message)
    assert _row(Address, address) == snapshot
    assert not _events("person.address_end") and told == []


def test_it_refuses_to_end_an_address_that_has_ended(officer, team, told):
    person = make_person(team)
    address = _address(officer, person, valid_to=dt.date(2021, 1, 1))
    told.clear()
    with pytest.raises(Conflict):
        services.address_end(actor=officer, address=address, valid_to=TODAY)
    address.refresh_from_db()
    assert address.valid_to == dt.date(2021, 1, 1)
    assert not _events("person.address_end") and told == []


# --- correcting an address --------------------------------------------------------------


def test_it_corrects_an_address_with_before_and_after_and_the_reason(officer, team, told):
    person = make_person(team)
    address = _address(officer, person)
    told.clear()
    services.address_correct(
        actor=officer,
        address=address,
        line1=" 1  High St ",
        postcode="sa313ab",
        valid_from=dt.date(2020, 2, 1),
        reason="Postcode typed wrongly",
    )
    address.refresh_from_db()
    assert address.line1 == "1 High St" and address.postcode == "SA31 3AB"
    assert address.valid_from == dt.date(2020, 2, 1) and address.valid_to is None
    assert address.town == "Carmarthen"
    [event] = _events("person.address_correct")
    assert event.reason == "Postcode typed wrongly" and event.person_id == str(person.uuid)
    assert event.changes == {
        "line1": ["1 High Street", "1 High St"],
        "postcode": ["SA31 3AA", "SA31 3AB"],
        "valid_from": ["2020-01-01", "2020-02-01"],
    }
    # A correction is not a change of circumstances.
    assert told == []


def test_it_corrects_the_dates_of_a_past_address(officer, team):
    person = make_person(team)
    past = _address(officer, person, valid_from=dt.date(2015, 1, 1), valid_to=dt.date(2018, 1, 1))
    _address(officer, person)
    services.address_correct(
        actor=officer, address=past, valid_to=dt.date(2019, 12, 31), reason="Wrong year"
    )
    past.refresh_from_db()
    assert past.valid_to == dt.date(2019, 12, 31)
    assert _events("person.address_correct")[0].changes == {
        "valid_to": ["2018-01-01", "2019-12-31"]
    }


def test_it_makes_an_ended_address_current_again_when_there_is_no_other(officer, team):
    person = make_person(team)
    address = _address(officer, person)
    services.address_end(actor=officer, address=address, valid_to=dt.date(2026, 1, 1))
    services.address_correct(
        actor=officer, address=address, valid_to=None, reason="Ended by mistake"
    )
    address.refresh_from_db()
    assert address.valid_to is None


def _correction_refused(officer, address, field, message, **kwargs):
    snapshot = _row(Address, address)
    kwargs.setdefault("reason", "Correction")
    with pytest.raises(ValidationFailed) as exc:
        services.address_correct(actor=officer, address=address, **kwargs)
    assert (field, message) in [(f, m) for f, m in exc.value.errors] or (
        exc.value.field == field and message in str(exc.value.message)
    ), exc.value.errors
    assert _row(Address, address) == snapshot
    assert not _events("person.address_correct")
    return exc.value


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Enter the reason for the correction"),
        ({"line1": ""}, "line1", "Enter address line 1, typically the building and street"),
        ({"town": " "}, "town", "Enter the town or city"),
        ({"postcode": "nonsense"}, "postcode", "Enter a real postcode, like SA31 3AA"),
        (
            {"valid_from": dt.date(2026, 3, 2)},
            "valid_from",
            "The date the person started living at the address must be today or in the past",
        ),
        (
            {"valid_to": dt.date(2025, 1, 1)},
            "valid_to",
            "To record that the person has moved out of their current address, end the address "
            "instead of correcting it",
        ),
        ({"reason": "x" * 2001}, "reason", "Reason must be 2000 characters or fewer"),
    ],
)
def test_it_refuses_a_wrong_correction_and_changes_nothing(officer, team, kwargs, field, message):
    person = make_person(team)
    address = _address(officer, person)
    _correction_refused(officer, address, field, message, **kwargs)


def test_it_refuses_a_correction_that_changes_nothing(officer, team):
    person = make_person(team)
    address = _address(officer, person)
    with pytest.raises(ValidationFailed) as exc:
        services.address_correct(
            actor=officer, address=address, postcode="sa31 3aa", line1="1 High Street", reason="x"
        )
    assert "Nothing has changed" in str(exc.value.message)
    assert not _events("person.address_correct")


def test_it_keeps_the_order_of_addresses_when_dates_are_corrected(officer, team):
    person = make_person(team)
    past = _address(officer, person, valid_from=dt.date(2015, 1, 1), valid_to=dt.date(2018, 1, 1))
    current = _address(officer, person)
    # A past address must end before the current one started.
    _correction_refused(
        officer,
        past,
        "valid_to",
        "A past address must end before the current address started (01/01/2020)",
        valid_to=dt.date(2020, 1, 1),
    )
    # It cannot end in the future, nor before it started.
    _correction_refused(
        officer,
        past,
        "valid_to",
        "The date the person left must be today or in the past",
        valid_to=dt.date(2026, 3, 2),
    )
    _correction_refused(
        officer,
        past,
        "valid_to",
        "The date the person left must be the same as or after the date they started",
        valid_to=dt.date(2014, 12, 31),
    )
    # It cannot become current while another address is.
    _correction_refused(
        officer,
        past,
        "valid_to",
        "The person has another current address: give the date they left this one",
        valid_to=None,
    )
    # The current address must start after every other ended.
    _correction_refused(
        officer,
        current,
        "valid_from",
        "A current address must start after the person left their previous address (01/01/2018)",
        valid_from=dt.date(2017, 6, 1),
    )


# --- ending a child's link --------------------------------------------------------------


def test_it_ends_a_childs_link_and_keeps_it(officer, team, told):
    person = make_person(team)
    link = _child(officer, person)
    other = _child(officer, person, child_name="Child B")
    told.clear()
    services.child_link_end(
        actor=officer, link=link, valid_to=dt.date(2026, 2, 1), reason="Moved to her father's"
    )
    link.refresh_from_db()
    assert link.valid_to == dt.date(2026, 2, 1) and link.child_name == "Child A"
    assert ChildLink.objects.filter(person=person).count() == 2
    other.refresh_from_db()
    assert other.valid_to is None
    [event] = _events("person.child_link_end")
    assert event.reason == "Moved to her father's" and event.target_id == str(link.uuid)
    assert event.changes == {"child_name": "Child A", "valid_to": [None, "2026-02-01"]}
    assert told == [(person, "child")]


@pytest.mark.parametrize(
    ("valid_to", "reason", "field", "message"),
    [
        (None, "Left", "valid_to", "Enter the date the link ended"),
        (dt.date(2026, 3, 2), "Left", "valid_to", "must be today or in the past"),
        (dt.date(2021, 5, 31), "Left", "valid_to", "after the date it started (01/06/2021)"),
        (dt.date(2026, 1, 1), " ", "reason", "Enter the reason the link ended"),
    ],
)
def test_it_refuses_a_wrong_end_of_a_link_and_changes_nothing(
    officer, team, told, valid_to, reason, field, message
):
    person = make_person(team)
    link = _child(officer, person)
    told.clear()
    snapshot = _row(ChildLink, link)
    with pytest.raises(ValidationFailed) as exc:
        services.child_link_end(actor=officer, link=link, valid_to=valid_to, reason=reason)
    assert exc.value.field == field and message in str(exc.value.message)
    assert _row(ChildLink, link) == snapshot
    assert not _events("person.child_link_end") and told == []


def test_it_refuses_to_end_a_link_that_has_ended(officer, team, told):
    person = make_person(team)
    link = _child(officer, person, valid_to=dt.date(2022, 1, 1))
    told.clear()
    with pytest.raises(Conflict):
        services.child_link_end(actor=officer, link=link, valid_to=TODAY, reason="Left")
    link.refresh_from_db()
    assert link.valid_to == dt.date(2022, 1, 1)
    assert not _events("person.child_link_end") and told == []


# --- removing an alias or an identifier -------------------------------------------------


def test_it_marks_an_alias_removed_and_keeps_it(officer, team):
    person = make_person(team)
    alias = services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    services.alias_remove(actor=officer, alias=alias, reason=" Recorded in error ")
    alias.refresh_from_db()
    assert alias.is_removed and alias.removed_at == clock.now()
    assert alias.removed_by == officer and alias.removal_reason == "Recorded in error"
    assert Alias.objects.filter(person=person).count() == 1
    assert list(person.aliases.current()) == [] and list(person.aliases.removed()) == [alias]
    [event] = _events("person.alias_remove")
    assert event.reason == "Recorded in error" and event.target_id == str(alias.uuid)
    assert event.changes == {
        "alias": "Gaz Pryce",
        "removed_at": [None, "2026-03-01T12:00:00+00:00"],
        "removed_by": [None, officer.email],
        "removal_reason": ["", "Recorded in error"],
    }


def test_it_refuses_to_remove_an_alias_twice_or_without_a_reason(officer, team):
    person = make_person(team)
    alias = services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    with pytest.raises(ValidationFailed) as exc:
        services.alias_remove(actor=officer, alias=alias, reason=" ")
    assert exc.value.field == "reason"
    alias.refresh_from_db()
    assert not alias.is_removed and not _events("person.alias_remove")
    services.alias_remove(actor=officer, alias=alias, reason="Error")
    with pytest.raises(Conflict):
        services.alias_remove(actor=officer, alias=alias, reason="Again")
    assert len(_events("person.alias_remove")) == 1
    alias.refresh_from_db()
    assert alias.removal_reason == "Error"


def test_a_removed_alias_is_not_a_duplicate_match_nor_found_by_search(officer, team):
    person = make_person(team, given_name="Gareth", family_name="Price", date_of_birth=DOB)
    alias = services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")

    def matches():
        check = selectors.find_possible_duplicates(
            user=officer, given_name="Gaz", family_name="Pryce", date_of_birth=DOB
        )
        return [m.person for m in check.matches], check.hidden_count

    assert matches() == ([person], 0)
    assert list(selectors.person_list(user=officer, search="pryce")) == [person]
    services.alias_remove(actor=officer, alias=alias, reason="Not his alias")
    assert matches() == ([], 0)
    assert list(selectors.person_list(user=officer, search="pryce")) == []
    # ...and the name may be recorded again as an alias.
    again = services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    assert list(person.aliases.current()) == [again]


def test_it_marks_an_identifier_removed_and_keeps_it(officer, team):
    person = make_person(team)
    ident = services.identifier_add(
        actor=officer, person=person, kind=IdentifierKind.EMAIL, value="G.Price@Example.com"
    )
    services.identifier_remove(actor=officer, identifier=ident, reason="Belongs to his brother")
    ident.refresh_from_db()
    assert ident.is_removed and ident.removed_by == officer
    assert ident.removal_reason == "Belongs to his brother"
    assert OnlineIdentifier.objects.filter(person=person).count() == 1
    [event] = _events("person.identifier_remove")
    assert event.changes["kind"] == "email" and event.changes["normalised"] == "g.price@example.com"
    assert event.changes["removal_reason"] == ["", "Belongs to his brother"]
    with pytest.raises(Conflict):
        services.identifier_remove(actor=officer, identifier=ident, reason="Again")
    assert len(_events("person.identifier_remove")) == 1


def test_a_removed_identifier_is_not_a_duplicate_match_and_may_be_linked_again(officer, team):
    person = make_person(team)
    ident = services.identifier_add(
        actor=officer, person=person, kind=IdentifierKind.USERNAME, value="@gazp"
    )

    def matches():
        check = selectors.find_possible_duplicates(
            user=officer, identifiers=[(IdentifierKind.USERNAME, "gazp")]
        )
        return [m.person for m in check.matches], check.hidden_count

    assert matches() == ([person], 0)
    services.identifier_remove(actor=officer, identifier=ident, reason="Recorded in error")
    assert matches() == ([], 0)
    created = services.person_create(
        actor=officer,
        team=team,
        given_name="Other",
        family_name="Person",
        identifiers=[(IdentifierKind.USERNAME, "@gazp")],
    )
    assert created.identifiers.get().normalised == "gazp"
    again = services.identifier_add(
        actor=officer, person=person, kind=IdentifierKind.USERNAME, value="@GAZP"
    )
    assert list(person.identifiers.current()) == [again]
    assert person.identifiers.count() == 2


def test_the_database_refuses_a_removal_without_who_and_why(officer, team):
    person = make_person(team)
    alias = services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alias.objects.filter(pk=alias.pk).update(removed_at=clock.now())
    ident = services.identifier_add(
        actor=officer, person=person, kind=IdentifierKind.EMAIL, value="g@example.com"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        OnlineIdentifier.objects.filter(pk=ident.pk).update(removal_reason="x")


# --- validation that already existed (untested until now) -------------------------------


def test_it_refuses_an_address_that_ends_before_it_starts(officer, team):
    person = make_person(team)
    with pytest.raises(ValidationFailed) as exc:
        _address(officer, person, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2019, 12, 31))
    assert exc.value.field == "valid_to"
    assert "the same as or after the date they started" in str(exc.value.message)
    assert not Address.objects.exists() and not _events("person.address_add")


def test_it_refuses_a_child_whose_date_of_birth_is_in_the_future(officer, team, told):
    person = make_person(team)
    with pytest.raises(ValidationFailed) as exc:
        _child(officer, person, date_of_birth=dt.date(2026, 3, 2))
    assert exc.value.field == "date_of_birth"
    assert str(exc.value.message) == "The child's date of birth must be today or in the past"
    assert not ChildLink.objects.exists() and not _events("person.child_link_add")
    assert told == []
    _child(officer, person, date_of_birth=TODAY)
    assert ChildLink.objects.count() == 1
