import datetime as dt

from vigil.audit.models import AuditEvent
from vigil.demand.models import Forecast
from vigil.demand.synthetic import generate_forecasts
from vigil.duties.models import Duty


def test_the_synthetic_force_has_forecasts_with_historical_moments(people):
    assert generate_forecasts(forces=[people.force], seed=1) == 2
    ours = list(Forecast.objects.filter(force=people.force).order_by("created_at"))
    assert [f.created_at.date() for f in ours] == [dt.date(2025, 9, 3), dt.date(2026, 8, 2)]
    events = AuditEvent.objects.filter(action="demand.forecast_create").order_by("id")
    assert events.count() == 2
    duties = {d.subject_id: d for d in Duty.objects.filter(kind="demand.refresh")}
    assert duties[ours[0].uuid].completed_at is not None
    assert duties[ours[1].uuid].completed_at is None
    # No nominals in this force: the published-like series was used.
    assert all(f.source == "series" and len(f.series) == 18 for f in ours)
