"""Trends of the evidence metrics: a metric's figures at a sensible grain over a chosen
range (weekly up to a year, monthly beyond), from the daily snapshots, with any day
whose snapshot is missing computed as of that day (never shown as zero), and the policy
changes that fell in the range.

Aggregates only, per force (None: every force added up), like the rest of the module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from vigil.assurance import metrics, selectors

# The ranges a user may choose, in months, and the one shown when none is chosen.
RANGES = {
    "3m": (3, _("3 months")),
    "1y": (12, _("1 year")),
    "2y": (24, _("2 years")),
    "5y": (60, _("5 years")),
}
DEFAULT_RANGE = "1y"
WEEKLY_UP_TO_MONTHS = 12


@dataclass(frozen=True)
class PolicyMark:
    when: dt.date
    label: str


@dataclass
class Series:
    """One metric's figures at each date of the grain, oldest first."""

    metric: metrics.Metric
    days: list[selectors.Day]

    @property
    def has_cases(self) -> bool:
        return any(d.denominator for d in self.days)


def grain_dates(end: dt.date, months: int) -> list[dt.date]:
    """The dates of the trend ending at `end` over `months`, oldest first: every Sunday up
    to a year, every month's last day beyond, and `end` itself. The dates are fixed in the
    calendar (not counted back from `end`), so the stored snapshots of those days serve
    every as-of date (see `stored_dates`)."""
    start = end - relativedelta(months=months)
    out = {end}
    if months <= WEEKLY_UP_TO_MONTHS:
        day = end - dt.timedelta(days=(end.weekday() + 1) % 7)  # the Sunday on or before
        while day > start:
            out.add(day)
            day -= dt.timedelta(days=7)
    else:
        day = end.replace(day=1) - dt.timedelta(days=1)  # the last day of the month before
        while day > start:
            out.add(day)
            day = day.replace(day=1) - dt.timedelta(days=1)
    return sorted(out)


def stored_dates(start: dt.date, end: dt.date, *, daily_days: int = 7) -> list[dt.date]:
    """The days whose snapshots a history needs for every trend to read from storage: every
    Sunday and every month's last day from `start` to `end`, and the last `daily_days`
    days (the sweep stores every day from then on)."""
    out = {
        end - dt.timedelta(days=n) for n in range(daily_days) if end - dt.timedelta(days=n) >= start
    }
    day = start
    while day <= end:
        if day.weekday() == 6 or (day + dt.timedelta(days=1)).day == 1:
            out.add(day)
        day += dt.timedelta(days=1)
    return sorted(out)


def grain_label(months: int) -> str:
    return str(_("weekly") if months <= WEEKLY_UP_TO_MONTHS else _("monthly"))


def series(
    keys: list[str], dates: list[dt.date], *, force=None, compute_missing: bool = True
) -> dict[str, Series]:
    """Each metric's figures at `dates`: the stored snapshots (one query), and for a date
    without one, the figures computed as of that date (one grouped query per metric and
    missing date; with `compute_missing` False those dates are left out)."""
    stored = (
        selectors.snapshots(keys, start=min(dates), end=max(dates), force=force, days=dates)
        if dates
        else {k: [] for k in keys}
    )
    out = {}
    force_ids = None
    for key in keys:
        metric = metrics.get_metric(key)
        by_day = {d.as_of: d for d in stored.get(key, [])}
        days = []
        for day in dates:
            if day in by_day:
                days.append(by_day[day])
                continue
            if not compute_missing or metric is None or not metric.measurable:
                continue
            window = metrics.window_for(day)
            if force is not None:
                result = metrics.compute(metric, window, force=force)
                days.append(selectors.Day(day, result.numerator, result.denominator, result.status))
                continue
            if force_ids is None:
                from vigil.accounts.models import Force

                force_ids = list(Force.objects.values_list("pk", flat=True))
            counts = metrics.compute_by_force(metric, window, force_ids).values()
            n = sum(c[0] or 0 for c in counts)
            d = sum(c[1] or 0 for c in counts)
            days.append(
                selectors.Day(day, n, d, metrics.rag(n, d, metrics.thresholds_at(window.moment)))
            )
        out[key] = Series(metric, days)
    return out


def policy_marks(start: dt.date, end: dt.date) -> list[PolicyMark]:
    """The policy changes taking effect in the range (one query): a change of a threshold,
    a period or a target moves the figures, so the chart marks it."""
    from django.utils import timezone

    from vigil.core.models import PolicyOverride
    from vigil.core.policy_registry import get_policy

    marks = []
    for key, when in (
        PolicyOverride.objects.filter(effective_from__date__gt=start, effective_from__date__lte=end)
        .order_by("effective_from", "pk")
        .values_list("key", "effective_from")
    ):
        try:
            label = str(get_policy(key).label)
        except LookupError:
            label = key
        marks.append(PolicyMark(timezone.localtime(when).date(), label))
    return marks
