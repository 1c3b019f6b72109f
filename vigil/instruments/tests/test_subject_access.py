"""Assessments with no person, or a person out of the user's scope, are seen through the
record they belong to (the referral, the investigation): the assessor and the record's
supervisors open and sign them off; nobody else does, and a restricted person stays hidden."""

import pytest
from django.http import Http404
from django.urls import reverse

from vigil.accounts.choices import Rank, Role, TeamKind
from vigil.accounts.models import Membership
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.instruments import selectors, services
from vigil.instruments.models import Assessment
from vigil.investigations.choices import ReassessmentTrigger
from vigil.investigations.models import Reassessment
from vigil.investigations.tests import helpers as investigations
from vigil.people import services as people
from vigil.referrals import services as referrals
from vigil.referrals.tests.helpers import LOW_ANSWERS, make_person, polit_people, receive

pytestmark = pytest.mark.django_db

API = "/api/v1/instruments/assessments"
NOTICE = "A Vigil template that a force replaces with its licensed KIRAT definition"


@pytest.fixture
def polit(force):
    team, officer, supervisor, second = polit_people(force)
    return type(
        "Polit", (), {"team": team, "officer": officer, "supervisor": supervisor, "second": second}
    )


def _assessed(polit, **kwargs) -> Assessment:
    referral = receive(polit.officer, polit.team, **kwargs)
    referral = referrals.referral_assess(
        actor=polit.officer, referral=referral, answers=LOW_ANSWERS
    )
    return referral.assessment


@pytest.fixture
def no_suspect(polit):
    return _assessed(polit)


def _page(assessment):
    return reverse("instruments:assessment", args=[assessment.uuid])


def _sign_off_page(assessment):
    return reverse("instruments:assessment-sign-off", args=[assessment.uuid])


def test_the_assessor_opens_an_assessment_with_no_suspect(polit, no_suspect):
    assert no_suspect.person is None and no_suspect.subject_type == "referrals.referral"
    client = verified_client(polit.officer)
    response = client.get(_page(no_suspect))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Awaiting sign-off" in html and "Sign off this assessment" not in html
    assert NOTICE in html
    response = client.get(f"{API}/{no_suspect.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(no_suspect.uuid) and body["person_id"] is None
    views = AuditEvent.objects.filter(action="assessment.view", actor_id=polit.officer.pk)
    assert views.count() == 2 and {e.person_id for e in views} == {""}


def test_the_referral_api_gives_an_assessment_id_that_opens(polit, no_suspect):
    client = verified_client(polit.officer)
    referral = client.get(f"/api/v1/referrals/{no_suspect.subject_id}").json()
    assert referral["assessment"] == str(no_suspect.uuid)
    assert client.get(f"{API}/{referral['assessment']}").status_code == 200


def test_the_referral_page_links_to_the_assessment_with_the_template_notice(polit, no_suspect):
    html = (
        verified_client(polit.officer)
        .get(reverse("referrals:detail", args=[no_suspect.subject_id]))
        .content.decode()
    )
    assert f'href="{_page(no_suspect)}"' in html and NOTICE in html


def test_a_supervisor_signs_off_an_assessment_with_no_suspect_on_the_page(polit, no_suspect):
    client = verified_client(polit.supervisor)
    assert "Sign off this assessment" in client.get(_page(no_suspect)).content.decode()
    response = client.post(_sign_off_page(no_suspect))
    assert response.status_code == 302 and response["Location"] == _page(no_suspect)
    no_suspect.refresh_from_db()
    assert no_suspect.signed_off_by == polit.supervisor and no_suspect.signed_off_at is not None
    event = AuditEvent.objects.get(action="assessment.sign_off")
    assert event.actor_id == polit.supervisor.pk and event.target_id == str(no_suspect.uuid)


def test_a_supervisor_signs_off_an_assessment_with_no_suspect_through_the_api(polit, no_suspect):
    response = verified_client(polit.second).post(f"{API}/{no_suspect.uuid}/sign-off")
    assert response.status_code == 200 and response.json()["signed_off_by"] == "Huw Jenkins"
    no_suspect.refresh_from_db()
    assert no_suspect.signed_off_by == polit.second


def test_a_suspect_out_of_the_assessors_scope_leaves_the_assessment_on_the_referral(
    polit, other_team
):
    suspect = make_person(other_team, family_name="Managed")
    assessment = _assessed(polit, suspect=suspect)
    assert assessment.person is None
    assert verified_client(polit.officer).get(_page(assessment)).status_code == 200
    response = verified_client(polit.supervisor).post(f"{API}/{assessment.uuid}/sign-off")
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.signed_off_by == polit.supervisor
    # The suspect's own team does not see the POLIT referral, so not its assessment either.
    mosovo = verified_client(make_user(Role.SUPERVISOR, other_team))
    assert mosovo.get(_page(assessment)).status_code == 404


def test_anonymous_callers_are_sent_to_sign_in(client, no_suspect):
    response = client.get(_page(no_suspect))
    assert response.status_code == 302 and "/account/" in response["Location"]
    assert client.post(_sign_off_page(no_suspect)).status_code == 302
    response = client.get(f"{API}/{no_suspect.uuid}")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    assert client.post(f"{API}/{no_suspect.uuid}/sign-off").status_code == 401
    assert not AuditEvent.objects.filter(action="assessment.view").exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSURANCE, Role.ADMIN])
