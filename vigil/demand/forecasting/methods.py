"""The candidate forecasting methods. Each takes a yearly series with no gaps (oldest
first), a horizon and an interval level, and returns one (value, lower, upper) a year.

Growth in registered offender numbers is by a proportion a year, so every method but the
straight line works on log(1 + value) and its forecasts and intervals are turned back
with exp(x) − 1: an interval symmetric in logs is wider above than below, as it should
be. The straight line is the baseline the inspectorate's check uses (a least-squares
line through the last eight observations, on the counts themselves), kept exactly so
that the backtest compares every other method with it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Band = tuple[float, float, float]
LINEAR_POINTS = 8


class MethodUnavailable(Exception):
    """The method cannot be fitted to this series (too short, or the fit failed)."""


@dataclass(frozen=True)
class Method:
    key: str
    min_points: int
    fit: Callable[[list[float], list[bool], int, float], list[Band]]


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def _back(mean: float, lower: float, upper: float) -> Band:
    return (math.expm1(mean), max(0.0, math.expm1(lower)), math.expm1(upper))


def naive(values, observed, horizon, level) -> list[Band]:
    """Next year as last year; the spread of year-on-year changes in logs widens with
    the square root of the horizon (a random walk)."""
    y = np.log1p(values)
    diffs = np.diff(y)
    if len(diffs) < 2:
        raise MethodUnavailable("naive")
    sigma = float(np.sqrt(np.mean(diffs**2)))
    q = _z(level)
    last = float(y[-1])
    return [
        _back(last, last - q * sigma * h**0.5, last + q * sigma * h**0.5)
        for h in range(1, horizon + 1)
    ]


def drift(values, observed, horizon, level) -> list[Band]:
    """The average growth in logs from the first year to the last, carried on (a random
    walk with drift); its interval allows for the drift being estimated."""
    y = np.log1p(values)
    diffs = np.diff(y)
    n = len(diffs)
    if n < 2:
        raise MethodUnavailable("drift")
    slope = float((y[-1] - y[0]) / n)
    sigma = float(np.sqrt(np.sum((diffs - slope) ** 2) / (n - 1)))
    q = _z(level)
    last = float(y[-1])
    out = []
    for h in range(1, horizon + 1):
        mean = last + h * slope
        spread = q * sigma * math.sqrt(h * (1 + h / n))
        out.append(_back(mean, mean - spread, mean + spread))
    return out


def linear(values, observed, horizon, level) -> list[Band]:
    """A least-squares straight line through the last eight observed years (counts, not
    logs), with its t-distribution prediction interval."""
    from scipy.stats import t

    xs = [i for i, seen in enumerate(observed) if seen][-LINEAR_POINTS:]
    if len(xs) < 3:
        raise MethodUnavailable("linear")
    x = np.array(xs, dtype=float)
    y = np.array([values[i] for i in xs], dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (slope * x + intercept)
    k = len(x)
    s = float(np.sqrt(np.sum(resid**2) / (k - 2)))
    sxx = float(np.sum((x - x.mean()) ** 2))
    q = float(t.ppf(0.5 + level / 2, k - 2))
    out = []
    last = len(values) - 1
    for h in range(1, horizon + 1):
        x0 = last + h
        mean = float(slope * x0 + intercept)
        spread = q * s * math.sqrt(1 + 1 / k + (x0 - x.mean()) ** 2 / sxx)
        out.append((max(0.0, mean), max(0.0, mean - spread), max(0.0, mean + spread)))
    return out


def ets(values, observed, horizon, level) -> list[Band]:
    """statsmodels' exponential smoothing state-space model on logs: additive errors,
    additive damped trend (growth that may slow), with its prediction interval."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = pd.Series(np.log1p(values))
    if float(y.std()) == 0.0:
        raise MethodUnavailable("ets")
    n = len(y)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = ETSModel(y, error="add", trend="add", damped_trend=True).fit(disp=False)
            frame = fitted.get_prediction(start=n, end=n + horizon - 1).summary_frame(
                alpha=1 - level
            )
    except (ValueError, np.linalg.LinAlgError) as exc:
        raise MethodUnavailable("ets") from exc
    rows = list(zip(frame["mean"], frame["pi_lower"], frame["pi_upper"], strict=True))
    if not all(math.isfinite(v) for row in rows for v in row):
        raise MethodUnavailable("ets")
    return [_back(float(m), float(lo), float(hi)) for m, lo, hi in rows]


def arima(values, observed, horizon, level) -> list[Band]:
    """statsmodels' ARIMA(1,1,0) with drift on logs: this year's growth leans towards
    last year's, around an average growth."""
    import pandas as pd
    from statsmodels.tsa.arima.model import ARIMA

    y = pd.Series(np.log1p(values))
    if float(y.std()) == 0.0:
        raise MethodUnavailable("arima")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = ARIMA(y, order=(1, 1, 0), trend="t").fit()
            frame = fitted.get_forecast(horizon).summary_frame(alpha=1 - level)
    except (ValueError, np.linalg.LinAlgError) as exc:
        raise MethodUnavailable("arima") from exc
    rows = list(zip(frame["mean"], frame["mean_ci_lower"], frame["mean_ci_upper"], strict=True))
    if not all(math.isfinite(v) for row in rows for v in row):
        raise MethodUnavailable("arima")
    return [_back(float(m), float(lo), float(hi)) for m, lo, hi in rows]


# In order of simplicity: on an equal backtest error the simpler method is chosen.
METHODS: tuple[Method, ...] = (
    Method("naive", 3, naive),
    Method("drift", 3, drift),
    Method("linear", 3, linear),
    Method("ets", 8, ets),
    Method("arima", 8, arima),
)
BY_KEY = {m.key: m for m in METHODS}
