"""Workload per nominal: the workforce app's weights when they are declared, the demand
policies otherwise."""

import datetime as dt

from vigil.demand import policies
from vigil.demand.models import Forecast
from vigil.demand.services import forecasts as services
from vigil.demand.tests.test_records import _nominals


def test_the_workforce_weights_are_used_when_the_workforce_app_declares_them(people):
    keys = services.staffing_policies()
    assert policies.WORKFORCE_THRESHOLD in keys
    assert not set(policies.HOURS.values()) & set(keys)
    _nominals(people, [(dt.date(year, 6, 1), "caution", None) for year in range(2018, 2026)])
    services.forecast_from_records(actor=people.manager, force=people.force, title="Ours")
    saved = Forecast.objects.get()
    # Every weight the forecast staffed by is kept with its value and source.
    assert saved.policies["workforce.weight.nominal_medium"]["value"] == 4
    assert saved.policies["workforce.threshold.officer"]["value"] == 120
    assert "demand.hours_per_nominal_medium" not in saved.policies
    workload = saved.staffing["workload"]
    # 1,650 hours less 20% abstractions is 1,320 available hours for 120 points: 11 a point.
    assert workload["basis"] == "workforce" and workload["hours_per_point"] == 11.0
    assert workload["hours"] == {"very_high": 132.0, "high": 88.0, "medium": 44.0, "low": 22.0}
    year = saved.staffing["years"][0]
    # Nobody is assessed, so all count as low risk: 22 hours a nominal.
    assert year["need"]["hours"] == round(year["stock"] * 22.0, 1)


def test_the_demand_hours_are_used_without_the_workforce_app(monkeypatch):
    monkeypatch.setattr(policies, "workforce_weight_keys", lambda: [])
    keys = services.staffing_policies()
    assert set(policies.HOURS.values()) <= set(keys)
    values = {
        policies.HOURS["very_high"]: 60,
        policies.HOURS["high"]: 36,
        policies.HOURS["medium"]: 20,
        policies.HOURS["low"]: 10,
        policies.OFFICER_HOURS: 1650,
        policies.ABSTRACTION: 20,
        policies.SUPERVISOR_RATIO: 6,
    }
    hours, workload = services.workload_hours(values)
    assert hours == {"very_high": 60.0, "high": 36.0, "medium": 20.0, "low": 10.0}
    assert workload == {"basis": "demand", "hours": hours}


def test_the_workforce_weights_are_looked_up_by_key_not_imported():
    import ast
    from pathlib import Path

    root = Path(policies.__file__).parent
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("vigil.workforce"), path


def test_the_page_says_which_workload_it_used(people):
    from django.urls import reverse

    from vigil.core.testing import verified_client

    _nominals(people, [(dt.date(year, 6, 1), "caution", None) for year in range(2018, 2026)])
    forecast = services.forecast_from_records(actor=people.manager, force=people.force, title="O")
    html = verified_client(people.manager).get(reverse("demand:detail", args=[forecast.uuid]))
    text = html.content.decode()
    assert "the workforce app&#x27;s workload weight" in text or "workforce app's workload" in text
    assert "Workload of a medium-risk nominal in active management" in text
