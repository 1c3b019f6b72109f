"""Duties the demand app opens, and what `vigil duties check` expects of each.

| kind             | subject  | open while                                           |
|------------------|----------|------------------------------------------------------|
| demand.refresh   | Forecast | it is its force's newest forecast (due when it is    |
|                  |          | demand.refresh_months old)                           |
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.duties.registry import declare_duty_kind

REFRESH = "demand.refresh"


def _expected_refreshes(now):
    from vigil.demand.selectors import latest_per_force

    return {
        ("demand.forecast", u)
        for u in latest_per_force().filter(created_at__lte=now).values_list("uuid", flat=True)
    }


declare_duty_kind(
    REFRESH,
    label=_("Refresh the demand forecast"),
    expected=_expected_refreshes,
    url=lambda subject_id: reverse("demand:detail", args=[subject_id]),
)
