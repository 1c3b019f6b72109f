"""Duties the register app opens, and what `vigil duties check` expects of each.

| kind                  | subject     | open while                                   |
|-----------------------|-------------|----------------------------------------------|
| register.discrepancy  | Discrepancy | assigned to someone and still open           |
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.duties.registry import declare_duty_kind

DISCREPANCY = "register.discrepancy"


def _expected_discrepancies(now):
    from vigil.register.models import Discrepancy

    return {
        ("register.discrepancy", u)
        for u in Discrepancy.objects.filter(status="open", assignee__isnull=False).values_list(
            "uuid", flat=True
        )
    }


declare_duty_kind(
    DISCREPANCY,
    label=_("Resolve a register discrepancy"),
    expected=_expected_discrepancies,
    url=lambda subject_id: reverse("register:discrepancy", args=[subject_id]),
)
