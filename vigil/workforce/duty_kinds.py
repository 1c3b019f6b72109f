"""Duties the workforce app opens, and what `vigil duties check` expects of each.

| kind                          | subject      | open while                                   |
|-------------------------------|--------------|----------------------------------------------|
| workforce.abstraction_review  | Abstraction  | not yet reviewed by a supervisor             |
| workforce.repeat_abstraction  | StaffRecord  | officer over the repeat limit, not reviewed  |
| workforce.screening           | StaffRecord  | in post and in scope (owned by the force's   |
|                               |              | wellbeing team, never the person's own team) |
| workforce.training_refresh    | StaffRecord  | in post, in scope for supervisor training,   |
|                               |              | and no in-date trauma-informed training past |
|                               |              | the refresh warning (opened by the sweep job |
|                               |              | and by the training services)                |
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.duties.registry import declare_duty_kind

ABSTRACTION_REVIEW = "workforce.abstraction_review"
REPEAT_ABSTRACTION = "workforce.repeat_abstraction"
SCREENING = "workforce.screening"
TRAINING_REFRESH = "workforce.training_refresh"


def _expected_reviews(now):
    from vigil.workforce.models import Abstraction

    return {
        ("workforce.abstraction", u)
        for u in Abstraction.objects.filter(reviewed_at__isnull=True).values_list("uuid", flat=True)
    }


declare_duty_kind(
    ABSTRACTION_REVIEW,
    label=_("Review an abstraction"),
    expected=_expected_reviews,
    url=lambda subject_id: reverse("workforce:abstraction", args=[subject_id]),
)
declare_duty_kind(
    REPEAT_ABSTRACTION,
    label=_("Review an officer abstracted repeatedly"),
    url=lambda subject_id: reverse("workforce:staff", args=[subject_id]),
)
declare_duty_kind(
    SCREENING,
    label=_("Annual wellbeing screening"),
    url=lambda subject_id: reverse("workforce:screening-staff", args=[subject_id]),
)


def _expected_refresh(now):
    from vigil.workforce.selectors.training import refresh_needed

    return {
        ("workforce.staffrecord", u) for u in refresh_needed(now).values_list("uuid", flat=True)
    }


declare_duty_kind(
    TRAINING_REFRESH,
    label=_("Trauma-informed training due"),
    expected=_expected_refresh,
    url=lambda subject_id: reverse("workforce:training-staff", args=[subject_id]),
)
