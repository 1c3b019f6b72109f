"""Duties the people app opens: the periodic review of a need-to-know restriction."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.duties.registry import declare_duty_kind

RESTRICTION_REVIEW = "people.restriction_review"


def _restricted_people(now):
    from vigil.people.models import Person

    return {
        ("people.person", uuid)
        for uuid in Person.objects.filter(is_restricted=True).values_list("uuid", flat=True)
    }


declare_duty_kind(
    RESTRICTION_REVIEW,
    label=_("Review a restricted record"),
    expected=_restricted_people,
    url=lambda subject_id: reverse("people:detail", args=[subject_id]),
    escalate_supervisor_days=7,
    escalate_manager_days=28,
)
