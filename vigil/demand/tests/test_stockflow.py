import datetime as dt

import pytest

from vigil.demand import stockflow
from vigil.demand.stockflow import Record, Staffing

D = dt.date
PLAN = Staffing(
    hours={"very_high": 60, "high": 36, "medium": 20, "low": 10},
    officer_hours=1000,
    abstraction=0.2,
    officers_per_supervisor=4,
)


def test_history_counts_stock_registrations_and_both_kinds_of_exit_at_each_31_march():
    records = [
        Record(D(2020, 6, 1), None, None, "high"),
        Record(D(2020, 7, 1), D(2022, 7, 1), None, "low"),  # notification ends
        Record(D(2021, 5, 1), None, D(2022, 1, 10), ""),  # left early
        Record(D(2022, 4, 1), D(2032, 4, 1), None, "medium"),
    ]
    rows = stockflow.history(records, D(2023, 6, 1))
    assert [r["period_end"] for r in rows] == ["2021-03-31", "2022-03-31", "2023-03-31"]
    assert [r["stock"] for r in rows] == [2, 2, 2]
    assert [r["registrations"] for r in rows] == [2, 1, 1]
    assert [(r["ended"], r["left"]) for r in rows] == [(0, 0), (0, 1), (1, 0)]
    # One early exit over the stock at the start of the two later years.
    assert stockflow.other_exit_rate(rows) == pytest.approx(1 / 4)
    # The first year holds everyone registered before the records began: not a flow.
    assert [p.value for p in stockflow.registrations_series(rows)] == [1, 1]


def test_projection_keeps_known_end_dates_adds_forecast_registrations_and_staffs_it():
    today = D(2026, 6, 1)
    records = [Record(D(2015, 1, 1), None, None, "high")] * 10 + [
        Record(D(2016, 1, 1), D(2027, 6, 1), None, "low")
    ] * 10
    forecast = [{"value": 5.0, "lower": 3.0, "upper": 8.0}] * 3
    years = stockflow.project(
        records, today=today, registrations=forecast, exit_rate=0.0, staffing=PLAN
    )
    assert [y["period_end"] for y in years] == ["2027-03-31", "2028-03-31", "2029-03-31"]
    # The ten low-risk nominals' notification ends in June 2027: gone by March 2028.
    assert [y["stock"] for y in years] == [25.0, 20.0, 25.0]
    assert [(y["lower"], y["upper"]) for y in years[:1]] == [(23.0, 28.0)]
    # Half high, half low today: 25 × (0.5 × 36 + 0.5 × 10) = 575 hours; 800 a officer.
    assert years[0]["by_risk"] == {"very_high": 0.0, "high": 12.5, "medium": 0.0, "low": 12.5}
    assert years[0]["need"] == {"hours": 575.0, "officers": 1, "supervisors": 1}


def test_other_exits_thin_the_stock_each_year():
    records = [Record(D(2015, 1, 1), None, None, "medium")] * 100
    years = stockflow.project(
        records,
        today=D(2026, 6, 1),
        registrations=[{"value": 0.0, "lower": 0.0, "upper": 0.0}] * 2,
        exit_rate=0.1,
        staffing=PLAN,
    )
    assert [y["stock"] for y in years] == [90.0, 81.0]
    assert years[1]["need"]["officers"] == 3  # 81 × 20 h = 1,620 h over 800 h: 2.03, so 3


def test_nobody_assessed_counts_as_low_risk():
    shares = stockflow.risk_shares([Record(D(2020, 1, 1), None, None, "")], D(2026, 1, 1))
    assert shares == {"very_high": 0.0, "high": 0.0, "medium": 0.0, "low": 1.0}
