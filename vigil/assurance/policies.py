"""The assurance module's tunable numbers: RAG thresholds, the period, suppression."""

from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, declare

GREEN_PERCENT = "assurance.green_percent"
AMBER_PERCENT = "assurance.amber_percent"
PERIOD_MONTHS = "assurance.period_months"
SUPPRESS_BELOW = "assurance.suppress_below"

declare(
    GREEN_PERCENT,
    label=_("An evidence metric is green at or above this percentage"),
    default=95,
    unit=_("%"),
    source=Source.VIGIL,
    minimum=0,
    maximum=100,
)
declare(
    AMBER_PERCENT,
    label=_("An evidence metric is amber at or above this percentage (red below it)"),
    default=85,
    unit=_("%"),
    source=Source.VIGIL,
    minimum=0,
    maximum=100,
)
declare(
    PERIOD_MONTHS,
    label=_("Evidence metrics cover this many months up to the as-of date"),
    default=12,
    unit=_("months"),
    source=Source.VIGIL,
    minimum=1,
    maximum=60,
)
declare(
    SUPPRESS_BELOW,
    label=_("In reports for publication, counts from 1 up to this number less one are suppressed"),
    default=5,
    unit=_("records"),
    source=Source.VIGIL,
    minimum=1,
    maximum=100,
    note=_("The default suppresses counts of 1 to 4 as “fewer than 5”."),
)