def test_roles_without_casework_are_refused(polit, no_suspect, role):
    client = verified_client(make_user(role, polit.team))
    assert client.get(_page(no_suspect)).status_code == 403
    assert client.post(_sign_off_page(no_suspect)).status_code == 403
    response = client.get(f"{API}/{no_suspect.uuid}")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    no_suspect.refresh_from_db()
    assert no_suspect.signed_off_at is None


@pytest.mark.parametrize("where", ["other POLIT team", "other force"])
def test_users_out_of_scope_get_404(polit, no_suspect, where):
    force = polit.team.force if where == "other POLIT team" else make_force("gwent", "Gwent")
    team = make_team(force, name="POLIT East", kind=TeamKind.POLIT)
    supervisor = make_user(Role.SUPERVISOR, team)
    client = verified_client(supervisor)
    assert client.get(_page(no_suspect)).status_code == 404
    assert client.post(_sign_off_page(no_suspect)).status_code == 404
    response = client.get(f"{API}/{no_suspect.uuid}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.post(f"{API}/{no_suspect.uuid}/sign-off").status_code == 404
    no_suspect.refresh_from_db()
    assert no_suspect.signed_off_at is None
    with pytest.raises(Http404):
        selectors.get_assessment_for_user(supervisor, no_suspect.uuid)


def test_a_supervisor_elsewhere_who_is_an_officer_here_cannot_sign_off(polit, no_suspect):
    user = make_user(Role.OFFICER, polit.team)
    Membership.objects.create(
        user=user,
        team=make_team(polit.team.force, name="POLIT East", kind=TeamKind.POLIT),
        role=Role.SUPERVISOR,
    )
    client = verified_client(user)
    html = client.get(_page(no_suspect)).content.decode()
    assert "Sign off this assessment" not in html
    assert client.post(_sign_off_page(no_suspect)).status_code == 404
    assert client.post(f"{API}/{no_suspect.uuid}/sign-off").status_code == 404
    no_suspect.refresh_from_db()
    assert no_suspect.signed_off_at is None


def test_a_restricted_person_is_not_revealed_through_the_record(polit):
    """The record is visible, but the assessment's person is restricted to others."""
    person = make_person(polit.team, polit.supervisor, family_name="Hidden")
    people.person_restrict(
        actor=polit.supervisor, person=person, users=[polit.second], reason="Need to know."
    )
    referral = receive(polit.officer, polit.team)
    assessment = services.assessment_record(
        actor=polit.supervisor,
        code="referral-risk",
        subject=referral,
        person=person,
        answers=LOW_ANSWERS,
    )
    assert verified_client(polit.officer).get(_page(assessment)).status_code == 404
    assert verified_client(polit.officer).get(f"{API}/{assessment.uuid}").status_code == 404
    assert verified_client(polit.second).get(_page(assessment)).status_code == 200


def test_an_officer_of_the_allocated_unit_sees_and_polit_signs_off_a_reassessment(force, team):
    unit = make_team(force, name="CID Aberystwyth", kind=TeamKind.OTHER)
    unit_officer = make_user(Role.OFFICER, unit)
    unit_supervisor = make_user(Role.SUPERVISOR, unit, rank=Rank.SERGEANT)
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
    investigation = investigations.make_investigation(team, allocated_team=unit, actor=sergeant)
    reassessment = investigations.reassess(investigation, unit_officer)
    assessment = reassessment.assessment
    assert assessment.person is None
    assert verified_client(unit_officer).get(_page(assessment)).status_code == 200
    # The owning POLIT team supervises the investigation; the unit's sergeant does not.
    assert verified_client(unit_supervisor).post(_sign_off_page(assessment)).status_code == 404
    response = verified_client(sergeant).post(f"{API}/{assessment.uuid}/sign-off")
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.signed_off_by == sergeant
    assert verified_client(make_user(Role.OFFICER, team)).get(_page(assessment)).status_code == 200


def test_the_referrals_assessment_an_investigation_started_from_is_seen_through_it(force, team):
    """The investigation lists it (as its initial assessment) to the unit it is allocated
    to, which does not see the POLIT referral itself."""
    unit = make_team(force, name="CID Aberystwyth", kind=TeamKind.OTHER)
    unit_officer = make_user(Role.OFFICER, unit)
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
    investigation = investigations.make_investigation(team, allocated_team=unit, actor=sergeant)
    assessment = services.assessment_record(
        actor=sergeant,
        code="referral-risk",
        subject=investigation.referral,
        person=None,
        answers=LOW_ANSWERS,
    )
    client = verified_client(unit_officer)
    assert client.get(_page(assessment)).status_code == 404
    Reassessment.objects.create(
        investigation=investigation,
        assessment=assessment,
        trigger=ReassessmentTrigger.INITIAL,
        band=assessment.final_band,
        assessed_at=assessment.completed_at,
        assessed_by=sergeant,
    )
    assert client.get(_page(assessment)).status_code == 200
    assert client.get(f"{API}/{assessment.uuid}").json()["id"] == str(assessment.uuid)
    other_unit = make_team(force, name="CID Bangor", kind=TeamKind.OTHER)
    assert (
        verified_client(make_user(Role.OFFICER, other_unit)).get(_page(assessment)).status_code
        == 404
    )
