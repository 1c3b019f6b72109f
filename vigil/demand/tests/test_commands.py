import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vigil.demand.management.commands.demand import Command
from vigil.demand.tests.series import csv_bytes

ROWS = [(f"{2012 + i}-03-31", round(40000 * 1.05**i)) for i in range(8)]


@pytest.fixture
def history(tmp_path):
    def write(rows):
        path = tmp_path / "history.csv"
        path.write_bytes(csv_bytes(rows))
        return str(path)

    return write


def test_it_prints_the_forecast_as_the_issue_specifies(db, history, capsys):
    call_command("demand", "forecast", "--history", history(ROWS), "--horizon", "5", "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["origin"] == "2019-03-31"
    assert document["method"] in {"naive", "drift", "linear"}
    assert document["interval"] == 0.9
    assert [r["period_end"] for r in document["forecast"]] == [
        f"{y}-03-31" for y in range(2020, 2025)
    ]
    first = document["forecast"][0]
    assert set(first) == {"period_end", "value", "lower", "upper"}
    assert first["lower"] < first["value"] < first["upper"]
    assert first["value"] == pytest.approx(40000 * 1.05**8, rel=0.01)
    assert {"methods", "rows", "origins", "calibration"} <= set(document["backtest"])
    assert all(
        {"origin", "horizon", "error", "covered"} <= set(r) for r in document["backtest"]["rows"]
    )


def test_the_horizon_defaults_to_the_policy_and_text_output_names_the_method(db, history, capsys):
    call_command("demand", "forecast", "--history", history(ROWS))
    out = capsys.readouterr().out
    assert "Forecast from 2019-03-31 by " in out
    assert out.count("-03-31  ") == 5
    assert "<- chosen" in out


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [*ROWS[:3], ("2015-13-31", 5), *ROWS[4:]],
            "Line 5: period_end “2015-13-31” is not a date",
        ),
        ([*ROWS[:2], ("2014-03-31", -1), *ROWS[3:]], "Line 4: value -1 is negative"),
        (ROWS[:4], "at least 5 years are needed"),
        ([*ROWS, ("2019-12-31", 9)], "Line 10: the year 2019 is already given on line 9"),
    ],
)
def test_bad_input_is_refused_naming_the_row_with_a_non_zero_exit(
    db, history, rows, message, capsys
):
    path = history(rows)
    with pytest.raises(CommandError, match=message):
        call_command("demand", "forecast", "--history", path, "--json")
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["vigil", "demand", "--skip-checks", "forecast", "--history", path, "--json"]
        )
    assert exited.value.code == 1
    assert message.split(": ", 1)[-1][:20] in capsys.readouterr().err


def test_a_missing_file_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("demand", "forecast", "--history", str(tmp_path / "none.csv"))


def test_without_a_database_the_policies_defaults_are_used(history, capsys, monkeypatch):
    from django.db import DatabaseError

    from vigil.demand.management.commands import demand

    def no_database(key, **kwargs):
        raise DatabaseError("unable to open database file")

    monkeypatch.setattr(demand, "policy_value", no_database)
    call_command("demand", "forecast", "--history", history(ROWS), "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["interval"] == 0.9 and len(document["forecast"]) == 5
