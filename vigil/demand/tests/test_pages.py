import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.core.testing import verified_client
from vigil.demand.choices import ForecastSource
from vigil.demand.models import Forecast
from vigil.demand.services.forecasts import forecast_create
from vigil.demand.tests.series import csv_bytes, yearly

SERIES = yearly([1000 * 1.05**i for i in range(7)])
CSV = csv_bytes([(f"{2012 + i}-03-31", round(1000 * 1.05**i)) for i in range(7)])


def _saved(people, title="RSOs"):
    return forecast_create(
        actor=people.manager,
        force=people.force,
        title=title,
        source=ForecastSource.SERIES,
        points=SERIES,
    )


def _pages(forecast):
    return [
        reverse("demand:list"),
        reverse("demand:detail", args=[forecast.uuid]),
        reverse("demand:compare") + f"?forecast={forecast.uuid}&forecast={forecast.uuid}",
        reverse("demand:run"),
        reverse("demand:upload"),
    ]


def test_anonymous_is_sent_to_sign_in(client, people):
    for url in _pages(_saved(people)):
        response = client.get(url)
        assert (
            response.status_code == 302
            and "/login" in response["Location"]
            or "sign" in response["Location"]
        )


def test_an_officer_has_no_forecast_pages(people):
    web = verified_client(people.officer)
    for url in _pages(_saved(people)):
        assert web.get(url).status_code == 403


def test_the_assurance_office_reads_forecasts_but_cannot_run_one(people):
    forecast = _saved(people)
    web = verified_client(people.assurance)
    read, run = _pages(forecast)[:3], _pages(forecast)[3:]
    assert all(web.get(url).status_code == 200 for url in read)
    assert all(web.get(url).status_code == 403 for url in run)


def test_a_mosovo_supervisor_reads_the_forecast_behind_the_refresh_duty_but_cannot_run_one(
    people,
):
    forecast = _saved(people)
    web = verified_client(people.supervisor)
    read, run = _pages(forecast)[:3], _pages(forecast)[3:]
    assert all(web.get(url).status_code == 200 for url in read)
    assert all(web.get(url).status_code == 403 for url in run)


def test_another_forces_forecast_is_not_found(people):
    forecast = _saved(people)
    web = verified_client(people.outsider)
    assert web.get(reverse("demand:detail", args=[forecast.uuid])).status_code == 404
    assert forecast.title not in web.get(reverse("demand:list")).content.decode()


def test_the_forecast_page_shows_chart_numbers_intervals_assumptions_and_backtest(people):
    forecast = _saved(people, title="Registered offenders")
    page = verified_client(people.analyst).get(reverse("demand:detail", args=[forecast.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "History and forecast" in html
    first = forecast.result["forecast"][0]
    assert f"{first['value']:,.0f}" in html and f"{first['lower']:,.0f}" in html
    assert "Refresh the demand forecast at least every" in html and "HMICFRS" in html
    assert "Mean absolute percentage error" in html and "chosen" in html


def test_a_manager_uploads_a_series_and_sees_its_forecast(people):
    web = verified_client(people.manager)
    response = web.post(
        reverse("demand:upload"),
        {"force": people.force.pk, "title": "Published", "file": SimpleUploadedFile("s.csv", CSV)},
    )
    forecast = Forecast.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "demand:detail", args=[forecast.uuid]
    )
    assert forecast.title == "Published" and forecast.source == ForecastSource.SERIES
    assert forecast.created_by == people.manager
    assert (
        AuditEvent.objects.filter(
            action="demand.forecast_create", actor_id=people.manager.pk
        ).count()
        == 1
    )


def test_a_bad_series_lists_its_problems_and_saves_nothing(people):
    bad = CSV.replace(b"2014-03-31", b"2014-31-03")
    response = verified_client(people.manager).post(
        reverse("demand:upload"),
        {"force": people.force.pk, "title": "Published", "file": SimpleUploadedFile("s.csv", bad)},
    )
    assert response.status_code == 422
    assert "“2014-31-03” is not a date" in response.content.decode()
    assert not Forecast.objects.exists()


def test_too_little_history_in_the_records_is_explained(people):
    response = verified_client(people.manager).post(
        reverse("demand:run"), {"force": people.force.pk, "title": "Ours"}
    )
    assert response.status_code == 422
    assert "complete years of registrations" in response.content.decode()
    assert not Forecast.objects.exists()


def test_two_forecasts_side_by_side(people):
    one, two = _saved(people, "First"), _saved(people, "Second")
    page = verified_client(people.assurance).get(
        reverse("demand:compare") + f"?forecast={one.uuid}&forecast={two.uuid}"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "First" in html and "Second" in html
    assert html.count("<svg") == 2


def test_the_list_costs_the_same_queries_however_many_forecasts(people, django_assert_num_queries):
    web = verified_client(people.assurance)
    _saved(people)
    web.get(reverse("demand:list"))  # the session's first request
    one = _count(web)
    for n in range(3):
        _saved(people, f"More {n}")
    with django_assert_num_queries(one):
        html = web.get(reverse("demand:list")).content.decode()
    assert html.count(">More ") == 3


def _count(web):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert web.get(reverse("demand:list")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["manager", "assurance", "supervisor"])
def test_the_navigation_offers_demand_to_its_readers(people, who):
    html = verified_client(getattr(people, who)).get(reverse("demand:list")).content.decode()
    assert reverse("demand:list") in html and ">Demand<" in html


def test_the_forecast_page_is_in_welsh(people):
    forecast = _saved(people)
    web = verified_client(people.assurance)
    html = web.get(
        reverse("demand:detail", args=[forecast.uuid]), HTTP_ACCEPT_LANGUAGE="cy"
    ).content.decode()
    assert "Rhagolwg galw" in html


def test_dates_are_dates(people):
    assert _saved(people).origin == dt.date(2011, 3, 31)
