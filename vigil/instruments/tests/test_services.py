"""Recording and signing off assessments: what is stored, audited and refused."""

import pytest
import time_machine
from django.db import IntegrityError, transaction

from vigil.accounts.choices import Role, Scope
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.testing import make_user
from vigil.instruments import services
from vigil.instruments.models import Assessment
from vigil.instruments.tests.helpers import (
    arms,
    first_answers,
    last_answers,
    make_person,
    referral_risk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(team):
    return make_person(team)


@pytest.fixture
def officer(team):
    return make_user(Role.OFFICER, team)


@pytest.fixture
def supervisor(team):
    return make_user(Role.SUPERVISOR, team)


def _record(actor, person, **kwargs):
    defaults = {
        "code": "referral-risk",
        "subject": person,
        "person": person,
        "answers": last_answers(referral_risk()),
    }
    return services.assessment_record(actor=actor, **{**defaults, **kwargs})


@time_machine.travel("2026-03-02 10:00:00Z", tick=False)
def test_it_records_a_scored_assessment_and_audits_it(officer, person):
    assessment = _record(officer, person)
    assessment.refresh_from_db()
    assert (assessment.instrument_code, assessment.instrument_version) == ("referral-risk", 1)
    assert (assessment.subject_type, assessment.subject_id) == ("people.person", person.uuid)
    assert (
        assessment.score == 42 and assessment.computed_band == "very_high" == assessment.final_band
    )
    assert assessment.summary["subtotals"]["current_facilitators"] == 15
    assert assessment.assessor == officer and assessment.person == person
    assert assessment.signoff_required and assessment.awaiting_signoff
    assert assessment.completed_at.isoformat() == "2026-03-02T10:00:00+00:00"
    event = AuditEvent.objects.get(action="assessment.record")
    assert event.person_id == str(person.uuid) and event.target_id == str(assessment.uuid)
    assert event.changes["final_band"] == "very_high" and event.changes["score"] == 42


def test_it_uses_the_latest_version_unless_told(officer, person):
    assert _record(officer, person).instrument_version == 1
    assert _record(officer, person, version=1).instrument_version == 1
    with pytest.raises(ValidationFailed) as info:
        _record(officer, person, version=9)
    assert info.value.field == "code"


def test_it_stores_an_override_with_its_rationale(officer, person):
    assessment = _record(
        officer,
        person,
        answers=first_answers(referral_risk()),
        override_band="high",
        override_rationale="A planned meeting with a child is imminent.",
    )
    assert (assessment.computed_band, assessment.override_band, assessment.final_band) == (
        "low",
        "high",
        "high",
    )
    event = AuditEvent.objects.get(action="assessment.record")
    assert event.reason == "A planned meeting with a child is imminent."


def test_it_stores_nothing_when_the_answers_are_not_valid(officer, person):
    answers = first_answers(referral_risk())
    answers.pop("grooming")
    with pytest.raises(ValidationFailed):
        _record(officer, person, answers=answers, override_band="high")
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.record").exists()


def test_it_refuses_an_override_without_a_rationale_at_the_database(officer, person):
    assessment = _record(officer, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(
            override_band="low", override_rationale=""
        )


def test_it_records_a_structured_assessment(officer, person):
    definition = arms()
    answers = {q.id: q.options[1].id for q in definition.questions}
    assessment = _record(
        officer,
        person,
        code="arms",
        answers=answers,
        judgement_level="medium",
        formulation="Risk is managed by a stable relationship and work.",
    )
    assert assessment.score is None and assessment.computed_band == ""
    assert assessment.final_band == "medium"
    assert assessment.summary["counts"]["risk_factors"]["some"] == 7
    assert assessment.formulation.startswith("Risk is managed")


def test_it_needs_a_formulation_and_a_level_for_a_structured_tool(officer, person):
    answers = {q.id: q.options[0].id for q in arms().questions}
    with pytest.raises(ValidationFailed) as info:
        _record(officer, person, code="arms", answers=answers)
    assert sorted(f for f, _m in info.value.errors) == ["formulation", "judgement_level"]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN, Role.ASSURANCE])
def test_it_refuses_a_recorder_without_a_casework_role(role, team, person):
    with pytest.raises(PermissionDenied):
        _record(make_user(role, team), person)
    assert not Assessment.objects.exists()


def test_it_refuses_a_person_outside_the_recorders_teams(other_team, person):
    with pytest.raises(NotFound):
        _record(make_user(Role.OFFICER, other_team), person)


def test_it_lets_a_force_wide_user_record(other_team, person):
    assert _record(make_user(Role.OFFICER, other_team, scope=Scope.FORCE), person).pk


@time_machine.travel("2026-03-03 09:30:00Z", tick=False)
def test_it_lets_another_supervisor_sign_off(officer, supervisor, person):
    assessment = _record(officer, person)
    services.assessment_sign_off(actor=supervisor, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.signed_off_by == supervisor
    assert assessment.signed_off_at.isoformat() == "2026-03-03T09:30:00+00:00"
    assert not assessment.awaiting_signoff
    event = AuditEvent.objects.get(action="assessment.sign_off")
    assert event.actor_id == supervisor.pk and event.person_id == str(person.uuid)


def test_it_refuses_sign_off_by_the_assessor(supervisor, person):
    assessment = _record(supervisor, person)
    with pytest.raises(PermissionDenied, match="another supervisor"):
        services.assessment_sign_off(actor=supervisor, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.signed_off_at is None


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ANALYST, Role.AUDITOR])
def test_it_refuses_sign_off_without_a_supervisory_role(role, team, officer, person):
    assessment = _record(officer, person)
    with pytest.raises(PermissionDenied):
        services.assessment_sign_off(actor=make_user(role, team), assessment=assessment)


def test_it_refuses_sign_off_by_a_supervisor_of_another_team(officer, other_team, person):
    assessment = _record(officer, person)
    with pytest.raises(NotFound):
        services.assessment_sign_off(
            actor=make_user(Role.SUPERVISOR, other_team), assessment=assessment
        )


def test_it_refuses_a_second_sign_off(officer, supervisor, team, person):
    assessment = _record(officer, person)
    services.assessment_sign_off(actor=supervisor, assessment=assessment)
    with pytest.raises(Conflict):
        services.assessment_sign_off(actor=make_user(Role.MANAGER, team), assessment=assessment)
    assert AuditEvent.objects.filter(action="assessment.sign_off").count() == 1


def test_it_refuses_sign_off_when_none_is_needed(officer, supervisor, person):
    assessment = _record(officer, person)
    Assessment.objects.filter(pk=assessment.pk).update(signoff_required=False)
    with pytest.raises(Conflict):
        services.assessment_sign_off(actor=supervisor, assessment=assessment)
