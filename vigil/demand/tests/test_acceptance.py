"""The issue's check, on series shaped like England and Wales RSO counts: truncated at
several origins and scored on the years after each, the forecast's MAPE must beat a
straight line through the last eight observations, and its 90% intervals must cover at
least 80% of the actual values. (Slow: each forecast fits two statsmodels models at ten
origins.)"""

from vigil.demand.forecasting import forecast
from vigil.demand.forecasting.methods import linear
from vigil.demand.tests.series import rso_like


def test_it_beats_the_straight_line_and_its_intervals_cover_four_in_five():
    errors, baseline, covered = [], [], []
    for seed in range(4):
        series = rso_like(seed, years=21)
        for cut in (12, 16):
            history, actuals = series[:cut], series[cut : cut + 5]
            result = forecast(history, horizon=5)
            values = [p.value for p in history]
            line = linear(values, [True] * len(values), 5, 0.9)
            for row, (straight, _lo, _hi), actual in zip(
                result.forecast, line, actuals, strict=True
            ):
                errors.append(abs(row["value"] - actual.value) / actual.value)
                baseline.append(abs(straight - actual.value) / actual.value)
                covered.append(row["lower"] <= actual.value <= row["upper"])
    mape, line_mape = sum(errors) / len(errors), sum(baseline) / len(baseline)
    coverage = sum(covered) / len(covered)
    assert mape < line_mape, (mape, line_mape)
    assert coverage >= 0.8, coverage
