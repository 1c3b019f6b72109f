import datetime as dt

import pytest
import time_machine

from vigil.assurance.metrics import compute, get_metric, window_for
from vigil.demand.choices import ForecastSource
from vigil.demand.models import Forecast
from vigil.demand.services.forecasts import forecast_create
from vigil.demand.tests.series import yearly

SERIES = yearly([200 * 1.05**i for i in range(6)])


def _figures(force, as_of=None):
    result = compute(get_metric("demand_forecast_current"), window_for(as_of), force=force)
    return result.numerator, result.denominator


def test_j_is_measurable_and_declared_by_the_demand_app():
    metric = get_metric("demand_forecast_current")
    assert metric.point == "J" and metric.measurable
    assert metric.team_field == "teams" and metric.force_field == "id"


def test_a_force_meets_j_while_its_forecast_is_younger_than_the_policy(people):
    assert _figures(people.force) == (0, 1)
    with time_machine.travel("2025-12-01 10:00:00+00:00", tick=False):
        forecast_create(
            actor=people.manager,
            force=people.force,
            title="RSOs",
            source=ForecastSource.SERIES,
            points=SERIES,
        )
    # Made 11 months before 2 November 2026: current; 13 months after it: not.
    assert _figures(people.force) == (1, 1)
    # Before the forecast and the team were recorded: the force was not counted then.
    assert _figures(people.force, dt.date(2025, 11, 30)) == (0, 0)
    with time_machine.travel("2027-01-02 10:00:00+00:00", tick=False):
        assert _figures(people.force) == (0, 1)
    # The other force (a MOSOVO team, no forecast) is counted apart.
    assert _figures(people.other_force) == (0, 1)


@pytest.mark.parametrize(("horizon", "mape", "met"), [(5, 0.02, 1), (3, 0.02, 0), (5, None, 0)])
def test_it_must_cover_five_years_and_show_its_backtest_error(people, horizon, mape, met):
    forecast_create(
        actor=people.manager,
        force=people.force,
        title="RSOs",
        source=ForecastSource.SERIES,
        points=SERIES,
    )
    Forecast.objects.update(horizon=horizon, backtest_mape=mape)
    assert _figures(people.force) == (met, 1)
