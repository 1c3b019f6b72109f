import datetime as dt
import math

import pytest

from vigil.core.imports import FileRejected
from vigil.demand.forecasting import parse_csv
from vigil.demand.forecasting.series import fill_gaps
from vigil.demand.tests.series import csv_bytes, yearly

GOOD = [(f"{2010 + i}-03-31", 1000 + 50 * i) for i in range(6)]


def _problems(content: bytes) -> list[tuple[int, str]]:
    with pytest.raises(FileRejected) as caught:
        parse_csv(content)
    return caught.value.problems


def test_it_reads_a_series_oldest_first_with_or_without_a_byte_order_mark():
    rows = list(reversed(GOOD))
    points = parse_csv(b"\xef\xbb\xbf" + csv_bytes(rows))
    assert [p.period_end for p in points] == [dt.date(2010 + i, 3, 31) for i in range(6)]
    assert points[0].value == 1000.0


def test_it_names_the_row_of_a_date_that_is_not_a_date():
    rows = [*GOOD]
    rows[2] = ("31/03/2012", 1100)
    assert _problems(csv_bytes(rows)) == [
        (4, "period_end “31/03/2012” is not a date written as YYYY-MM-DD")
    ]


def test_it_names_the_row_of_a_negative_count_and_of_a_non_number():
    rows = [*GOOD]
    rows[0] = ("2010-03-31", -5)
    rows[4] = ("2014-03-31", "many")
    problems = _problems(csv_bytes(rows))
    assert [line for line, _m in problems] == [2, 6]
    assert "negative" in problems[0][1]
    assert "not a number" in problems[1][1]


def test_it_refuses_a_year_given_twice_naming_both_rows():
    rows = [*GOOD, ("2012-09-30", 1200)]
    assert _problems(csv_bytes(rows)) == [
        (8, "the year 2012 is already given on line 4: one row a year")
    ]


def test_it_needs_at_least_five_years():
    problems = _problems(csv_bytes(GOOD[:4]))
    assert problems == [(5, "the series has 4 rows: at least 5 years are needed")]


def test_it_needs_both_columns():
    assert _problems(b"year,count\n2010,1\n")[0][0] == 1


def test_it_fills_a_missing_year_geometrically_and_says_which():
    filled = fill_gaps(yearly([100, 400, 1600], skip={2006}))
    assert filled.period_ends == [dt.date(2005, 3, 31), dt.date(2006, 3, 31), dt.date(2007, 3, 31)]
    assert filled.observed == [True, False, True]
    assert filled.filled_years == [dt.date(2006, 3, 31)]
    # Halfway in log(1 + value): the geometric mean of 101 and 1601, less one.
    assert math.isclose(filled.values[1], math.sqrt(101 * 1601) - 1)
