"""Reading assessments, always scoped to the teams the user reaches."""

from __future__ import annotations

from django.http import Http404

from vigil.instruments.models import Assessment
from vigil.people.selectors import visible_people


def _scoped(user):
    """Assessments of people the user may see: the owning team in scope and, for a
    restricted person, the user named on the restriction (the people app's rule)."""
    return Assessment.objects.filter(person__in=visible_people(user).values("pk"))


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
