"""The instrument and assessment pages, for each kind of user."""

import pytest
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.instruments import services
from vigil.instruments.models import Assessment
from vigil.instruments.tests.helpers import first_answers, last_answers, make_person, referral_risk

pytestmark = pytest.mark.django_db

LIST = reverse("instruments:list")
DETAIL = reverse("instruments:detail", args=["referral-risk", 1])
ARMS = reverse("instruments:detail", args=["arms", 1])
PRACTICE = reverse("instruments:practice", args=["referral-risk", 1])


@pytest.fixture
def assessment(team):
    person = make_person(team)
    return services.assessment_record(
        actor=make_user(Role.OFFICER, team),
        code="referral-risk",
        subject=person,
        person=person,
        answers=last_answers(referral_risk()),
    )


@pytest.mark.parametrize("url", [LIST, DETAIL, PRACTICE])
def test_it_sends_anonymous_users_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/" in response["Location"]


@pytest.mark.parametrize("url", [LIST, DETAIL, PRACTICE])
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSURANCE, Role.WELLBEING, Role.PROBATION])
def test_it_refuses_roles_without_casework(team, url, role):
    assert verified_client(make_user(role, team)).get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ANALYST, Role.SUPERVISOR, Role.ADMIN])
def test_it_lists_the_instruments_with_their_notices(team, role):
    response = verified_client(make_user(role, team)).get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Referral risk (KIRAT-shaped template)" in html
        and "Active risk management (ARMS-style template)" in html
    )
    assert "licensed KIRAT definition" in html and DETAIL in html


def test_it_lists_the_instruments_in_welsh(team):
    client = verified_client(make_user(Role.OFFICER, team))
    client.cookies["vigil_language"] = "cy"
    html = client.get(LIST).content.decode()
    assert "Risg atgyfeirio (templed ar ffurf KIRAT)" in html
    assert "Referral risk (KIRAT-shaped template)" not in html


def test_it_shows_a_scored_definition_in_full(team):
    response = verified_client(make_user(Role.OFFICER, team)).get(DETAIL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "A Vigil template that a force replaces with its licensed KIRAT definition" in html
    assert "Is there evidence of grooming a child in the current referral?" in html
    assert "4 points" in html and "26 to 42" in html and "Current behavioural facilitators" in html
    assert PRACTICE in html


def test_it_shows_a_structured_definition_without_thresholds(team):
    html = verified_client(make_user(Role.ADMIN, team)).get(ARMS).content.decode()
    assert "Emotional congruence with children" in html and "Case formulation" in html
    assert (
        "professional judgement" in html
        and " to " not in html.split("Overall levels")[-1].split("</table>")[0]
    )


def test_it_gives_404_for_an_unknown_instrument(team):
    client = verified_client(make_user(Role.OFFICER, team))
    assert client.get(reverse("instruments:detail", args=["referral-risk", 7])).status_code == 404
    assert client.get(reverse("instruments:detail", args=["nothing", 1])).status_code == 404


def test_it_refuses_practice_to_administrators(team):
    assert verified_client(make_user(Role.ADMIN, team)).get(PRACTICE).status_code == 403


def test_it_works_out_a_practice_result_and_stores_nothing(team):
    client = verified_client(make_user(Role.OFFICER, team))
    page = client.get(PRACTICE).content.decode()
    assert 'name="q_grooming"' in page and "licensed KIRAT definition" in page
    data = {f"q_{q}": o for q, o in first_answers(referral_risk()).items()}
    data["q_grooming"] = "yes"
    response = client.post(PRACTICE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-panel" in html and "Score 4" in html and "Low" in html
    assert not Assessment.objects.exists()


def test_it_shows_practice_errors_in_the_summary(team):
    client = verified_client(make_user(Role.OFFICER, team))
    data = {f"q_{q}": o for q, o in first_answers(referral_risk()).items()}
    data.update(override_band="very_high")
    html = client.post(PRACTICE, data).content.decode()
    assert "There is a problem" in html and 'href="#id_override_rationale"' in html
    assert "Give the reason for overriding the band." in html


def test_it_sends_anonymous_users_from_an_assessment_to_sign_in(client, assessment):
    response = client.get(reverse("instruments:assessment", args=[assessment.uuid]))
    assert response.status_code == 302
    response = client.post(reverse("instruments:assessment-sign-off", args=[assessment.uuid]))
    assert response.status_code == 302


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_it_refuses_an_assessment_to_other_roles(team, assessment, role):
    url = reverse("instruments:assessment", args=[assessment.uuid])
    assert verified_client(make_user(role, team)).get(url).status_code == 403


def test_it_hides_an_assessment_outside_the_users_teams(other_team, assessment):
    client = verified_client(make_user(Role.SUPERVISOR, other_team))
    assert client.get(reverse("instruments:assessment", args=[assessment.uuid])).status_code == 404
    assert (
        client.post(reverse("instruments:assessment-sign-off", args=[assessment.uuid])).status_code
        == 404
    )
    assessment.refresh_from_db()
    assert assessment.signed_off_at is None


def test_it_shows_an_assessment_and_audits_the_view(team, assessment):
    user = make_user(Role.OFFICER, team)
    response = verified_client(user).get(reverse("instruments:assessment", args=[assessment.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Very high" in html
        and "Awaiting sign-off" in html
        and "Sign off this assessment" not in html
    )
    event = AuditEvent.objects.get(action="assessment.view")
    assert event.actor_id == user.pk and event.person_id == str(assessment.person.uuid)


def test_it_lets_a_supervisor_sign_off_from_the_page(team, assessment):
    supervisor = make_user(Role.SUPERVISOR, team)
    client = verified_client(supervisor)
    url = reverse("instruments:assessment", args=[assessment.uuid])
    assert "Sign off this assessment" in client.get(url).content.decode()
    response = client.post(reverse("instruments:assessment-sign-off", args=[assessment.uuid]))
    assert response.status_code == 302 and response["Location"] == url
    assessment.refresh_from_db()
    assert assessment.signed_off_by == supervisor
    assert AuditEvent.objects.filter(action="assessment.sign_off", actor_id=supervisor.pk).exists()


def test_it_refuses_sign_off_to_an_officer_on_the_page(team, assessment):
    client = verified_client(make_user(Role.OFFICER, team))
    response = client.post(reverse("instruments:assessment-sign-off", args=[assessment.uuid]))
    assert response.status_code == 403 and "supervisor or manager" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.signed_off_at is None
