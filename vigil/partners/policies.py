"""The partnership's tunable numbers: each with its default and where it comes from. The
response times are the defaults a new agreement version starts from; each version then
holds its own (the terms the force and the region agreed)."""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, declare
from vigil.partners.choices import RequestKind

# Working days by kind (both directions), from the practice of probation information
# sharing agreements: a MAPPA referral and breach or recall information are quickest.
DEFAULT_DAYS = {
    RequestKind.INFORMATION: 10,
    RequestKind.RISK_UPDATE: 5,
    RequestKind.JOINT_VISIT: 10,
    RequestKind.MAPPA_REFERRAL: 5,
    RequestKind.MAPPA_ACTION: 10,
    RequestKind.CIRCUMSTANCES: 5,
    RequestKind.BREACH_RECALL: 2,
    RequestKind.OTHER: 10,
}


def days_key(kind: str) -> str:
    return f"partners.response_working_days.{kind}"


def _days_label(kind: str) -> str:
    return gettext("Default response time for a request: %(kind)s") % {
        "kind": RequestKind(kind).label
    }


URGENT_HOURS = "partners.urgent_response_hours"
REVIEW_EVERY_MONTHS = "partners.review_every_months"

for _kind, _days in DEFAULT_DAYS.items():
    declare(
        days_key(_kind),
        label=lazy(_days_label, str)(_kind),
        default=_days,
        unit=_("working days"),
        source=Source.VIGIL,
        minimum=1,
        maximum=60,
        note=_("The time a new version of a service level agreement starts from, each way."),
    )
declare(
    URGENT_HOURS,
    label=_("Default response time for an urgent partner request"),
    default=24,
    unit=_("hours"),
    source=Source.VIGIL,
    minimum=1,
    maximum=168,
    note=_("The urgent time a new version of a service level agreement starts from."),
)
declare(
    REVIEW_EVERY_MONTHS,
    label=_("Review a service level agreement with Probation every"),
    default=3,
    unit=_("months"),
    source=Source.VIGIL,
    minimum=1,
    maximum=12,
    note=_("Point T: the agreement is reviewed with both sides' notes and the figures."),
)
