import datetime as dt

import pytest
import time_machine

from vigil.audit.models import AuditEvent
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.demand.choices import ForecastSource
from vigil.demand.models import Forecast
from vigil.demand.services.forecasts import forecast_create
from vigil.demand.tests.series import yearly
from vigil.duties.models import Duty

SERIES = yearly([100 * 1.06**i for i in range(7)])


def _create(actor, force, **kwargs):
    values = {"title": "Registered offenders", "source": ForecastSource.SERIES, "points": SERIES}
    values.update(kwargs)
    return forecast_create(actor=actor, force=force, **values)


@pytest.mark.parametrize("who", ["manager", "analyst"])
def test_it_saves_the_forecast_with_its_inputs_audits_it_and_opens_the_refresh_duty(people, who):
    actor = getattr(people, who)
    forecast = _create(actor, people.force)
    saved = Forecast.objects.get()
    assert saved.pk == forecast.pk and saved.created_by == actor and saved.team == people.team
    assert saved.origin == dt.date(2011, 3, 31) and saved.horizon == 5
    assert saved.interval == 0.9 and saved.method == saved.result["method"]
    assert saved.backtest_mape is not None
    assert len(saved.series) == 7 and saved.series[0] == {
        "period_end": "2005-03-31",
        "value": 100.0,
    }
    assert saved.policies["demand.refresh_months"] == {
        "value": 12,
        "unit": "months",
        "source": "hmicfrs",
    }
    event = AuditEvent.objects.get(action="demand.forecast_create")
    assert event.actor_id == actor.pk
    assert event.changes["method"] == saved.method and event.changes["years"] == 7
    duty = Duty.objects.get(kind="demand.refresh")
    assert duty.subject_id == saved.uuid and duty.team == people.team
    assert duty.due_at.date() == dt.date(2027, 11, 2)


def test_a_newer_forecast_completes_the_older_ones_refresh_duty(people):
    first = _create(people.manager, people.force)
    with time_machine.travel("2027-01-05 09:00:00+00:00", tick=False):
        second = _create(people.analyst, people.force)
    duties = {d.subject_id: d for d in Duty.objects.filter(kind="demand.refresh")}
    assert duties[first.uuid].completed_at is not None
    assert duties[second.uuid].completed_at is None
    assert duties[second.uuid].due_at.date() == dt.date(2028, 1, 5)


def test_the_assurance_office_reads_but_cannot_run(people):
    with pytest.raises(PermissionDenied):
        _create(people.assurance, people.force)
    assert not Forecast.objects.exists()


@pytest.mark.parametrize("who", ["officer", "outsider"])
def test_others_are_told_nothing_exists(people, who):
    with pytest.raises(NotFound):
        _create(getattr(people, who), people.force)
    assert (
        not Forecast.objects.exists()
        and not AuditEvent.objects.filter(action="demand.forecast_create").exists()
    )


def test_a_bad_series_or_title_writes_nothing(people):
    with pytest.raises(ValidationFailed):
        _create(people.manager, people.force, points=SERIES[:4])
    with pytest.raises(ValidationFailed):
        _create(people.manager, people.force, title="  ")
    assert not Forecast.objects.exists() and not Duty.objects.exists()


def test_a_series_no_method_can_fit_is_a_message_and_writes_nothing(people):
    # Every year zero: nothing can be fitted on logs; the user is told, nothing is saved.
    with pytest.raises(ValidationFailed) as refused:
        _create(people.manager, people.force, points=yearly([0] * 7))
    assert refused.value.field == "source"
    assert "No forecasting method" in str(refused.value)
    assert not Forecast.objects.exists() and not Duty.objects.exists()
    assert not AuditEvent.objects.filter(action="demand.forecast_create").exists()
