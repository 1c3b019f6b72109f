"""`vigil demand forecast --history FILE.csv [--horizon 5] [--json]`: forecast a yearly
series of counts (columns `period_end,value`) with its prediction interval, the method
chosen by backtest on the series itself (docs/demand-forecast.md)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from vigil.core.imports import FileRejected
from vigil.core.policy_registry import get_policy, policy_value
from vigil.demand import forecasting, policies


def _policy(key: str):
    """The policy in force; its declared default where there is no database to read (an
    analyst forecasting a published series on a machine with no Vigil installed)."""
    try:
        return policy_value(key)
    except DatabaseError:
        return get_policy(key).default


class Command(BaseCommand):
    help = "Demand forecast tools: `forecast --history FILE.csv [--horizon N] [--json]`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        fc = actions.add_parser("forecast", help="Forecast a yearly series (period_end,value).")
        fc.add_argument("--history", required=True, help="CSV file: period_end,value a row.")
        fc.add_argument("--horizon", type=int, default=None, help="Years ahead (default: policy).")
        fc.add_argument("--json", action="store_true", help="Print the forecast as JSON.")

    def handle(self, *args, action, **options):
        path = Path(options["history"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        horizon = options["horizon"] or int(_policy(policies.HORIZON))
        if not 1 <= horizon <= 10:
            raise CommandError("--horizon must be from 1 to 10 years.")
        level = _policy(policies.INTERVAL) / 100
        try:
            points = forecasting.parse_csv(content)
        except FileRejected as exc:
            lines = "\n".join(str(m) for _f, m in exc.errors)
            raise CommandError(f"{path}: nothing was forecast.\n{lines}") from exc
        result = forecasting.forecast(points, horizon=horizon, level=level)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), indent=2))
            return
        self._table(result)

    def _table(self, result):
        chosen = next(m for m in result.backtest["methods"] if m["chosen"])
        self.stdout.write(
            f"Forecast from {result.origin.isoformat()} by {result.method} "
            f"(backtest MAPE {chosen['mape']:.1%}, "
            f"{int(result.interval * 100)}% interval):"
        )
        for row in result.forecast:
            self.stdout.write(
                f"  {row['period_end']}  {row['value']:>12,.1f}  "
                f"({row['lower']:,.1f} to {row['upper']:,.1f})"
            )
        if result.filled_years:
            years = ", ".join(d.isoformat() for d in result.filled_years)
            self.stdout.write(f"Missing years interpolated (in logs): {years}")
        self.stdout.write("Backtest (mean absolute % error, interval coverage):")
        for m in result.backtest["methods"]:
            if not m["available"] or m["mape"] is None:
                self.stdout.write(f"  {m['method']:<7} could not be fitted at every origin")
                continue
            mark = " <- chosen" if m["chosen"] else ""
            self.stdout.write(
                f"  {m['method']:<7} {m['mape']:>7.1%} {m['coverage']:>7.0%}"
                f" over {m['forecasts']} forecasts{mark}"
            )
