"""Yearly series for the demand tests, made here (no published data in the tests)."""

from __future__ import annotations

import datetime as dt
import math
import random

from vigil.demand.forecasting import Point


def yearly(values, *, first_year=2005, skip=()) -> list[Point]:
    return [
        Point(dt.date(first_year + i, 3, 31), float(v))
        for i, v in enumerate(values)
        if first_year + i not in skip
    ]


def rso_like(seed: int, years: int = 20, start: float = 30000) -> list[Point]:
    """Shaped like registered sex offender counts in England and Wales: growing about
    4-6% a year, the growth itself drifting, with a little noise."""
    r = random.Random(seed)
    growth = r.uniform(0.04, 0.06)
    value = start
    out = []
    for i in range(years):
        growth = max(0.0, min(0.09, growth + r.gauss(0, 0.01)))
        value *= (1 + growth) * math.exp(r.gauss(0, 0.01))
        out.append(Point(dt.date(2004 + i, 3, 31), round(value)))
    return out


def csv_bytes(rows) -> bytes:
    return ("period_end,value\n" + "".join(f"{d},{v}\n" for d, v in rows)).encode()
