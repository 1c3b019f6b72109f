"""Reading assessments, always scoped to what the user may see.

An assessment is visible to a user who may see its person (the people app's rule), or,
when it has no person (a referral without a suspect, or a suspect the assessor could not
reach) or its person is out of the user's scope, to a user who may see the record it
belongs to: the referral, the investigation (including the referral's assessment it
started from) or the nominal whose ARMS it is. Each record's own app decides who sees it;
a restricted person is never revealed to a user not named on the restriction.

Instruments sits below the apps whose records have assessments, so it never imports
them: each of those apps declares its records here with `register_subject`, from its
AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from vigil.accounts.models import User
from vigil.instruments.models import Assessment
from vigil.people.selectors import can_supervise as supervises_person
from vigil.people.selectors import visible_people


@dataclass(frozen=True)
class Subject:
    """The records of one kind that assessments belong to, as their app declares them.

    - `subject_type`: the assessments' `subject_type` (the model label, e.g.
      "referrals.referral").
    - `visible(user)`: a Q on Assessment: those the user may see through the app's
      records (its own, and any it links to them, such as an investigation's
      reassessments).
    - `supervises(user, assessment)`: whether the user supervises the record an
      assessment of `subject_type` belongs to, by the app's own rule.
    - `supervises_linked(user, assessment)`: optional; whether the user supervises an
      assessment of any kind through a record of the app that links to it.
    """

    subject_type: str
    visible: Callable[[User], Q]
    supervises: Callable[[User, Assessment], bool]
    supervises_linked: Callable[[User, Assessment], bool] | None = None


_SUBJECTS: dict[str, Subject] = {}


def register_subject(
    subject_type: str,
    *,
    visible: Callable[[User], Q],
    supervises: Callable[[User, Assessment], bool],
    supervises_linked: Callable[[User, Assessment], bool] | None = None,
) -> None:
    """Declare the records of `subject_type` that assessments belong to (called from the
    owning app's ready(); see `Subject`)."""
    _SUBJECTS[subject_type] = Subject(subject_type, visible, supervises, supervises_linked)


def _subject_visible_q(user) -> Q:
    """Assessments whose record (referral, investigation, ARMS) the user may see, by that
    app's own selector."""
    q = Q(pk__in=[])
    for subject in _SUBJECTS.values():
        q |= subject.visible(user)
    return q


def _scoped(user):
    """Assessments the user may see (see the module docstring)."""
    people = visible_people(user).values("pk")
    person_not_hidden = Q(person__isnull=True) | Q(person__is_restricted=False)
    return Assessment.objects.filter(
        Q(person__in=people) | (person_not_hidden & _subject_visible_q(user))
    )


def assessments_for_subject(*, user, subject=None, subject_type: str = "", subject_id=None):
    """The assessments of one domain record the user may see, newest first.

    Name the record either as `subject` (a model instance with a UUID) or by
    `subject_type` (model label, e.g. "referrals.referral") and `subject_id`.
    """
    if subject is not None:
        subject_type, subject_id = subject._meta.label_lower, subject.uuid
    return (
        _scoped(user)
        .filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("assessor", "signed_off_by", "person")
        .order_by("-completed_at", "-id")
    )


def get_assessment_for_user(user, uuid) -> Assessment:
    """One assessment the user may see; missing and out of scope are both a 404."""
    assessment = (
        _scoped(user)
        .select_related("assessor", "signed_off_by", "person", "person__team")
        .filter(uuid=uuid)
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def supervises(user, assessment: Assessment) -> bool:
    """Whether the user is a supervisor or manager over the assessment: over its person's
    owning team, or over the record it belongs to (the referral's receiving team, the
    investigation's owning team, the nominal's managing team), each by its app's rule."""
    person = assessment.person
    if person is not None and supervises_person(user, person):
        return True
    return _supervises_subject(user, assessment)


def _supervises_subject(user, assessment: Assessment) -> bool:
    """By the rule of the app whose record the assessment belongs to, then of any app that
    links a record of its own to it."""
    own = _SUBJECTS.get(assessment.subject_type)
    if own is not None and own.supervises(user, assessment):
        return True
    return any(
        subject.supervises_linked(user, assessment)
        for subject in _SUBJECTS.values()
        if subject.supervises_linked is not None
    )
