"""The s82 table, row by row, with the halving for under-18s and the edge months."""

import datetime as dt

import pytest

from vigil.offenders.choices import Disposal
from vigil.offenders.notification_period import add_months, notification_period

START = dt.date(2020, 1, 15)


@pytest.mark.parametrize(
    ("disposal", "custodial", "discharge", "months"),
    [
        # imprisonment for 30 months or more (and life): indefinite
        (Disposal.IMPRISONMENT, 30, None, None),
        (Disposal.IMPRISONMENT, 31, None, None),
        (Disposal.IMPRISONMENT, 600, None, None),
        # hospital order with a restriction order: indefinite
        (Disposal.HOSPITAL_RESTRICTED, None, None, None),
        # more than 6 and less than 30 months: 10 years
        (Disposal.IMPRISONMENT, 7, None, 120),
        (Disposal.IMPRISONMENT, 29, None, 120),
        # 6 months or less: 7 years
        (Disposal.IMPRISONMENT, 6, None, 84),
        (Disposal.IMPRISONMENT, 1, None, 84),
        # hospital order without a restriction order: 7 years
        (Disposal.HOSPITAL, None, None, 84),
        # caution: 2 years
        (Disposal.CAUTION, None, None, 24),
        # conditional discharge: its own period
        (Disposal.CONDITIONAL_DISCHARGE, None, 18, 18),
        # any other disposal (community order, fine): 5 years
        (Disposal.OTHER, None, None, 60),
    ],
)
def test_it_follows_the_s82_table_for_adults(disposal, custodial, discharge, months):
    period = notification_period(
        disposal, start=START, custodial_months=custodial, discharge_months=discharge
    )
    assert period.months == months
    if months is None:
        assert period.end_date is None
        assert period.review_date == dt.date(2035, 1, 15)
    else:
        assert period.end_date == add_months(START, months) - dt.timedelta(days=1)
        assert period.review_date is None


@pytest.mark.parametrize(
    ("disposal", "custodial", "discharge", "months"),
    [
        (Disposal.IMPRISONMENT, 30, None, None),
        (Disposal.HOSPITAL_RESTRICTED, None, None, None),
        (Disposal.IMPRISONMENT, 7, None, 60),
        (Disposal.IMPRISONMENT, 29, None, 60),
        (Disposal.IMPRISONMENT, 6, None, 42),
        (Disposal.HOSPITAL, None, None, 42),
        (Disposal.CAUTION, None, None, 12),
        (Disposal.OTHER, None, None, 30),
        # s82(2) halves 10, 7, 5 and 2 years only: a conditional discharge keeps its period
        (Disposal.CONDITIONAL_DISCHARGE, None, 18, 18),
    ],
)
def test_it_halves_the_fixed_periods_for_a_person_under_18(disposal, custodial, discharge, months):
    period = notification_period(
        disposal, start=START, custodial_months=custodial, discharge_months=discharge, under_18=True
    )
    assert period.months == months
    if months is None:
        assert period.review_date == dt.date(2028, 1, 15)  # 8 years for a juvenile
        assert not period.halved


def test_it_ends_the_day_before_the_anniversary():
    period = notification_period(Disposal.OTHER, start=dt.date(2020, 2, 29))
    assert period.end_date == dt.date(2025, 2, 27)  # 28 Feb 2025 is the anniversary
    assert notification_period(Disposal.CAUTION, start=dt.date(2024, 1, 1)).end_date == dt.date(
        2025, 12, 31
    )


@pytest.mark.parametrize(
    ("disposal", "kwargs"),
    [
        (Disposal.IMPRISONMENT, {}),
        (Disposal.IMPRISONMENT, {"custodial_months": 0}),
        (Disposal.CONDITIONAL_DISCHARGE, {}),
        ("transportation", {}),
    ],
)
def test_it_refuses_a_disposal_without_its_term(disposal, kwargs):
    with pytest.raises(ValueError):
        notification_period(disposal, start=START, **kwargs)
