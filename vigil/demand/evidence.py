"""Evidence metric J, declared by the demand app (imported by DemandConfig.ready).

One row per force that has a MOSOVO team (the teams that must be staffed for five
years); met when the force's forecasts include one saved by the moment that is younger
than `demand.refresh_months`, covers at least `demand.horizon_years` and shows its
backtest error. Rows are forces: `team_field="teams"` and `force_field="id"`, so a
computation for some teams counts the forces those teams belong to.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.metrics import GapColumn, Window, declare_metric


def _forces_with_mosovo(w: Window):
    from vigil.accounts.choices import TeamKind
    from vigil.accounts.models import Force, Team

    mosovo = Team.objects.filter(
        force_id=OuterRef("pk"), kind=TeamKind.MOSOVO, created_at__lte=w.moment
    )
    return Force.objects.filter(Exists(mosovo))


def _forecast_current(w: Window) -> Q:
    from vigil.core.policy_registry import policy_values
    from vigil.demand import policies
    from vigil.demand.models import Forecast

    values = policy_values([policies.REFRESH, policies.HORIZON], at=w.moment)
    current = Forecast.objects.filter(
        force_id=OuterRef("pk"),
        created_at__lte=w.moment,
        created_at__gt=w.moment - relativedelta(months=int(values[policies.REFRESH])),
        horizon__gte=int(values[policies.HORIZON]),
        backtest_mape__isnull=False,
    )
    return Q(Exists(current))


def _visible(user) -> Q:
    from vigil.demand.selectors import read_force_ids

    return Q(pk__in=read_force_ids(user))


declare_metric(
    "demand_forecast_current",
    point="J",
    label=_("A five-year demand forecast less than 12 months old, with its backtest error"),
    definition=_(
        "Of the forces with a MOSOVO team at the as-of date, those with a saved demand "
        "forecast younger than demand.refresh_months then, covering at least "
        "demand.horizon_years, whose backtest error is shown."
    ),
    denominator=_forces_with_mosovo,
    numerator=_forecast_current,
    team_field="teams",
    force_field="id",
    visible=_visible,
    gap_columns=(GapColumn("force", "name", _("Force")),),
)
