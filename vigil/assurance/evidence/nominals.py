"""Point H: active registered sex offender records complete."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.evidence.common import NOMINAL_COLUMNS, active_nominals, nominal_visible
from vigil.assurance.metrics import Window, declare_metric


def _complete(w: Window) -> Q:
    from vigil.offenders import completeness

    condition = Q()
    for rule in completeness.active_rules(at=w.moment):
        condition &= rule.condition()
    return condition


declare_metric(
    "rso_records_complete",
    point="H",
    label=_("Active RSO records complete against the required-field rules"),
    definition=_(
        "Of the active nominals recorded by the as-of date, those whose record meets every "
        "required-field rule in force then. Vigil holds no field history: the rules are "
        "applied to the records as they are now."
    ),
    denominator=active_nominals,
    numerator=_complete,
    visible=nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
)
