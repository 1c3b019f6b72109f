"""The forecasting core: methods, backtest, choice, intervals, gaps, and error cases."""

import datetime as dt

import pytest

from vigil.demand.forecasting import Point, forecast
from vigil.demand.forecasting.backtest import MethodScore, Scored, origins
from vigil.demand.forecasting.methods import drift, linear, naive
from vigil.demand.forecasting.series import fill_gaps
from vigil.demand.tests.series import rso_like, yearly


def _methods(result):
    return {m["method"]: m for m in result.backtest["methods"]}


def test_a_short_growing_series_is_forecast_up_with_intervals_about_each_value():
    points = yearly([1000 * 1.05**i for i in range(9)])
    result = forecast(points, horizon=5)
    assert result.origin == dt.date(2013, 3, 31)
    assert [r["period_end"] for r in result.forecast] == [f"{y}-03-31" for y in range(2014, 2019)]
    values = [r["value"] for r in result.forecast]
    assert values == sorted(values) and values[0] > points[-1].value
    assert all(r["lower"] <= r["value"] <= r["upper"] for r in result.forecast)
    # Nine years: only the simple methods are candidates (the models need eight to fit).
    assert set(_methods(result)) == {"naive", "drift", "linear"}
    assert result.method == "drift"  # exact 5% growth: drift in logs is right every time
    assert _methods(result)["drift"]["mape"] == pytest.approx(0, abs=1e-6)


def test_a_flat_series_is_forecast_flat_and_naive_wins_a_tie_as_the_simplest():
    result = forecast(yearly([500] * 7), horizon=3)
    assert result.method == "naive"
    assert [(r["value"], r["lower"], r["upper"]) for r in result.forecast] == [(500.0,) * 3] * 3


def test_a_falling_series_is_forecast_down_and_never_below_zero():
    result = forecast(yearly([900, 700, 560, 430, 350, 280, 215]), horizon=5)
    values = [r["value"] for r in result.forecast]
    assert values == sorted(values, reverse=True)
    assert values[0] < 215
    assert all(r["lower"] >= 0 for r in result.forecast)


def test_missing_years_are_filled_in_logs_named_and_never_scored():
    points = yearly([1000 * 1.04**i for i in range(10)], skip={2008, 2011})
    result = forecast(points, horizon=2)
    assert result.filled_years == [dt.date(2008, 3, 31), dt.date(2011, 3, 31)]
    assert [h["observed"] for h in result.history].count(False) == 2
    scored_years = {r["period_end"] for r in result.backtest["rows"]}
    assert scored_years and not scored_years & {"2008-03-31", "2011-03-31"}
    assert {r["origin"] for r in result.backtest["rows"]} <= {
        p.period_end.isoformat() for p in points
    }


def test_the_chosen_method_is_never_worse_than_the_straight_line_on_its_backtest():
    result = forecast(rso_like(seed=3), horizon=5)
    methods = _methods(result)
    assert set(methods) == {"naive", "drift", "linear", "ets", "arima"}
    chosen = methods[result.method]
    assert chosen["chosen"] and sum(m["chosen"] for m in methods.values()) == 1
    assert chosen["mape"] <= methods["linear"]["mape"]
    assert len(result.backtest["origins"]) == 10  # the ten most recent origins
    assert all(1 <= r["horizon"] <= 5 for r in result.backtest["rows"])
    # The calibrated interval covers at least 90% of what its backtest saw.
    assert chosen["calibrated_coverage"] >= 0.9
    assert result.backtest["calibration"] == sorted(result.backtest["calibration"])


@pytest.mark.parametrize("count", [0, 4])
def test_fewer_than_five_points_is_an_error(count):
    with pytest.raises(ValueError, match="at least 5"):
        forecast(yearly([1] * count))


def test_a_horizon_of_zero_is_an_error():
    with pytest.raises(ValueError, match="horizon"):
        forecast(yearly([1, 2, 3, 4, 5]), horizon=0)


def test_origins_are_observed_years_with_something_after_them():
    filled = fill_gaps(yearly(range(1, 21), skip={2020}))
    found = origins(filled)
    assert len(found) == 10 and all(filled.observed[i] for i in found)
    assert max(found) < len(filled.values) - 1


def test_the_methods_agree_with_their_definitions():
    values = [100.0, 110.0, 121.0, 133.1]
    seen = [True] * 4
    assert naive(values, seen, 1, 0.9)[0][0] == pytest.approx(133.1)
    # Drift in logs of (1 + value): the average growth carried on one year.
    assert drift(values, seen, 1, 0.9)[0][0] == pytest.approx(134.1 * (134.1 / 101) ** (1 / 3) - 1)
    line = linear([10.0, 20.0, 30.0, 40.0], seen, 2, 0.9)
    assert [round(v, 6) for v, _lo, _hi in line] == [50.0, 60.0]


def test_a_miss_is_measured_in_half_widths_on_its_side():
    row = Scored(
        dt.date(2020, 3, 31), 1, dt.date(2021, 3, 31), actual=99, value=99, lower=9, upper=999
    )
    assert row.miss == 0 and row.covered
    outside = Scored(
        dt.date(2020, 3, 31), 1, dt.date(2021, 3, 31), actual=9999, value=99, lower=9, upper=999
    )
    assert outside.miss == pytest.approx(2.0) and not outside.covered
    score = MethodScore("x", rows=[outside] * 3)
    assert score.calibration(0.9, 1) == [pytest.approx(2.5)]  # too few: largest, plus 25%


def test_a_series_of_zeros_and_counts_is_forecast():
    result = forecast(
        [Point(dt.date(2015 + i, 12, 31), v) for i, v in enumerate([0, 0, 1, 0, 2, 1])]
    )
    assert all(r["lower"] >= 0 for r in result.forecast)
