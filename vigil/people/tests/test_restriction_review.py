"""A restriction is reviewed by a supervisor every people.restriction_review_days."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user, verified_client
from vigil.duties.models import Duty
from vigil.people import services
from vigil.people.duty_kinds import RESTRICTION_REVIEW
from vigil.people.tests.helpers import make_person

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def _open_reviews(person):
    return Duty.objects.filter(
        kind=RESTRICTION_REVIEW, subject_id=person.uuid, completed_at__isnull=True
    )


@time_machine.travel(T0, tick=False)
def test_restricting_opens_a_review_due_after_the_policy_days(team):
    supervisor = make_user(Role.SUPERVISOR, team)
    person = make_person(team, actor=supervisor)
    services.person_restrict(
        actor=supervisor, person=person, users=[], reason="Relative of a colleague"
    )
    duty = _open_reviews(person).get()
    assert duty.assignee == supervisor and duty.team == team and duty.person == person
    assert duty.due_at == T0 + dt.timedelta(days=90)
    # Changing who is named does not open a second review.
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Still a relative")
    assert _open_reviews(person).count() == 1


@time_machine.travel(T0, tick=False)
def test_a_review_completes_the_duty_and_opens_the_next_from_the_policy_in_force(team):
    supervisor = make_user(Role.SUPERVISOR, team)
    person = make_person(team, actor=supervisor)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Relative")
    policy_override_create(
        actor=make_user(Role.ADMIN),
        key="people.restriction_review_days",
        value="30",
        effective_from=None,
        reason="Force policy",
    )
    with pytest.raises(ValidationFailed):
        services.person_restriction_review(actor=supervisor, person=person, note=" ")
    services.person_restriction_review(actor=supervisor, person=person, note="Still related")
    assert Duty.objects.filter(kind=RESTRICTION_REVIEW, completed_at__isnull=False).count() == 1
    assert _open_reviews(person).get().due_at == T0 + dt.timedelta(days=30)
    assert AuditEvent.objects.get(action="person.restriction_review").reason == "Still related"


def test_an_officer_cannot_review_and_lifting_closes_the_review(team):
    supervisor = make_user(Role.SUPERVISOR, team)
    officer = make_user(Role.OFFICER, team)
    person = make_person(team, actor=supervisor)
    services.person_restrict(actor=supervisor, person=person, users=[officer], reason="Relative")
    with pytest.raises(PermissionDenied):
        services.person_restriction_review(actor=officer, person=person, note="x")
    services.person_unrestrict(actor=supervisor, person=person, reason="No longer needed")
    assert not _open_reviews(person).exists()


def test_duties_check_agrees_with_restrictions(team):
    supervisor = make_user(Role.SUPERVISOR, team)
    person = make_person(team, actor=supervisor)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Relative")
    call_command("duties", "check", "--kind", RESTRICTION_REVIEW)
    Duty.objects.filter(kind=RESTRICTION_REVIEW).delete()
    with pytest.raises(CommandError, match="1 difference"):
        call_command("duties", "check", "--kind", RESTRICTION_REVIEW)


def test_review_page_and_api_access(team, other_team):
    supervisor = make_user(Role.SUPERVISOR, team)
    person = make_person(team, actor=supervisor)
    services.person_restrict(actor=supervisor, person=person, users=[], reason="Relative")
    url = reverse("people:restriction-review", args=[person.uuid])
    api = f"/api/v1/people/{person.uuid}/restriction/review"
    assert Client().get(url).status_code == 302
    assert Client().post(api, {"note": "x"}, content_type="application/json").status_code == 401
    assert verified_client(make_user(Role.AUDITOR, team)).get(url).status_code in (403, 404)
    assert verified_client(make_user(Role.SUPERVISOR, other_team)).get(url).status_code == 404
    client = verified_client(supervisor)
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": ""})
    assert b"Enter why the restriction is still needed" in response.content
    assert client.post(url, {"note": "Still related"})["Location"] == reverse(
        "people:detail", args=[person.uuid]
    )
    response = client.post(api, {"note": "Checked again"}, content_type="application/json")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="person.restriction_review").count() == 2
