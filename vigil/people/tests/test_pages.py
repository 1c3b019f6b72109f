import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.people import services
from vigil.people.choices import IdentifierKind
from vigil.people.models import Address, Alias, ChildLink, OnlineIdentifier, Person
from vigil.people.tests.helpers import force_manager, make_person

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")


def _detail(person, name="detail"):
    return reverse(f"people:{name}", kwargs={"uuid": person.uuid})


PERSON_PAGES = [
    "detail",
    "edit",
    "alias-add",
    "address-add",
    "identifier-add",
    "child-add",
    "restrict",
    "unrestrict",
]


# --- anonymous, wrong role, out of scope ------------------------------------------------


def test_it_sends_anonymous_users_to_sign_in(team):
    person = make_person(team)
    client = Client()
    for url in [reverse("people:list"), reverse("people:create")] + [
        _detail(person, n) for n in PERSON_PAGES
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(SIGN_IN)


@pytest.mark.parametrize("role", [Role.ASSURANCE, Role.AUDITOR, Role.PROBATION])
def test_it_refuses_roles_without_casework(team, role):
    person = make_person(team)
    client = verified_client(make_user(role, team))
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("people:create")).status_code == 403
    for name in PERSON_PAGES:
        assert client.get(_detail(person, name)).status_code == 404, name
    assert not AuditEvent.objects.filter(action__startswith="person.view").exists()


def test_it_gives_not_found_for_a_person_out_of_scope(officer, other_team):
    person = make_person(other_team)
    client = verified_client(officer)
    for name in PERSON_PAGES:
        assert client.get(_detail(person, name)).status_code == 404, name
    response = client.post(_detail(person, "alias-add"), {"given_name": "X", "family_name": "Y"})
    assert response.status_code == 404
    assert not Alias.objects.exists()


# --- the list ---------------------------------------------------------------------------


