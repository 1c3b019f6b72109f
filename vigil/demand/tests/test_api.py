import pytest

from vigil.audit.models import AuditEvent
from vigil.core.testing import verified_client
from vigil.demand.models import Forecast

URL = "/api/v1/demand/forecasts"
ROWS = [{"period_end": f"{2012 + i}-03-31", "value": round(500 * 1.04**i)} for i in range(7)]


def _post(web, force, **extra):
    body = {"force": force.code, "title": "Published", "source": "series", "series": ROWS}
    body.update(extra)
    return web.post(URL, body, content_type="application/json")


def test_anonymous_is_refused(client, people):
    assert client.get(URL).status_code == 401
    assert client.post(URL, {}, content_type="application/json").status_code == 401


def test_a_manager_creates_lists_and_reads_a_forecast(people):
    web = verified_client(people.manager)
    created = _post(web, people.force)
    assert created.status_code == 201
    body = created.json()
    forecast = Forecast.objects.get()
    assert body["id"] == str(forecast.uuid) and body["force"] == people.force.code
    assert len(body["result"]["forecast"]) == 5 and "backtest" in body["result"]
    assert AuditEvent.objects.filter(action="demand.forecast_create").count() == 1
    listed = web.get(URL).json()
    assert [item["id"] for item in listed["items"]] == [str(forecast.uuid)]
    assert web.get(f"{URL}/{forecast.uuid}").json()["method"] == forecast.method


def test_a_bad_row_is_422_naming_it_and_writes_nothing(people):
    rows = [*ROWS]
    rows[3] = {"period_end": "2015-03-31", "value": -4}
    response = _post(verified_client(people.manager), people.force, series=rows)
    assert response.status_code == 422
    assert "Line 4" in str(response.json()["error"])
    assert not Forecast.objects.exists()


def test_the_assurance_office_reads_but_may_not_create(people):
    _post(verified_client(people.manager), people.force)
    web = verified_client(people.assurance)
    assert web.get(URL).status_code == 200
    assert _post(web, people.force).status_code == 403
    assert Forecast.objects.count() == 1


@pytest.mark.parametrize("who", ["officer"])
def test_a_wrong_role_is_403(people, who):
    web = verified_client(getattr(people, who))
    assert web.get(URL).status_code == 403
    assert _post(web, people.force).status_code == 403


def test_another_forces_forecast_and_force_are_not_found(people):
    _post(verified_client(people.manager), people.force)
    forecast = Forecast.objects.get()
    web = verified_client(people.outsider)
    assert web.get(f"{URL}/{forecast.uuid}").status_code == 404
    assert web.get(URL).json()["items"] == []
    assert _post(web, people.force).status_code == 404


def test_the_list_costs_the_same_queries_however_many(people, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = verified_client(people.manager)
    _post(manager, people.force)
    web = verified_client(people.assurance)
    web.get(URL)
    with CaptureQueriesContext(connection) as one:
        web.get(URL)
    _post(manager, people.force, title="Two")
    _post(manager, people.force, title="Three")
    with CaptureQueriesContext(connection) as three:
        assert len(web.get(URL).json()["items"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
