"""Reading assessments: scoped to the user's teams, a fixed number of queries."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Role, Scope
from vigil.core.testing import make_user
from vigil.instruments import selectors, services
from vigil.instruments.tests.helpers import first_answers, make_person, referral_risk

pytestmark = pytest.mark.django_db


def _record(actor, person, subject=None):
    return services.assessment_record(
        actor=actor,
        code="referral-risk",
        subject=subject or person,
        person=person,
        answers=first_answers(referral_risk()),
    )


def test_it_lists_a_subjects_assessments_in_scope_only(team, other_team):
    officer = make_user(Role.OFFICER, team)
    person = make_person(team)
    first, second = _record(officer, person), _record(officer, person)
    _record(officer, make_person(team, given_name="Other"))
    assert list(selectors.assessments_for_subject(user=officer, subject=person)) == [second, first]
    assert list(
        selectors.assessments_for_subject(
            user=officer, subject_type="people.person", subject_id=person.uuid
        )
    ) == [second, first]
    assert not selectors.assessments_for_subject(
        user=make_user(Role.OFFICER, other_team), subject=person
    ).exists()
    assert not selectors.assessments_for_subject(
        user=make_user(Role.AUDITOR, team), subject=person
    ).exists()
    force_wide = make_user(Role.ANALYST, other_team, scope=Scope.FORCE)
    assert selectors.assessments_for_subject(user=force_wide, subject=person).count() == 2


def test_it_lists_with_the_same_number_of_queries_however_many(team):
    officer = make_user(Role.OFFICER, team)
    person = make_person(team)

    def count():
        officer._vigil_memberships = None
        with CaptureQueriesContext(connection) as ctx:
            rows = list(selectors.assessments_for_subject(user=officer, subject=person))
            for a in rows:
                _ = (a.assessor.full_name, a.person.full_name, a.signed_off_by)
        return len(ctx.captured_queries)

    _record(officer, person)
    one = count()
    for _ in range(4):
        _record(officer, person)
    assert count() == one


def test_it_gives_404_for_missing_and_out_of_scope_alike(team, other_team):
    officer = make_user(Role.OFFICER, team)
    assessment = _record(officer, make_person(team))
    assert selectors.get_assessment_for_user(officer, assessment.uuid) == assessment
    with pytest.raises(Http404):
        selectors.get_assessment_for_user(make_user(Role.OFFICER, other_team), assessment.uuid)
    with pytest.raises(Http404):
        selectors.get_assessment_for_user(officer, "5f0c0a8e-0000-4000-8000-000000000000")


def test_it_hides_a_restricted_persons_assessments_from_users_not_named(team):
    from vigil.people.services import person_restrict

    named = make_user(Role.SUPERVISOR, team)
    other = make_user(Role.OFFICER, team)
    person = make_person(team)
    assessment = _record(named, person)
    person_restrict(actor=named, person=person, users=[named], reason="A colleague's relative")
    assert list(selectors.assessments_for_subject(user=named, subject=person)) == [assessment]
    assert not selectors.assessments_for_subject(user=other, subject=person).exists()
    with pytest.raises(Http404):
        selectors.get_assessment_for_user(other, assessment.uuid)
