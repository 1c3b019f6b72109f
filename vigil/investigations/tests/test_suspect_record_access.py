"""The unit an investigation is allocated to can open the suspect's record; nobody else
outside the owning team can, and restrictions still apply."""

import pytest
from django.urls import reverse

from vigil.accounts.choices import Role, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_team, make_user, verified_client
from vigil.investigations.tests.helpers import make_investigation
from vigil.people import services as people
from vigil.people.selectors import visible_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(team):
    return make_team(team.force, name="CID Aberystwyth", kind=TeamKind.OTHER)


def test_it_lets_the_allocated_unit_open_the_suspects_record(team, sergeant, unit):
    investigation = make_investigation(team, allocated_team=unit, actor=sergeant)
    detective = make_user(Role.OFFICER, unit)
    url = reverse("people:detail", args=[investigation.suspect.uuid])
    response = verified_client(detective).get(url)
    assert response.status_code == 200
    assert investigation.suspect.given_name in response.content.decode()
    event = AuditEvent.objects.filter(action="person.view").get()
    assert event.person_id == str(investigation.suspect.uuid)
    assert event.actor_email == detective.email
    # Listed once, however many investigations are allocated to the unit.
    make_investigation(team, allocated_team=unit, actor=sergeant)
    assert list(visible_people(detective)).count(investigation.suspect) == 1


def test_it_hides_the_suspect_from_a_unit_the_investigation_is_not_allocated_to(
    team, sergeant, unit
):
    investigation = make_investigation(team, actor=sergeant)
    detective = make_user(Role.OFFICER, unit)
    url = reverse("people:detail", args=[investigation.suspect.uuid])
    assert verified_client(detective).get(url).status_code == 404
    assert investigation.suspect not in visible_people(detective)


def test_a_restriction_still_applies_to_the_allocated_unit(team, sergeant, unit):
    investigation = make_investigation(team, allocated_team=unit, actor=sergeant)
    detective = make_user(Role.OFFICER, unit)
    people.person_restrict(
        actor=sergeant, person=investigation.suspect, users=[sergeant], reason="Sensitive"
    )
    assert investigation.suspect not in visible_people(detective)
    url = reverse("people:detail", args=[investigation.suspect.uuid])
    response = verified_client(detective).get(url)
    assert investigation.suspect.given_name not in response.content.decode()
    assert AuditEvent.objects.filter(action="person.view_denied").exists()


def test_an_analyst_of_the_unit_without_casework_role_sees_nothing(team, sergeant, unit):
    investigation = make_investigation(team, allocated_team=unit, actor=sergeant)
    assessor = make_user(Role.ASSURANCE, unit)
    assert not visible_people(assessor).exists()
    url = reverse("people:detail", args=[investigation.suspect.uuid])
    assert verified_client(assessor).get(url).status_code in (403, 404)
