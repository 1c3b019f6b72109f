import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.core import calendar, clock

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 12, 25), False),  # Christmas Day, a Friday
        (D(2026, 12, 28), False),  # Boxing Day (substitute), a Monday
        (D(2026, 12, 29), True),
        (D(2026, 12, 26), False),  # Saturday
        (D(2026, 8, 31), False),  # Summer bank holiday (England and Wales; not Scotland's)
        (D(2026, 8, 3), True),  # Scotland's summer bank holiday is a working day here
        (D(2027, 3, 26), False),  # Good Friday 2027
        (D(2026, 11, 30), True),  # St Andrew's Day is not an England and Wales bank holiday
    ],
)
def test_working_days_follow_england_and_wales_bank_holidays(day, expected):
    assert calendar.is_working_day(day) is expected


def test_it_adds_working_days_across_christmas():
    # Thursday 24 December 2026 + 1 working day skips Christmas, the weekend and Boxing Day.
    assert calendar.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert calendar.add_working_days(D(2026, 12, 29), -1) == D(2026, 12, 24)
    assert calendar.add_working_days(D(2026, 12, 24), 0) == D(2026, 12, 24)
    assert calendar.working_days_between(D(2026, 12, 24), D(2026, 12, 31)) == 3


@given(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    st.integers(min_value=0, max_value=60),
)
def test_adding_then_counting_working_days_agree(start, days):
    end = calendar.add_working_days(start, days)
    assert calendar.working_days_between(start, end) == days
    assert calendar.working_days_between(end, start) == -days
    if days:
        assert calendar.is_working_day(end)


def test_day_boundaries_are_in_europe_london():
    summer = calendar.start_of_day(D(2026, 7, 1))
    assert summer.utcoffset() == dt.timedelta(hours=1)
    assert calendar.end_of_day(D(2026, 1, 1)).utcoffset() == dt.timedelta(0)


def test_replay_sets_now_for_a_block_only():
    moment = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)
    with clock.replay(moment):
        assert clock.now() == moment and clock.today() == D(2024, 5, 1)
    assert clock.now() != moment
    with pytest.raises(ValueError), clock.replay(dt.datetime(2024, 5, 1)):
        pass
