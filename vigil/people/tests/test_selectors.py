import datetime as dt

import pytest

from vigil.accounts.choices import Role, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import NotFound
from vigil.core.testing import make_force, make_team, make_user
from vigil.people import selectors, services
from vigil.people.exceptions import PersonRestricted
from vigil.people.tests.helpers import force_manager, make_person

pytestmark = pytest.mark.django_db


def test_it_hides_another_teams_people_from_a_team_officer(officer, team, other_team):
    mine = make_person(team)
    theirs = make_person(other_team)
    assert list(selectors.person_list(user=officer)) == [mine]
    with pytest.raises(NotFound):
        selectors.get_person_for_user(officer, theirs.uuid)
    assert not AuditEvent.objects.filter(action__startswith="person.view").exists()


def test_it_shows_every_team_in_the_force_to_a_force_scope_manager(team, other_team):
    manager = force_manager(team)
    mine = make_person(team)
    theirs = make_person(other_team)
    elsewhere = make_person(
        make_team(make_force("gwent", "Gwent Police"), name="POLIT Gwent", kind=TeamKind.POLIT)
    )
    assert set(selectors.person_list(user=manager)) == {mine, theirs}
    assert selectors.get_person_for_user(manager, theirs.uuid) == theirs
    with pytest.raises(NotFound):
        selectors.get_person_for_user(manager, elsewhere.uuid)


@pytest.mark.parametrize(
    "role", [Role.ASSURANCE, Role.AUDITOR, Role.PROBATION, Role.WELLBEING, Role.ADMIN]
)
def test_it_shows_no_person_records_to_roles_without_casework(team, role):
    user = make_user(role, team)
    person = make_person(team)
    assert list(selectors.person_list(user=user)) == []
    with pytest.raises(NotFound):
        selectors.get_person_for_user(user, person.uuid)


def test_it_gives_not_found_for_a_missing_or_malformed_id(officer):
    with pytest.raises(NotFound):
        selectors.get_person_for_user(officer, "not-a-uuid")
    with pytest.raises(NotFound):
        selectors.get_person_for_user(officer, "00000000-0000-0000-0000-000000000000")


def test_it_audits_every_read_of_a_record(officer, team):
    person = make_person(team)
    selectors.get_person_for_user(officer, person.uuid)
    selectors.get_person_for_user(officer, str(person.uuid), action="edit")
    events = list(AuditEvent.objects.filter(action="person.view").order_by("id"))
    assert [(e.actor_id, e.person_id) for e in events] == [(officer.pk, str(person.uuid))] * 2
    assert events[0].changes == {} and events[1].changes == {"purpose": "edit"}


def test_it_lists_a_restricted_person_only_to_the_users_named(officer, supervisor, team):
    named = make_user(Role.OFFICER, team)
    person = make_person(team)
    open_person = make_person(team)
    services.person_restrict(actor=supervisor, person=person, users=[named], reason="Need to know")
    assert list(selectors.person_list(user=officer)) == [open_person]
    assert set(selectors.person_list(user=named)) == {person, open_person}
    assert set(selectors.person_list(user=supervisor)) == {person, open_person}


def test_it_refuses_and_audits_a_view_of_a_restricted_person_by_someone_not_named(
    officer, supervisor, team
):
    person = make_person(team)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Need to know")
    with pytest.raises(PersonRestricted) as exc:
        selectors.get_person_for_user(officer, person.uuid)
    assert (
        exc.value.team_name == team.name
        and exc.value.status == 403
        and exc.value.code == "restricted"
    )
    assert person.given_name not in str(exc.value.message)
    denied = AuditEvent.objects.get(action="person.view_denied")
    assert denied.actor_id == officer.pk and denied.person_id == str(person.uuid)
    assert not AuditEvent.objects.filter(action="person.view", actor_id=officer.pk).exists()
    assert selectors.get_person_for_user(supervisor, person.uuid) == person


def test_it_searches_by_name_alias_pnc_and_register_reference(officer, team):
    gareth = make_person(team, given_name="Gareth", family_name="Price", pnc_id="12/345678A")
    rhian = make_person(team, given_name="Rhian", family_name="Evans", register_reference="VIS0001")
    services.alias_add(actor=officer, person=rhian, given_name="Rhi", family_name="Morgan")

    def found(term):
        return list(selectors.person_list(user=officer, search=term))

    assert found("  GARETH   price") == [gareth]
    assert found("pri") == [gareth]
    assert found("12/345678a") == [gareth]
    assert found("vis 0001") == [rhian]
    assert found("morgan") == [rhian]
    assert found("nobody") == []


def test_it_sorts_the_list(officer, team):
    a = make_person(team, given_name="Ann", family_name="Adams", date_of_birth=dt.date(1990, 1, 1))
    b = make_person(team, given_name="Bob", family_name="Brown", date_of_birth=dt.date(1970, 1, 1))
    assert list(selectors.person_list(user=officer, sort="name")) == [a, b]
    assert list(selectors.person_list(user=officer, sort="-name")) == [b, a]
    assert list(selectors.person_list(user=officer, sort="dob")) == [b, a]
    assert list(selectors.person_list(user=officer, sort="nonsense")) == [a, b]


def test_it_offers_only_casework_users_who_reach_the_team_for_a_restriction(
    officer, supervisor, team, other_team
):
    person = make_person(team, actor=supervisor)
    manager = force_manager(other_team)
    make_user(Role.OFFICER, other_team)
    make_user(Role.AUDITOR, team)
    assert set(selectors.restriction_candidates(person)) == {officer, supervisor, manager}
