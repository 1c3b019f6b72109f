"""Forecasting from the force's own records: the stock-and-flow model on real nominals."""

import datetime as dt

from vigil.accounts.choices import Rank, Role
from vigil.core.testing import make_user
from vigil.demand.choices import ForecastSource
from vigil.demand.models import Forecast
from vigil.demand.records import establishment, force_records
from vigil.demand.services.forecasts import forecast_from_records
from vigil.offenders import services as offenders
from vigil.people import services as people_services


def _nominals(people, starts):
    sergeant = make_user(Role.SUPERVISOR, people.team, rank=Rank.SERGEANT)
    for n, (start, disposal, months) in enumerate(starts):
        person = people_services.person_create(
            actor=sergeant,
            team=people.team,
            given_name=f"Dewi{n}",
            family_name="Morgan",
            date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=97 * n),
            confirm_not_duplicate=True,
        )
        nominal = offenders.nominal_register(
            actor=sergeant, person=person, team=people.team, offender_manager=people.officer
        )
        offenders.requirement_add(
            actor=sergeant,
            nominal=nominal,
            start_date=start,
            disposal=disposal,
            custodial_months=months,
        )
    return sergeant


def test_it_forecasts_registrations_stock_and_staff_from_the_records(people):
    # Two a year from 2018 to 2026, one of each year with a caution (two years' notification).
    starts = []
    for year in range(2018, 2027):
        starts.append((dt.date(year, 6, 1), "imprisonment", 36))  # indefinite
        starts.append((dt.date(year, 7, 1), "caution", None))
    _nominals(people, starts[:-1])  # the 2026 caution is still to come
    records = force_records(people.force.pk)
    assert len(records) == 17
    assert sum(r.ends_on is None for r in records) == 9
    # The team's supervisor (conftest) and the sergeant made here.
    assert establishment(people.force.pk) == {"officers": 1, "supervisors": 2}

    forecast = forecast_from_records(actor=people.analyst, force=people.force, title="Our nominals")
    saved = Forecast.objects.get()
    assert saved.pk == forecast.pk and saved.source == ForecastSource.RECORDS
    # Years ending 31 March 2019 to 2026; the first holds everyone before it: not a flow.
    history = saved.staffing["history"]
    assert [h["period_end"][:4] for h in history] == [str(y) for y in range(2019, 2027)]
    assert [p["value"] for p in saved.series] == [2.0] * 7
    years = saved.staffing["years"]
    assert [y["period_end"] for y in years] == [f"{y}-03-31" for y in range(2027, 2032)]
    assert all(y["lower"] <= y["stock"] <= y["upper"] for y in years)
    assert all(y["need"]["officers"] >= 1 for y in years)
    assert saved.staffing["establishment"] == {"officers": 1, "supervisors": 2}
    assert "demand.abstraction_percent" in saved.policies
