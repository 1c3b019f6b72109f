"""The forecast as PDF and XLSX, in English and Welsh: opened and read back."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from vigil.audit.models import AuditEvent
from vigil.core.testing import verified_client
from vigil.demand.choices import ForecastSource
from vigil.demand.services.forecasts import forecast_create
from vigil.demand.tests.series import yearly

SERIES = yearly([1000 * 1.05**i for i in range(9)])
TITLE = '=HYPERLINK("http://example.test")+1'
API = "/api/v1/demand/forecasts"


def _saved(people, title=TITLE):
    return forecast_create(
        actor=people.manager,
        force=people.force,
        title=title,
        source=ForecastSource.SERIES,
        points=SERIES,
    )


def _pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _url(forecast, document, language):
    return reverse(f"demand:{document}", args=[forecast.uuid]) + f"?language={language}"


@pytest.mark.parametrize(
    ("language", "marking", "printed", "heading", "backtest"),
    [
        ("en", "OFFICIAL-SENSITIVE", "Printed by", "History and forecast", "Backtest"),
        ("cy", "SWYDDOGOL-SENSITIF", "Argraffwyd gan", "Hanes a rhagolwg", "Ôl-brawf"),
    ],
)
def test_the_pdf_has_the_forecast_marked_on_every_page(
    people, language, marking, printed, heading, backtest
):
    forecast = _saved(people)
    response = verified_client(people.assurance).get(_url(forecast, "pdf", language))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pages = _pdf_text(response.content)
    assert len(pages) >= 2
    for text in pages:
        assert text.count(marking) >= 2  # at the head and the foot of the page
        assert printed in text and people.assurance.full_name in text
    whole = "\n".join(pages)
    assert TITLE in whole and heading in whole and backtest in whole
    first = forecast.result["forecast"][0]
    assert f"{first['lower']:,.0f}" in whole and f"{first['upper']:,.0f}" in whole
    assert people.manager.full_name in whole  # who ran it
    # The chart is drawn (SVG) in the PDF: its axis labels are there as text.
    assert forecast.result["forecast"][-1]["period_end"][:4] in whole
    event = AuditEvent.objects.get(action="demand.forecast_download")
    assert event.actor_id == people.assurance.pk
    assert event.changes == {"force": people.force.code, "format": "pdf", "language": language}


@pytest.mark.parametrize(
    ("language", "sheets", "marking", "yes"),
    [
        (
            "en",
            ["Forecast", "History and forecast", "Assumptions", "Backtest", "Backtest forecasts"],
            "OFFICIAL-SENSITIVE",
            "Yes",
        ),
        (
            "cy",
            ["Rhagolwg", "Hanes a rhagolwg", "Rhagdybiaethau", "Ôl-brawf", "Rhagolygon ôl-brawf"],
            "SWYDDOGOL-SENSITIF",
            "Ie",
        ),
    ],
)
def test_the_workbook_has_a_sheet_per_table(people, language, sheets, marking, yes):
    forecast = _saved(people)
    response = verified_client(people.manager).get(_url(forecast, "xlsx", language))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == sheets
    for sheet in wb.worksheets:
        assert sheet["A1"].value == marking
        assert sheet.freeze_panes == "A3"
        assert sheet.auto_filter.ref.startswith("A2:")
        assert sheet.column_dimensions["A"].width >= 10
        assert sheet.oddHeader.center.text == marking
    summary = wb[sheets[0]]
    # The title a user typed, beginning with "=", is text, never a formula.
    title = summary["B3"]
    assert title.value == TITLE and title.data_type == "s"
    history = wb[sheets[1]]
    rows = list(history.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(SERIES) + forecast.horizon
    last = forecast.result["forecast"][-1]
    assert rows[-1][0].date().isoformat() == last["period_end"]  # a date cell
    assert rows[-1][2:] == (last["value"], last["lower"], last["upper"])
    methods = list(wb[sheets[3]].iter_rows(min_row=3, values_only=True))
    assert sum(1 for m in methods if m[1] == yes) == 1
    assert AuditEvent.objects.filter(
        action="demand.forecast_download", changes__format="xlsx", changes__language=language
    ).exists()


def test_a_records_forecast_has_a_staff_sheet_against_the_establishment(people):
    import datetime as dt

    from vigil.demand.services.forecasts import forecast_from_records
    from vigil.demand.tests.test_records import _nominals

    _nominals(people, [(dt.date(year, 6, 1), "caution", None) for year in range(2018, 2026)])
    forecast = forecast_from_records(actor=people.manager, force=people.force, title="Ours")
    wb = load_workbook(
        io.BytesIO(verified_client(people.manager).get(_url(forecast, "xlsx", "en")).content)
    )
    staff = wb["Staff needed"]
    header = [c.value for c in staff[2]]
    assert header[5] == "Offender managers needed" and header[-1] == "Supervisors in post today"
    first = next(staff.iter_rows(min_row=3, values_only=True))
    year = forecast.staffing["years"][0]
    assert first[5] == year["need"]["officers"] and first[8] == year["need"]["supervisors"]
    assert first[11] == forecast.staffing["establishment"]["officers"]


def test_the_language_defaults_to_the_users(people):
    forecast = _saved(people)
    web = verified_client(people.manager)
    url = reverse("demand:pdf", args=[forecast.uuid])
    response = web.get(url, HTTP_ACCEPT_LANGUAGE="cy")
    assert "SWYDDOGOL-SENSITIF" in _pdf_text(response.content)[0]
    assert response["Content-Disposition"].endswith('-cy.pdf"')


def test_the_forecast_page_links_to_the_documents(people):
    forecast = _saved(people, title="Plain")
    html = verified_client(people.manager).get(reverse("demand:detail", args=[forecast.uuid]))
    html = html.content.decode()
    for document in ("pdf", "xlsx"):
        for language in ("en", "cy"):
            assert _url(forecast, document, language) in html


def test_documents_are_refused_as_the_pages_are(client, people):
    forecast = _saved(people)
    for document in ("pdf", "xlsx"):
        url = _url(forecast, document, "en")
        assert client.get(url).status_code == 302
        assert verified_client(people.officer).get(url).status_code == 403
        assert verified_client(people.outsider).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="demand.forecast_download").exists()


def test_the_api_gives_both_documents_and_documents_them(people):
    forecast = _saved(people)
    web = verified_client(people.assurance)
    pdf = web.get(f"{API}/{forecast.uuid}/pdf?language=cy")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "SWYDDOGOL-SENSITIF" in _pdf_text(pdf.content)[0]
    xlsx = web.get(f"{API}/{forecast.uuid}/xlsx")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Forecast"
    assert AuditEvent.objects.filter(action="demand.forecast_download").count() == 2
    schema = web.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    pdf_op = paths["/api/v1/demand/forecasts/{forecast_id}/pdf"]["get"]
    assert "application/pdf" in pdf_op["responses"]["200"]["content"]
    xlsx_op = paths["/api/v1/demand/forecasts/{forecast_id}/xlsx"]["get"]
    assert any("spreadsheetml" in k for k in xlsx_op["responses"]["200"]["content"])


def test_the_api_refuses_documents_as_it_refuses_forecasts(client, people):
    forecast = _saved(people)
    for document in ("pdf", "xlsx"):
        url = f"{API}/{forecast.uuid}/{document}"
        assert client.get(url).status_code == 401
        assert verified_client(people.officer).get(url).status_code == 403
        assert verified_client(people.outsider).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="demand.forecast_download").exists()


def test_a_language_vigil_does_not_have_is_refused_and_nothing_is_recorded(people):
    forecast = _saved(people)
    web = verified_client(people.manager)
    page = web.get(reverse("demand:pdf", args=[forecast.uuid]) + "?language=fr")
    assert page.status_code == 400 and "Choose English or Welsh" in page.content.decode()
    api = web.get(f"{API}/{forecast.uuid}/xlsx?language=fr")
    assert api.status_code == 422 and "Choose English or Welsh" in str(api.json())
    assert not AuditEvent.objects.filter(action="demand.forecast_download").exists()
