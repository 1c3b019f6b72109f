"""Reading assessments, always scoped to what the user may see.

An assessment is visible to a user who may see its person (the people app's rule), or,
when it has no person (a referral without a suspect, or a suspect the assessor could not
reach) or its person is out of the user's scope, to a user who may see the record it
belongs to: the referral, the investigation (including the referral's assessment it
started from) or the nominal whose ARMS it is. Each record's own app decides who sees it;
a restricted person is never revealed to a user not named on the restriction.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from vigil.instruments.models import Assessment
from vigil.people.selectors import can_supervise as supervises_person
from vigil.people.selectors import visible_people

REFERRAL = "referrals.referral"
INVESTIGATION = "investigations.investigation"
ARMS = "offenders.arms"


def _subject_visible_q(user) -> Q:
    """Assessments whose record (referral, investigation, ARMS) the user may see, by that
    app's own selector."""
    # Imported here: instruments sits below the domain apps that record assessments.
    from vigil.investigations.models import Reassessment
    from vigil.investigations.selectors import visible_investigations
    from vigil.offenders.models import Arms
    from vigil.offenders.selectors import nominals_for
    from vigil.referrals.selectors import referral_scope

    investigations = visible_investigations(user)
    return (
        Q(subject_type=REFERRAL, subject_id__in=referral_scope(user).values("uuid"))
        | Q(subject_type=INVESTIGATION, subject_id__in=investigations.values("uuid"))
        | Q(
            pk__in=Reassessment.objects.filter(
                investigation__in=investigations.values("pk")
            ).values("assessment_id")
        )
        | Q(
            subject_type=ARMS,
            subject_id__in=Arms.objects.filter(nominal__in=nominals_for(user).values("pk")).values(
                "uuid"
            ),
        )
    )


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
    from vigil.investigations.models import Investigation, Reassessment
    from vigil.investigations.selectors import can_supervise as supervises_investigation
    from vigil.offenders.models import Arms
    from vigil.offenders.selectors import can_supervise as supervises_nominal
    from vigil.referrals.models import Referral
    from vigil.referrals.selectors import supervises as supervises_referral

    kind, key = assessment.subject_type, assessment.subject_id
    if kind == REFERRAL:
        referral = Referral.objects.select_related("team").filter(uuid=key).first()
        if referral is not None and supervises_referral(user, referral):
            return True
    elif kind == INVESTIGATION:
        investigation = Investigation.objects.select_related("owning_team").filter(uuid=key)
        investigation = investigation.first()
        if investigation is not None and supervises_investigation(user, investigation):
            return True
    elif kind == ARMS:
        arms = Arms.objects.select_related("nominal__team").filter(uuid=key).first()
        if arms is not None and supervises_nominal(user, arms.nominal):
            return True
    linked = Reassessment.objects.filter(assessment=assessment).select_related(
        "investigation__owning_team"
    )
    return any(supervises_investigation(user, r.investigation) for r in linked)
