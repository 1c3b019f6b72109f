"""Working days in England and Wales: weekends and bank holidays excluded."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (before it when negative).

    Steps: move one calendar day at a time in the direction asked, counting only
    working days, until `days` have been counted. Zero returns `start` unchanged.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 on `day` in Europe/London, as an aware datetime."""
    naive = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def start_of_day(day: dt.date) -> dt.datetime:
    """00:00 on `day` in Europe/London, as an aware datetime."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(0, 0)), timezone.get_default_timezone()
    )
