"""Choosing a method by how well it would have forecast the series' own past.

Rolling-origin backtest (steps):

1. Fill missing years (series.fill_gaps). Origins are the observed years from the
   `min_train`-th on, each but the last; at each origin every candidate is fitted on the
   years up to it and forecasts 1 to `horizon` years ahead.
2. Each forecast is scored against the observed actual of its year (filled years are
   never scored): absolute percentage error (years whose actual is zero are left out of
   the error, not of the coverage) and whether the interval covers the actual.
3. A method that cannot be fitted at some origin is left out, so that every method left
   is scored on the same forecasts.
4. The chosen method has the lowest mean absolute percentage error (MAPE). On a tie
   the simpler method wins. The straight line is always a candidate, so the chosen
   method is never worse than it on this history.
5. The chosen method's own intervals are calibrated on its backtest from every origin
   it can be fitted at (not only the common ones): each scored
   forecast's miss is measured in half-widths of its interval (in logs), and the
   interval is widened (never narrowed) by the split-conformal quantile of those
   ratios, so that it would have covered `level` of the past actuals. Models fitted to
   a short history are over-confident; this corrects them from the history itself.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from vigil.demand.forecasting.methods import METHODS, Method, MethodUnavailable
from vigil.demand.forecasting.series import Filled

MIN_TRAIN = 8
# The most recent origins tested: older ones say least about the years ahead, and each
# one costs a model fit per method.
MAX_ORIGINS = 10
# Scored forecasts needed at a horizon to calibrate its interval from them alone.
MIN_SCORED = 3


@dataclass
class Scored:
    origin: dt.date
    horizon: int
    period_end: dt.date
    actual: float
    value: float
    lower: float
    upper: float

    @property
    def error(self) -> float | None:
        return abs(self.value - self.actual) / self.actual if self.actual > 0 else None

    @property
    def covered(self) -> bool:
        return self.lower <= self.actual <= self.upper

    @property
    def miss(self) -> float:
        """How far the actual fell from the forecast, in half-widths of the interval on
        the side it fell (in logs): at most 1 when the interval covered it."""
        centre, actual = math.log1p(self.value), math.log1p(self.actual)
        edge = math.log1p(self.upper if actual >= centre else self.lower)
        half = abs(edge - centre)
        if half == 0:
            return 0.0 if actual == centre else math.inf
        return abs(actual - centre) / half


@dataclass
class MethodScore:
    key: str
    rows: list[Scored] = field(default_factory=list)
    unavailable: bool = False

    @property
    def mape(self) -> float | None:
        errors = [r.error for r in self.rows if r.error is not None]
        return sum(errors) / len(errors) if errors else None

    @property
    def coverage(self) -> float | None:
        return sum(r.covered for r in self.rows) / len(self.rows) if self.rows else None

    def calibration(self, level: float, horizon: int) -> list[float]:
        """The factor (at least 1) the method's interval at each horizon 1..`horizon` is
        widened by (step 5): from the misses at that horizon, never less than at a
        shorter horizon nor than over all horizons together."""
        factors = []
        floor = max(1.0, _quantile([r.miss for r in self.rows], level))
        tested = 0
        for h in range(1, horizon + 1):
            at_h = [r.miss for r in self.rows if r.horizon == h]
            if len(at_h) >= MIN_SCORED:
                floor = max(floor, _quantile(at_h, level))
                tested = h
                factors.append(floor)
            else:
                # Too few forecasts this far ahead to tell: errors of a growing series
                # outrun a model's interval with the horizon, so the factor found at the
                # furthest horizon tested grows in proportion beyond it.
                factors.append(floor * h / max(tested, 1))
        return factors

    def calibrated_coverage(self, level: float) -> float | None:
        """Coverage of the past actuals by the widened intervals (in-sample: at least
        `level` by construction)."""
        if not self.rows:
            return None
        factors = self.calibration(level, max(r.horizon for r in self.rows))
        return sum(r.miss <= factors[r.horizon - 1] for r in self.rows) / len(self.rows)

    def mape_at(self, horizon: int) -> float | None:
        errors = [r.error for r in self.rows if r.horizon == horizon and r.error is not None]
        return sum(errors) / len(errors) if errors else None


def _quantile(misses: list[float], level: float) -> float:
    """The split-conformal `level` quantile of `misses` (0 when there are none): the
    ceil((n + 1) * level)-th smallest; with too few for that, the largest with a 25%
    margin. An infinite miss (a zero-width interval that missed) counts as the largest
    finite one doubled."""
    finite = [m for m in misses if math.isfinite(m)]
    if not finite:
        return 0.0
    top = max(finite)
    ordered = sorted(m if math.isfinite(m) else 2 * top for m in misses)
    rank = math.ceil((len(ordered) + 1) * level)
    if rank > len(ordered):
        return ordered[-1] * 1.25
    return ordered[rank - 1]


def min_train(length: int) -> int:
    """Years a method is fitted on at the first origin: eight, fewer for short series so
    that a five-year series still has origins to test."""
    return min(MIN_TRAIN, max(3, length - 3))


def candidates(length: int) -> list[Method]:
    first = min_train(length)
    return [m for m in METHODS if m.min_points <= first]


def origins(
    filled: Filled, *, first: int | None = None, most: int | None = MAX_ORIGINS
) -> list[int]:
    """Indexes of the observed years a forecast is made from: from the `first`-th year
    (default min_train) to the last but one observed, the `most` most recent."""
    first = first or min_train(len(filled.values))
    last_seen = max(i for i, seen in enumerate(filled.observed) if seen)
    found = [i for i, seen in enumerate(filled.observed) if seen and first - 1 <= i < last_seen]
    return found[-most:] if most else found


def score_method(
    filled: Filled, method: Method, points: list[int], *, horizon: int, level: float
) -> MethodScore:
    """One method's forecasts from each origin in `points`, scored (steps 1-3)."""
    score = MethodScore(method.key)
    for i in points:
        steps = min(horizon, len(filled.values) - 1 - i)
        try:
            bands = method.fit(filled.values[: i + 1], filled.observed[: i + 1], steps, level)
        except MethodUnavailable:
            return MethodScore(method.key, unavailable=True)
        for h, (value, lower, upper) in enumerate(bands, start=1):
            j = i + h
            if not filled.observed[j]:
                continue
            score.rows.append(
                Scored(
                    origin=filled.period_ends[i],
                    horizon=h,
                    period_end=filled.period_ends[j],
                    actual=filled.values[j],
                    value=value,
                    lower=lower,
                    upper=upper,
                )
            )
    return score