def test_it_lists_and_searches_people_in_scope(officer, team, other_team):
    make_person(team, given_name="Gareth", family_name="Price")
    make_person(team, given_name="Rhian", family_name="Evans")
    make_person(other_team, given_name="Hidden", family_name="Person")
    client = verified_client(officer)
    response = client.get(reverse("people:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PRICE" in html and "EVANS" in html and "Hidden" not in html
    response = client.get(reverse("people:list"), {"q": "gareth"})
    html = response.content.decode()
    assert "PRICE" in html and "EVANS" not in html


def _list_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("people:list"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_it_lists_people_with_one_query_for_the_page(officer, team):
    make_person(team)
    client = verified_client(officer)
    client.get(reverse("people:list"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("people:list"))
    person_queries = [q["sql"] for q in ctx.captured_queries if "people_person" in q["sql"]]
    # the count, the page, and whether the scope hides a restricted person (the inset)
    assert len(person_queries) == 3


def test_it_lists_people_in_a_fixed_number_of_queries(officer, supervisor, team):
    for _ in range(3):
        make_person(team, actor=supervisor)
    restricted = make_person(team, actor=supervisor)
    services.person_restrict(
        actor=supervisor, person=restricted, users=[officer], reason="Need to know"
    )
    client = verified_client(officer)
    client.get(reverse("people:list"))  # the first request of a session does one-off work
    few = _list_queries(client, sort="-team")
    for _ in range(27):
        make_person(team, actor=supervisor)
    assert Person.objects.count() == 31
    assert _list_queries(client, sort="-team") == few
    assert _list_queries(client, q="person", sort="dob") == few


def test_it_paginates_the_list(officer, supervisor, team):
    for i in range(52):
        make_person(team, actor=supervisor, family_name=f"Family{i:02d}")
    client = verified_client(officer)
    html = client.get(reverse("people:list")).content.decode()
    assert "FAMILY00" in html and "FAMILY51" not in html and "Page 1 of 2" in html
    html = client.get(reverse("people:list"), {"page": 2}).content.decode()
    assert "FAMILY51" in html and "FAMILY00" not in html


# --- a person's record ------------------------------------------------------------------


def test_it_shows_a_record_and_audits_the_view(officer, team):
    person = make_person(team, given_name="Gareth", family_name="Price")
    services.alias_add(actor=officer, person=person, given_name="Gaz", family_name="Pryce")
    services.identifier_add(
        actor=officer, person=person, kind=IdentifierKind.USERNAME, value="@gazp"
    )
    response = verified_client(officer).get(_detail(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PRICE" in html and "PRYCE" in html and "@gazp" in html
    assert (
        AuditEvent.objects.filter(
            action="person.view", actor_id=officer.pk, person_id=str(person.uuid)
        ).count()
        == 1
    )


def test_it_shows_who_has_viewed_the_record_to_a_supervisor_not_an_officer(
    officer, supervisor, team
):
    person = make_person(team)
    officer_html = verified_client(officer).get(_detail(person)).content.decode()
    assert "Who has viewed this record" not in officer_html
    supervisor_html = verified_client(supervisor).get(_detail(person)).content.decode()
    assert "Who has viewed this record" in supervisor_html
    assert officer.email in supervisor_html


def test_it_shows_the_restricted_page_without_personal_details(officer, supervisor, team):
    person = make_person(
        team, given_name="Secretname", family_name="Hiddenfamily", pnc_id="12/999A"
    )
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Covert")
    response = verified_client(officer).get(_detail(person))
    assert response.status_code == 403
    html = response.content.decode()
    assert f"ask {team.name} if you need access" in html
    for secret in ("Secretname", "Hiddenfamily", "12/999A", "Covert"):
        assert secret not in html
    assert AuditEvent.objects.filter(action="person.view_denied", actor_id=officer.pk).count() == 1
    named = verified_client(supervisor).get(_detail(person))
    assert named.status_code == 200 and "Restricted record" in named.content.decode()


# --- creating a record, with the duplicate check ----------------------------------------


def _form(team, **overrides):
    data = {
        "team": team.pk,
        "given_name": "Gareth",
        "family_name": "Price",
        "date_of_birth": "1980-05-17",
        "gender": "male",
        "pnc_id": "",
        "register_reference": "",
        "language": "en",
        "identifier_kind": "",
        "identifier_value": "",
    }
    data.update(overrides)
    return data


def test_it_creates_a_record_when_there_is_no_match(officer, team):
    client = verified_client(officer)
    assert client.get(reverse("people:create")).status_code == 200
    response = client.post(
        reverse("people:create"),
        _form(team, identifier_kind="email", identifier_value="G@Example.com"),
    )
    person = Person.objects.get()
    assert response.status_code == 302 and response.url == _detail(person)
    assert person.identifiers.get().normalised == "g@example.com"
    assert AuditEvent.objects.filter(action="person.create", person_id=str(person.uuid)).exists()


def test_it_shows_errors_in_a_summary(officer, team):
    response = verified_client(officer).post(
        reverse("people:create"), _form(team, given_name="", date_of_birth="2999-01-01")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_given_name"' in html and "Enter the person&#x27;s given name" in html
    assert not Person.objects.exists()


def test_it_shows_possible_duplicates_and_creates_only_when_told_it_is_a_different_person(
    officer, team
):
    existing = make_person(
        team, given_name="Gareth", family_name="Price", date_of_birth=dt.date(1980, 5, 17)
    )
    client = verified_client(officer)
    response = client.post(reverse("people:create"), _form(team, given_name=" gareth "))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vigil may already hold a record for this person" in html
    assert _detail(existing) in html
    assert "This is a different person – create the record" in html
    assert Person.objects.count() == 1

    response = client.post(reverse("people:create"), _form(team, stage="duplicates"))
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert Person.objects.count() == 1

    response = client.post(
        reverse("people:create"), _form(team, stage="duplicates", decision=str(existing.uuid))
    )
    assert response.status_code == 302 and response.url == _detail(existing)
    assert Person.objects.count() == 1

    response = client.post(
        reverse("people:create"), _form(team, stage="duplicates", decision="different")
    )
    created = Person.objects.exclude(pk=existing.pk).get()
    assert response.status_code == 302 and response.url == _detail(created)
    event = AuditEvent.objects.get(action="person.create", person_id=str(created.uuid))
    assert event.changes["confirmed_not_duplicate_of"] == [str(existing.uuid)]


def test_it_counts_hidden_duplicates_without_showing_them(officer, team, other_team):
    make_person(other_team, given_name="Gareth", family_name="Price", pnc_id="12/1A")
    response = verified_client(officer).post(
        reverse("people:create"), _form(team, given_name="Other", pnc_id="12/1A")
    )
    html = response.content.decode()
    assert "1 other possible match in a record you do not have access to" in html
    assert other_team.name not in html


# --- editing and adding -----------------------------------------------------------------


def test_it_edits_details(officer, team):
    person = make_person(team, given_name="Gareth", family_name="Price")
    client = verified_client(officer)
    assert client.get(_detail(person, "edit")).status_code == 200
    data = {
        "given_name": "Gareth",
        "family_name": "Pryce",
        "date_of_birth": "1980-05-17",
        "gender": "male",
        "pnc_id": "",
        "register_reference": "",
        "language": "cy",
    }
    response = client.post(_detail(person, "edit"), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Pryce" and person.language == "cy"
    assert AuditEvent.objects.get(action="person.update").changes["family_name"] == [
        "Price",
        "Pryce",
    ]


@pytest.mark.parametrize(
    ("name", "data", "model"),
    [
        ("alias-add", {"given_name": "Gaz", "family_name": "Pryce"}, Alias),
        (
            "address-add",
            {
                "line1": "1 High Street",
                "line2": "",
                "town": "Carmarthen",
                "postcode": "SA31 3AA",
                "valid_from": "2024-01-01",
                "valid_to": "",
            },
            Address,
        ),
        (
            "identifier-add",
            {"kind": "phone", "value": "+44 7700 900123", "platform": ""},
            OnlineIdentifier,
        ),
        (
            "child-add",
            {
                "child_name": "Child A",
                "date_of_birth": "2018-01-01",
                "relationship": "has_access",
                "valid_from": "",
                "valid_to": "",
            },
            ChildLink,
        ),
    ],
)
def test_it_adds_to_a_record(officer, team, name, data, model):
    person = make_person(team)
    client = verified_client(officer)
    assert client.get(_detail(person, name)).status_code == 200
    response = client.post(_detail(person, name), data)
    assert response.status_code == 302 and response.url == _detail(person)
    assert model.objects.filter(person=person).count() == 1
    action = {
        "alias-add": "person.alias_add",
        "address-add": "person.address_add",
        "identifier-add": "person.identifier_add",
        "child-add": "person.child_link_add",
    }[name]
    assert AuditEvent.objects.filter(action=action, person_id=str(person.uuid)).exists()


def test_it_shows_a_services_error_against_the_field(officer, team):
    person = make_person(team)
    response = verified_client(officer).post(
        _detail(person, "identifier-add"), {"kind": "ip", "value": "300.1.1.1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_value"' in html and "Enter an IP address in the correct format" in html
    assert not OnlineIdentifier.objects.exists()


# --- restrictions -----------------------------------------------------------------------


def test_it_lets_only_supervisors_restrict_and_unrestrict(officer, supervisor, team):
    person = make_person(team)
    officer_client = verified_client(officer)
    assert officer_client.get(_detail(person, "restrict")).status_code == 403
    assert (
        officer_client.post(
            _detail(person, "restrict"), {"users": [officer.pk], "reason": "x"}
        ).status_code
        == 403
    )
    person.refresh_from_db()
    assert not person.is_restricted

    client = verified_client(supervisor)
    assert client.get(_detail(person, "restrict")).status_code == 200
    response = client.post(
        _detail(person, "restrict"), {"users": [officer.pk], "reason": "Covert operation"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_restricted and set(person.restricted_to.all()) == {officer, supervisor}

    assert officer_client.post(_detail(person, "unrestrict"), {"reason": "x"}).status_code == 403
    response = client.post(_detail(person, "unrestrict"), {"reason": ""})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    response = client.post(_detail(person, "unrestrict"), {"reason": "Operation over"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_restricted
    assert (
        AuditEvent.objects.filter(action__in=["person.restrict", "person.unrestrict"]).count() == 2
    )


def test_it_lets_a_force_scope_manager_restrict_another_teams_record(other_team, team):
    manager = force_manager(team)
    person = make_person(other_team)
    response = verified_client(manager).post(
        _detail(person, "restrict"), {"reason": "Need to know"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert list(person.restricted_to.all()) == [manager]
