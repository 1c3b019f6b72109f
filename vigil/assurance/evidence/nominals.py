"""Point H: active registered sex offender records complete.

What H, I, P and Q count of a nominal is read as it was at the moment, from the
nominal's effective-dated history (`vigil.offenders.history`): the status, management
mode, risk level and managing team then, and (H) the record's fields then. A figure as
of a past date therefore does not move when later work is recorded.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.evidence.common import NOMINAL_COLUMNS, nominal_visible
from vigil.assurance.metrics import Window, declare_metric

# A nominal counts where it was managed at the moment (see nominals_then).
TEAM_THEN = {"team_field": "team_then", "force_field": "force_then_id"}


def nominals_then(w: Window, **values):
    """The nominals recorded by the moment whose record then had these values, with the
    team and force that managed them then."""
    from vigil.offenders.history import nominals_at

    return nominals_at(w.moment, **values)


def active_nominals_then(w: Window):
    """The nominals active in the community at the moment (the status then)."""
    from vigil.offenders.choices import NominalStatus

    return nominals_then(w, status=NominalStatus.ACTIVE)


def _complete(w: Window) -> Q:
    """Every required-field rule in force then, met by the record as it was then."""
    from vigil.offenders import completeness

    return completeness.complete_at(w.moment)


declare_metric(
    "rso_records_complete",
    point="H",
    label=_("Active RSO records complete against the required-field rules"),
    definition=_(
        "Of the nominals active at the as-of date, those whose record as it was then met "
        "every required-field rule in force then (among them: every SHPO, SRO and "
        "notification order recorded with its prohibitions or requirements). The fields "
        "are read from the record's history, so later corrections do not change a past "
        "figure."
    ),
    denominator=active_nominals_then,
    numerator=_complete,
    visible=nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
    **TEAM_THEN,
)
