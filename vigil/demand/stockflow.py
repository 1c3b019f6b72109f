"""The stock-and-flow model of the managed population, and the staff it needs.

Pure functions over plain records (no database): `records.py` reads the force's
nominals into `Record`s. Steps:

1. Year ends are 31 March (the MAPPA annual reports' year). For each past year end the
   stock is the nominals registered by then, not yet past the end of their notification
   requirements, and not otherwise gone (ended early, died, moved out).
2. New registrations each year are forecast from their own history (forecasting.forecast,
   the method chosen by backtest, with its interval).
3. The nominals on the register now leave when their notification ends (known from the
   end dates; an indefinite requirement never ends by date) and at the observed rate of
   other exits (exits before the end date, over the stock, averaged over the years).
4. Each year's stock = those still there from today's + the new registrations of the
   years so far, each thinned by the other-exit rate for the years since (their end
   dates lie beyond the horizon for most notification periods: this is stated as an
   assumption). The interval comes from the registrations' interval.
5. Stock by risk level: today's shares of the assessed nominals by risk level.
6. Hours a year = stock of each level × that level's hours; offender managers = hours /
   (contracted hours × (1 − abstractions)); supervisors = managers / the ratio. Staff
   are rounded up: a part of a post is a post to fill.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from vigil.demand.forecasting import Point

LEVELS = ("very_high", "high", "medium", "low")


@dataclass(frozen=True)
class Record:
    registered_on: dt.date
    ends_on: dt.date | None  # None: indefinite (or not yet known)
    left_on: dt.date | None  # left before the end of notification (ended early, died...)
    risk_level: str  # "" when not yet assessed


@dataclass(frozen=True)
class Staffing:
    hours: dict[str, float]  # risk level -> hours a year per nominal
    officer_hours: float
    abstraction: float  # a fraction
    officers_per_supervisor: float


def year_end(year: int) -> dt.date:
    return dt.date(year, 3, 31)


def last_year_end(today: dt.date) -> dt.date:
    return year_end(today.year if today >= year_end(today.year) else today.year - 1)


def _there(r: Record, day: dt.date) -> bool:
    return (
        r.registered_on <= day
        and (r.ends_on is None or r.ends_on > day)
        and (r.left_on is None or r.left_on > day)
    )


def history(records: list[Record], today: dt.date) -> list[dict]:
    """Stock, registrations and exits each past year end (step 1)."""
    if not records:
        return []
    last = last_year_end(today)
    first = min(r.registered_on for r in records)
    first_end = year_end(first.year if first <= year_end(first.year) else first.year + 1)
    out = []
    for year in range(first_end.year, last.year + 1):
        end, start = year_end(year), year_end(year - 1)
        out.append(
            {
                "period_end": end.isoformat(),
                "stock": sum(_there(r, end) for r in records),
                "registrations": sum(start < r.registered_on <= end for r in records),
                "ended": sum(r.ends_on is not None and start < r.ends_on <= end for r in records),
                "left": sum(r.left_on is not None and start < r.left_on <= end for r in records),
            }
        )
    return out


def other_exit_rate(rows: list[dict]) -> float:
    """Exits before the end of notification a year, over the stock at the start of the
    year, over the whole history (step 3)."""
    left = sum(row["left"] for row in rows[1:])
    stock = sum(row["stock"] for row in rows[:-1])
    return left / stock if stock else 0.0


def registrations_series(rows: list[dict]) -> list[Point]:
    """New registrations a year, without the first year (it holds everyone registered
    before the records began)."""
    return [Point(dt.date.fromisoformat(r["period_end"]), r["registrations"]) for r in rows[1:]]


def risk_shares(records: list[Record], day: dt.date) -> dict[str, float]:
    """Today's share of each risk level among the assessed nominals there (step 5);
    all low when nobody has been assessed."""
    counts = dict.fromkeys(LEVELS, 0)
    for r in records:
        if _there(r, day) and r.risk_level in counts:
            counts[r.risk_level] += 1
    total = sum(counts.values())
    if not total:
        return {level: float(level == "low") for level in LEVELS}
    return {level: counts[level] / total for level in LEVELS}


def staff_needed(stock: float, shares: dict[str, float], staffing: Staffing) -> dict:
    """Hours, offender managers and supervisors for a stock (step 6)."""
    hours = sum(stock * shares[level] * staffing.hours[level] for level in LEVELS)
    available = staffing.officer_hours * (1 - staffing.abstraction)
    officers = hours / available if available > 0 else 0.0
    return {
        "hours": round(hours, 1),
        "officers": math.ceil(round(officers, 6)),
        "supervisors": math.ceil(round(officers / staffing.officers_per_supervisor, 6)),
    }


def project(
    records: list[Record],
    *,
    today: dt.date,
    registrations: list[dict],
    exit_rate: float,
    staffing: Staffing,
) -> list[dict]:
    """Each forecast year's stock with its interval, by risk level, and the staff it
    needs (steps 3-6). `registrations` are the forecast rows (value, lower, upper)."""
    now = last_year_end(today)
    shares = risk_shares(records, today)
    out = []
    for h, row in enumerate(registrations, start=1):
        end = year_end(now.year + h)
        staying = (
            sum(_there(r, now) and (r.ends_on is None or r.ends_on > end) for r in records)
            * (1 - exit_rate) ** h
        )
        bands = {}
        for key in ("value", "lower", "upper"):
            new = sum(
                registrations[k - 1][key] * (1 - exit_rate) ** (h - k) for k in range(1, h + 1)
            )
            bands[key] = round(staying + new, 1)
        out.append(
            {
                "period_end": end.isoformat(),
                "stock": bands["value"],
                "lower": bands["lower"],
                "upper": bands["upper"],
                "registrations": row["value"],
                "by_risk": {level: round(bands["value"] * shares[level], 1) for level in LEVELS},
                "need": staff_needed(bands["value"], shares, staffing),
                "need_lower": staff_needed(bands["lower"], shares, staffing),
                "need_upper": staff_needed(bands["upper"], shares, staffing),
            }
        )
    return out
