"""The demand forecast's tunable numbers: each with its default and where it comes from.

The workload weights and officer hours are Vigil's defaults until the force sets its own
from a workforce study; every forecast keeps the values it used.
"""

from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Kind, Source, declare

HORIZON = "demand.horizon_years"
INTERVAL = "demand.interval_percent"
REFRESH = "demand.refresh_months"
HOURS = {
    "very_high": "demand.hours_per_nominal_very_high",
    "high": "demand.hours_per_nominal_high",
    "medium": "demand.hours_per_nominal_medium",
    "low": "demand.hours_per_nominal_low",
}
OFFICER_HOURS = "demand.officer_hours_per_year"
ABSTRACTION = "demand.abstraction_percent"
SUPERVISOR_RATIO = "demand.officers_per_supervisor"

declare(
    HORIZON,
    label=_("Forecast demand this many years ahead"),
    default=5,
    unit=_("years"),
    source=Source.HMICFRS,
    minimum=1,
    maximum=10,
    note=_("Point J: predict demand on the teams for five years and staff accordingly."),
)
declare(
    INTERVAL,
    label=_("Prediction interval of a forecast"),
    default=90,
    unit=_("per cent"),
    source=Source.VIGIL,
    minimum=50,
    maximum=99,
    note=_("The range the actual figure should fall in this often."),
)
declare(
    REFRESH,
    label=_("Refresh the demand forecast at least every"),
    default=12,
    unit=_("months"),
    source=Source.HMICFRS,
    minimum=1,
    maximum=24,
    note=_(
        "Point J's evidence: a forecast less than 12 months old. Saving a forecast opens a "
        "duty to refresh it, due this long after."
    ),
)
for level, label, default in (
    ("very_high", _("Officer hours a year for a very high risk nominal"), 60),
    ("high", _("Officer hours a year for a high risk nominal"), 36),
    ("medium", _("Officer hours a year for a medium risk nominal"), 20),
    ("low", _("Officer hours a year for a low risk nominal"), 10),
):
    declare(
        HOURS[level],
        label=label,
        default=default,
        unit=_("hours a year"),
        source=Source.VIGIL,
        minimum=0,
        maximum=2000,
        note=_(
            "Visits, risk assessments, reviews and the work between them. Used only where "
            "the workforce app's workload weights are not installed: with them, a "
            "nominal's hours follow from its workload weight."
        ),
    )
declare(
    OFFICER_HOURS,
    label=_("Contracted hours a year of one full-time offender manager"),
    default=1650,
    unit=_("hours a year"),
    source=Source.VIGIL,
    minimum=100,
    maximum=2500,
)
declare(
    ABSTRACTION,
    label=_("Offender managers' time lost to abstractions"),
    default=20,
    unit=_("per cent"),
    source=Source.VIGIL,
    kind=Kind.INTEGER,
    minimum=0,
    maximum=80,
    note=_("Training, sickness, court, leave beyond the contracted figure, other duties."),
)
declare(
    SUPERVISOR_RATIO,
    label=_("Offender managers per supervisor"),
    default=6,
    unit=_("offender managers"),
    source=Source.VIGIL,
    minimum=1,
    maximum=30,
)

# --- the workforce app's workload weights ------------------------------------------------
#
# Where the workforce app is installed, a nominal's workload is its weight there (points
# by risk level) and a full-time offender manager's manageable workload its threshold
# (points): one point is then the threshold's share of an officer's available hours, so
# the forecast staffs the teams by the same measure as the workforce pages. Demand and
# workforce sit in one layer (tests/test_layers.py) and neither imports the other: the
# weights are read by key through the policy registry. Without the workforce app the
# demand.hours_per_nominal_* policies above are used.
WORKFORCE_WEIGHTS = {
    "very_high": "workforce.weight.nominal_very_high",
    "high": "workforce.weight.nominal_high",
    "medium": "workforce.weight.nominal_medium",
    "low": "workforce.weight.nominal_low",
}
WORKFORCE_THRESHOLD = "workforce.threshold.officer"


def workforce_weight_keys() -> list[str]:
    """The workforce app's weight and threshold keys, or [] when they are not declared."""
    from vigil.core.policy_registry import get_policy

    keys = [*WORKFORCE_WEIGHTS.values(), WORKFORCE_THRESHOLD]
    try:
        for key in keys:
            get_policy(key)
    except KeyError:
        return []
    return keys
