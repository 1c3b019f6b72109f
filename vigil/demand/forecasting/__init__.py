"""Forecasting a yearly series of counts five years ahead, the method chosen by
backtest (see docs/demand-forecast.md). Pure functions: no database, no request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vigil.demand.forecasting import backtest
from vigil.demand.forecasting.methods import BY_KEY, MethodUnavailable
from vigil.demand.forecasting.series import (
    MIN_ROWS,
    Point,
    add_years,
    check_rows,
    fill_gaps,
    parse_csv,
)

__all__ = ["MIN_ROWS", "Point", "Result", "check_rows", "forecast", "parse_csv"]


class NoMethod(ValueError):
    """No candidate method could be fitted to the series."""


@dataclass
class Result:
    origin: dt.date
    method: str
    interval: float
    horizon: int
    forecast: list[dict]
    backtest: dict
    history: list[dict]
    filled_years: list[dt.date]

    def as_json(self) -> dict:
        """The document `vigil demand forecast --json` prints and a saved forecast keeps."""
        return {
            "origin": self.origin.isoformat(),
            "method": self.method,
            "interval": self.interval,
            "forecast": self.forecast,
            "backtest": self.backtest,
            "history": self.history,
            "filled_years": [d.isoformat() for d in self.filled_years],
        }


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def forecast(points: list[Point], *, horizon: int = 5, level: float = 0.9) -> Result:
    """Forecast `horizon` years after the last point with a `level` prediction interval.

    Steps: fill missing years in logs; backtest every candidate (backtest.run); rank them
    (backtest.ranked); fit the best one that fits the whole series, forecast, and widen
    its intervals by its backtest calibration; report the backtest of every method and
    the scored forecasts of the chosen one.
    """
    if len(points) < MIN_ROWS:
        raise ValueError(f"at least {MIN_ROWS} points are needed")
    if horizon < 1:
        raise ValueError("the horizon is at least one year")
    points = sorted(points, key=lambda p: p.period_end)
    filled = fill_gaps(points)
    scores = backtest.run(filled, horizon=horizon, level=level)
    chosen = None
    bands = None
    for score in backtest.ranked(scores):
        try:
            bands = BY_KEY[score.key].fit(filled.values, filled.observed, horizon, level)
        except MethodUnavailable:
            continue
        chosen = score
        break
    if chosen is None or bands is None:
        raise NoMethod("no method could be fitted to this series")
    calibrated = backtest.calibration_score(
        filled, BY_KEY[chosen.key], horizon=horizon, level=level
    )
    if calibrated.unavailable or not calibrated.rows:
        calibrated = chosen
    factors = calibrated.calibration(level, horizon)
    bands = [backtest.widen(band, factor) for band, factor in zip(bands, factors, strict=True)]
    origin = points[-1].period_end
    rows = [
        {
            "period_end": add_years(origin, h).isoformat(),
            "value": _r(value),
            "lower": _r(lower),
            "upper": _r(upper),
        }
        for h, (value, lower, upper) in enumerate(bands, start=1)
    ]
    table = {
        "calibration": [_r(f, 3) for f in factors],
        "calibration_forecasts": len(calibrated.rows),
        "origins": sorted({r.origin.isoformat() for r in chosen.rows}),
        "methods": [
            {
                "method": s.key,
                "mape": _r(s.mape, 4),
                "coverage": _r(s.coverage, 4),
                "calibrated_coverage": _r(s.calibrated_coverage(level), 4),
                "forecasts": len(s.rows),
                "by_horizon": [_r(s.mape_at(h), 4) for h in range(1, horizon + 1)],
                "available": not s.unavailable,
                "chosen": s is chosen,
            }
            for s in scores
        ],
        "rows": [
            {
                "origin": r.origin.isoformat(),
                "horizon": r.horizon,
                "period_end": r.period_end.isoformat(),
                "actual": _r(r.actual),
                "value": _r(r.value),
                "lower": _r(r.lower),
                "upper": _r(r.upper),
                "error": _r(r.error, 4),
                "covered": r.covered,
            }
            for r in chosen.rows
        ],
    }
    history = [
        {"period_end": p.isoformat(), "value": _r(v), "observed": seen}
        for p, v, seen in zip(filled.period_ends, filled.values, filled.observed, strict=True)
    ]
    return Result(
        origin=origin,
        method=chosen.key,
        interval=level,
        horizon=horizon,
        forecast=rows,
        backtest=table,
        history=history,
        filled_years=filled.filled_years,
    )
