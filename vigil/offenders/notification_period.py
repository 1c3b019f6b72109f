"""The notification period: Sexual Offences Act 2003, section 82 (and the review rule of
sections 91A-91F for indefinite notification).

One pure function, `notification_period(...)`, with no database and no clock, so that it
can be checked row by row against the statute's table:

| s82 table row (description of relevant offender)                    | period       |
|---------------------------------------------------------------------|--------------|
| imprisonment for life or for a term of 30 months or more            | indefinite   |
| admitted to hospital subject to a restriction order                 | indefinite   |
| imprisonment for a term of more than 6 months but less than 30      | 10 years     |
| imprisonment for a term of 6 months or less                         | 7 years      |
| admitted to hospital without being subject to a restriction order   | 7 years      |
| cautioned                                                           | 2 years      |
| conditional discharge                                               | the period of conditional discharge |
| any other description (community order, fine, ...)                  | 5 years      |

s82(2): for a person under 18 on the relevant date, a reference to 10, 7, 5 or 2 years is
read as one half of that period. The statute halves only those four periods: an
indefinite period stays indefinite and the period of a conditional discharge is not
halved (it is already the court's own period).

The period begins with the relevant date (the `start` here) and so ends the day before
the same date `months` later. For indefinite notification the person may apply for a
review after 15 years (8 years if under 18 on the relevant date); Vigil counts these from
the notification start date, the earliest date the clock can run from.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from vigil.offenders.choices import Disposal

INDEFINITE_TERM_MONTHS = 30  # a term of 30 months or more: indefinite
SHORT_TERM_MONTHS = 6  # a term of 6 months or less: 7 years
REVIEW_AFTER_YEARS_ADULT = 15
REVIEW_AFTER_YEARS_JUVENILE = 8


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when that month is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class NotificationPeriod:
    """The result: `months` is None for indefinite notification."""

    months: int | None
    end_date: dt.date | None
    review_date: dt.date | None
    halved: bool

    @property
    def indefinite(self) -> bool:
        return self.months is None


def period_months(
    disposal: str,
    *,
    custodial_months: int | None = None,
    discharge_months: int | None = None,
    under_18: bool = False,
) -> tuple[int | None, bool]:
    """(months or None for indefinite, whether the s82(2) halving applied).

    Raises ValueError when the disposal needs a term or period that is missing or not
    positive.
    """
    if disposal == Disposal.IMPRISONMENT:
        if custodial_months is None or custodial_months <= 0:
            raise ValueError("imprisonment needs the term in months")
        if custodial_months >= INDEFINITE_TERM_MONTHS:
            return None, False
        years = 10 if custodial_months > SHORT_TERM_MONTHS else 7
    elif disposal == Disposal.HOSPITAL_RESTRICTED:
        return None, False
    elif disposal == Disposal.HOSPITAL:
        years = 7
    elif disposal == Disposal.CAUTION:
        years = 2
    elif disposal == Disposal.CONDITIONAL_DISCHARGE:
        if discharge_months is None or discharge_months <= 0:
            raise ValueError("a conditional discharge needs its period in months")
        return discharge_months, False
    elif disposal == Disposal.OTHER:
        years = 5
    else:
        raise ValueError(f"unknown disposal {disposal!r}")
    months = years * 12
    return (months // 2, True) if under_18 else (months, False)


def notification_period(
    disposal: str,
    *,
    start: dt.date,
    custodial_months: int | None = None,
    discharge_months: int | None = None,
    under_18: bool = False,
) -> NotificationPeriod:
    """The notification period for `disposal` starting on `start` (the relevant date).

    Steps: the period in months from the s82 table (halved under s82(2) for a person under
    18 on the relevant date); the end date is the day before `start` plus that many
    months; for an indefinite period, no end date but the date a review can be sought
    (15 years after `start`, 8 for a person under 18).
    """
    months, halved = period_months(
        disposal,
        custodial_months=custodial_months,
        discharge_months=discharge_months,
        under_18=under_18,
    )
    if months is None:
        years = REVIEW_AFTER_YEARS_JUVENILE if under_18 else REVIEW_AFTER_YEARS_ADULT
        return NotificationPeriod(None, None, add_months(start, years * 12), False)
    return NotificationPeriod(
        months, add_months(start, months) - dt.timedelta(days=1), None, halved
    )
