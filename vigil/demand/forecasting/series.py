"""A yearly series of counts: reading it from CSV, checking it, and filling missing years.

The rule (DESIGN.md): every row is checked first and every problem is reported with its
line; a series with any problem is refused as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vigil.core.imports import FileRejected, Problems, decode_text

MIN_ROWS = 5
COLUMNS = ("period_end", "value")


@dataclass(frozen=True)
class Point:
    period_end: dt.date
    value: float


@dataclass(frozen=True)
class Filled:
    """The series with one value for every year from the first to the last.

    `observed[i]` says whether year i was in the input; missing years are interpolated
    geometrically (straight in logs), because counts grow by a proportion each year.
    """

    period_ends: list[dt.date]
    values: list[float]
    observed: list[bool]

    @property
    def filled_years(self) -> list[dt.date]:
        return [p for p, seen in zip(self.period_ends, self.observed, strict=True) if not seen]


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def parse_csv(content: bytes) -> list[Point]:
    """The points of a `period_end,value` CSV file, oldest first, or FileRejected naming
    every bad line (a non-date, a value that is not a count of zero or more, a year given
    twice, fewer than MIN_ROWS rows)."""
    problems: Problems = []
    text = decode_text(content, problems)
    if text is None:
        raise FileRejected(problems)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise FileRejected(
            [
                (
                    1,
                    _("the first line must name the columns %(columns)s; missing: %(missing)s")
                    % {"columns": ",".join(COLUMNS), "missing": ", ".join(missing)},
                )
            ]
        )
    reader.fieldnames = header
    rows = [(line, row) for line, row in enumerate(reader, start=2)]
    return check_rows(
        [
            (line, (row.get("period_end") or "").strip(), (row.get("value") or "").strip())
            for line, row in rows
        ]
    )


def check_rows(rows: list[tuple[int, str, str]]) -> list[Point]:
    """Check (line, period_end text, value text) rows; return the points oldest first."""
    problems: Problems = []
    points: list[Point] = []
    years: dict[int, int] = {}
    for line, day_text, value_text in rows:
        if not day_text and not value_text:
            continue
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            problems.append(
                (
                    line,
                    _("period_end “%(value)s” is not a date written as YYYY-MM-DD")
                    % {"value": day_text},
                )
            )
            day = None
        try:
            value = float(value_text)
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            problems.append((line, _("value “%(value)s” is not a number") % {"value": value_text}))
            value = None
        else:
            if value < 0:
                problems.append(
                    (
                        line,
                        _("value %(value)s is negative: a count is zero or more")
                        % {"value": value_text},
                    )
                )
        if day is not None:
            if day.year in years:
                problems.append(
                    (
                        line,
                        _("the year %(year)s is already given on line %(line)s: one row a year")
                        % {"year": day.year, "line": years[day.year]},
                    )
                )
            else:
                years[day.year] = line
        if day is not None and value is not None:
            points.append(Point(day, value))
    if not problems and len(points) < MIN_ROWS:
        last = rows[-1][0] if rows else 1
        problems.append(
            (
                last,
                _("the series has %(count)s rows: at least %(minimum)s years are needed")
                % {"count": len(points), "minimum": MIN_ROWS},
            )
        )
    if problems:
        raise FileRejected(problems)
    return sorted(points, key=lambda p: p.period_end)


def fill_gaps(points: list[Point]) -> Filled:
    """One value a year from the first point to the last, oldest first. A missing year
    takes the geometric interpolation of its neighbours (linear in log(1 + value)); its
    period end is the last observed one's day and month in that year."""
    by_year = {p.period_end.year: p for p in points}
    first, last = points[0].period_end.year, points[-1].period_end.year
    period_ends: list[dt.date] = []
    values: list[float] = []
    observed: list[bool] = []
    previous = points[0]
    for year in range(first, last + 1):
        point = by_year.get(year)
        if point is not None:
            period_ends.append(point.period_end)
            values.append(point.value)
            observed.append(True)
            previous = point
            continue
        after = next(by_year[y] for y in range(year + 1, last + 1) if y in by_year)
        span = after.period_end.year - previous.period_end.year
        share = (year - previous.period_end.year) / span
        logged = math.log1p(previous.value) + share * (
            math.log1p(after.value) - math.log1p(previous.value)
        )
        period_ends.append(add_years(previous.period_end, year - previous.period_end.year))
        values.append(math.expm1(logged))
        observed.append(False)
    return Filled(period_ends=period_ends, values=values, observed=observed)