def run(filled: Filled, *, horizon: int, level: float) -> list[MethodScore]:
    """Every candidate's backtest on `filled`, on the same origins (steps 1-3 above)."""
    points = origins(filled)
    return [
        score_method(filled, method, points, horizon=horizon, level=level)
        for method in candidates(len(filled.values))
    ]


def calibration_score(filled: Filled, method: Method, *, horizon: int, level: float) -> MethodScore:
    """The chosen method's forecasts from every origin it can be fitted at (from its
    fourth year, or the years it needs), for calibrating its intervals (step 5): more
    forecasts far ahead than the common origins give."""
    points = origins(filled, first=max(4, method.min_points), most=None)
    score = score_method(filled, method, points, horizon=horizon, level=level)
    return score


def ranked(scores: list[MethodScore]) -> list[MethodScore]:
    """The usable scores, best first (step 4 above); sorting is stable, so on a tie the
    simpler method (earlier in METHODS) comes first."""
    usable = [s for s in scores if not s.unavailable and s.mape is not None]
    return sorted(usable, key=lambda s: round(s.mape, 12))


def widen(band: tuple[float, float, float], factor: float) -> tuple[float, float, float]:
    """The interval widened by `factor` about its forecast, in logs (step 5)."""
    value, lower, upper = band
    centre = math.log1p(value)
    low = centre - factor * (centre - math.log1p(lower))
    high = centre + factor * (math.log1p(upper) - centre)
    return value, max(0.0, math.expm1(low)), math.expm1(high)
