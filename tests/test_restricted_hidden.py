"""A list that leaves out restricted people says that some records are not shown, without
saying how many, and without a search or filter changing whether it says so (otherwise a
search for a name would tell whether a restricted person of that name exists)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.core.testing import make_team, make_user, verified_client
from vigil.investigations.tests.helpers import make_investigation, make_referral
from vigil.offenders.tests.helpers import make_nominal
from vigil.people import services as people
from vigil.people.models import Person

pytestmark = pytest.mark.django_db

NOTICE = "Some records are not shown because they are restricted."
WELSH = "Nid yw rhai cofnodion yn cael eu dangos oherwydd eu bod wedi"


@pytest.fixture
def polit(force):
    return make_team(force, name="POLIT West", kind=TeamKind.POLIT)


@pytest.fixture
def mosovo(force):
    return make_team(force, name="MOSOVO East", kind=TeamKind.MOSOVO)


@pytest.fixture
def sergeant(polit):
    return make_user(Role.SUPERVISOR, polit, rank=Rank.SERGEANT)


def _restrict(person, actor, users=()):
    people.person_restrict(actor=actor, person=person, users=list(users), reason="Need to know")


def _lists():
    return {
        "people": reverse("people:list"),
        "referrals": reverse("referrals:queue"),
        "investigations": reverse("investigations:list"),
        "nominals": reverse("offenders:caseload") + "?all=1",
    }


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_list_says_some_records_are_not_shown_when_it_leaves_one_out(
    force, polit, mosovo, sergeant
):
    manager = make_user(Role.MANAGER, polit, scope=Scope.FORCE, rank=Rank.INSPECTOR)
    om = make_user(Role.OFFICER, mosovo)
    investigation = make_investigation(polit, actor=sergeant)
    referral = make_referral(polit, actor=sergeant)
    nominal = make_nominal(mosovo, manager=om)
    client = verified_client(manager)
    urls = _lists()
    for name, url in urls.items():
        assert NOTICE not in _get(client, url), name  # nothing restricted yet
    _restrict(investigation.suspect, sergeant)
    _restrict(referral.suspect, sergeant)
    _restrict(nominal.person, make_user(Role.SUPERVISOR, mosovo, rank=Rank.SERGEANT))
    for name, url in urls.items():
        html = _get(client, url)
        assert NOTICE in html, name
        assert 'class="govuk-inset-text"' in html
    # Someone named on the restrictions is shown the records, and no notice.
    named = verified_client(sergeant)
    for name in ("people", "referrals", "investigations"):
        assert NOTICE not in _get(named, urls[name]), name
    assert Person.objects.filter(is_restricted=True).count() == 3


def test_the_notice_does_not_change_with_a_search_or_say_how_many(force, polit, sergeant):
    officer = make_user(Role.OFFICER, polit)
    hidden = people.person_create(
        actor=sergeant,
        team=polit,
        given_name="Morwenna",
        family_name="Trevithick",
        confirm_not_duplicate=True,
    )
    people.person_create(
        actor=sergeant,
        team=polit,
        given_name="Idris",
        family_name="Pengelly",
        confirm_not_duplicate=True,
    )
    _restrict(hidden, sergeant)
    client = verified_client(officer)
    url = reverse("people:list")
    plain = _get(client, url)
    # Searching the restricted person's name and someone else's name look the same: the
    # notice is about the whole list, so a search cannot find out who is restricted.
    for term in ("Trevithick", "Pengelly", "Nobody"):
        html = _get(client, url, q=term)
        assert NOTICE in html
        assert "Morwenna" not in html  # (the family name searched is echoed in the form)
    assert NOTICE in plain
    assert "1 record" not in plain and "restricted record" not in plain.lower()


def test_the_notice_is_in_welsh(force, polit, sergeant):
    from django.conf import settings

    officer = make_user(Role.OFFICER, polit)
    hidden = people.person_create(
        actor=sergeant, team=polit, given_name="A", family_name="B", confirm_not_duplicate=True
    )
    _restrict(hidden, sergeant)
    client = verified_client(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    assert WELSH in _get(client, reverse("people:list"))


def test_a_restricted_person_of_another_team_is_not_mentioned(force, polit, sergeant):
    """The notice is about the user's own scope: another team's restricted people, whom
    the user could not see anyway, do not make it appear."""
    other = make_team(force, name="POLIT East", kind=TeamKind.POLIT)
    other_sergeant = make_user(Role.SUPERVISOR, other)
    hidden = people.person_create(
        actor=other_sergeant,
        team=other,
        given_name="C",
        family_name="D",
        confirm_not_duplicate=True,
    )
    _restrict(hidden, other_sergeant)
    assert NOTICE not in _get(
        verified_client(make_user(Role.OFFICER, polit)), reverse("people:list")
    )
