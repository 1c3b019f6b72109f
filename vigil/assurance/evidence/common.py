"""What the evidence modules share: labels, visibility and gap columns."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.metrics import GapColumn, Window

TEAM = _("Team")


def nominal_visible(prefix: str = ""):
    def visible(user) -> Q:
        from vigil.offenders.selectors import nominals_for

        key = f"{prefix}in" if prefix else "pk__in"
        return Q(**{key: nominals_for(user).values("pk")})

    return visible


NOMINAL_COLUMNS = (
    GapColumn("risk", "risk_level", _("Risk level")),
    GapColumn("team", "team__name", TEAM),
    GapColumn("date", "created_at", _("Recorded")),
)


def active_nominals(w: Window):
    from vigil.offenders.choices import NominalStatus
    from vigil.offenders.models import Nominal

    return Nominal.objects.filter(w.existed(), status=NominalStatus.ACTIVE)
