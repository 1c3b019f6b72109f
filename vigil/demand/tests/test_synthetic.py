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


def test_every_force_gets_its_forecasts(people):
    from vigil.accounts.choices import Role, TeamKind
    from vigil.core.testing import make_force, make_team, make_user

    third = make_force("dyfed", "Dyfed-Powys Police")
    make_user(Role.ANALYST, make_team(third, name="MOSOVO West", kind=TeamKind.MOSOVO))
    nobody = make_force("nwales", "North Wales Police")
    make_user(Role.OFFICER, make_team(nobody, name="MOSOVO North", kind=TeamKind.MOSOVO))
    forces = [people.force, people.other_force, third, nobody]
    assert generate_forecasts(forces=forces, seed=2) == 6
    assert {len(f.series) for f in Forecast.objects.exclude(force=people.force)} == {12}
    counts = {f.code: Forecast.objects.filter(force=f).count() for f in forces}
    # A force with nobody who may run a forecast has none; every other has two.
    assert counts == {people.force.code: 2, people.other_force.code: 2, "dyfed": 2, "nwales": 0}
    assert {d.team.force_id for d in Duty.objects.filter(kind="demand.refresh")} == {
        people.force.pk,
        people.other_force.pk,
        third.pk,
    }
