"""The demand forecast (point J) in a real browser, each page checked with axe-core: a
MOSOVO manager opens the forecasts from the menu, runs a forecast of the force's records
(first without a title), uploads a published yearly series (first a bad one) and sees its
forecast, compares the two side by side and downloads the PDF; then all of it again in
Welsh, driven by the Welsh labels.

Set VIGIL_SHOTS=1 to save a full-page screenshot of each page visited to /tmp/shots/.
"""

import datetime as dt
import io
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import check_accessibility, cy, sign_in
from vigil.accounts.choices import Role, Scope, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.testing import make_force, make_team, make_user
from vigil.demand.models import Forecast
from vigil.demand.tests.test_records import _nominals

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")
SERIES = "period_end,value\n" + "".join(
    f"{2015 + i}-03-31,{round(52000 * 1.05**i)}\n" for i in range(7)
)
BAD = SERIES.replace("2017-03-31", "2017-31-03")


def check(page, name: str) -> None:
    check_accessibility(page)
    if os.environ.get("VIGIL_SHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def click(page, role: str, label: str, within: str = "main") -> None:
    with page.expect_navigation():
        page.locator(within).get_by_role(role, name=label, exact=True).first.click()


def upload(page, text: str) -> None:
    page.set_input_files(
        "#id_file",
        files=[{"name": "series.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )


@pytest.fixture
def manager():
    force = make_force()
    team = make_team(force, name="MOSOVO East", kind=TeamKind.MOSOVO)
    user = make_user(Role.MANAGER, team, scope=Scope.FORCE, full_name="Siân Pritchard")
    officer = make_user(Role.OFFICER, team)
    # Nine years of the force's own registrations, up to last year: enough to forecast
    # from its records.
    years = range(clock.today().year - 9, clock.today().year)
    _nominals(
        SimpleNamespace(team=team, officer=officer),
        [(dt.date(year, 6, 1), "caution", None) for year in years]
        + [(dt.date(year, 8, 1), "imprisonment", 36) for year in years],
    )
    return user


def journey(page, t, lang: str) -> None:
    """The journey with labels `t(...)` in `lang`."""
    # From the menu, by clicking.
    page.goto("/")
    click(page, "link", t("Demand"), within="nav")
    expect(page.locator("h1")).to_have_text(t("Demand forecasts"))
    assert page.locator("html").get_attribute("lang") == lang
    check(page, f"demand-list-{lang}")

    # Run (or refresh) the forecast of the force's records: first without a title.
    click(page, "link", t("Forecast from the force's records"))
    check(page, f"demand-run-{lang}")
    before = Forecast.objects.count()
    click(page, "button", t("Run the forecast"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Enter a title for the forecast")
    )
    check(page, f"demand-run-error-{lang}")
    assert Forecast.objects.count() == before
    page.fill("#id_title", f"Our nominals ({lang})")
    click(page, "button", t("Run the forecast"))
    expect(page.locator("h1")).to_have_text(f"Our nominals ({lang})")
    expect(page.locator("main")).to_contain_text(t("Nominals managed and the staff they need"))
    expect(page.locator("main svg.app-chart")).to_have_count(1)
    records = Forecast.objects.get(title=f"Our nominals ({lang})")
    assert records.source == "records" and records.staffing["years"]
    check(page, f"demand-records-{lang}")

    # Upload a published series: a bad one lists its problems and saves nothing.
    click(page, "link", t("Back to the demand forecasts"), within="body")
    click(page, "link", t("Forecast an uploaded series"))
    page.fill("#id_title", f"Published series ({lang})")
    upload(page, BAD)
    click(page, "button", t("Forecast"))
    expect(page.locator("main")).to_contain_text("2017-31-03")
    check(page, f"demand-upload-error-{lang}")
    assert not Forecast.objects.filter(title=f"Published series ({lang})").exists()
    upload(page, SERIES)
    click(page, "button", t("Forecast"))
    expect(page.locator("h1")).to_have_text(f"Published series ({lang})")
    series = Forecast.objects.get(title=f"Published series ({lang})")
    first = series.result["forecast"][0]
    expect(page.locator("main table").first).to_contain_text(f"{first['upper']:,.0f}")
    check(page, f"demand-series-{lang}")

    # Compare the two side by side.
    click(page, "link", t("Back to the demand forecasts"), within="body")
    page.check(f"#compare-{records.uuid}")
    page.check(f"#compare-{series.uuid}")
    click(page, "button", t("Compare the two chosen forecasts"))
    expect(page.locator("h1")).to_have_text(t("Compare two forecasts"))
    expect(page.locator("main svg.app-chart")).to_have_count(2)
    expect(page.locator("main h2")).to_contain_text([series.title, records.title])  # newest first
    check(page, f"demand-compare-{lang}")

    # Download the PDF in the page's language from the forecast page.
    click(page, "link", series.title)
    label = t("PDF in Welsh") if lang == "cy" else t("PDF in English")
    with page.expect_download() as download:
        page.locator("main").get_by_role("link", name=label, exact=True).click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert t("OFFICIAL-SENSITIVE") in text and series.title in text
    assert "Siân Pritchard" in text
    assert AuditEvent.objects.filter(
        action="demand.forecast_download", changes__language=lang, changes__format="pdf"
    ).exists()


def test_a_manager_forecasts_uploads_compares_and_downloads(page, manager):
    sign_in(page, manager)
    journey(page, lambda message: message, "en")
    # The same in Welsh.
    page.goto("/demand/")
    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    journey(page, cy, "cy")
    assert Forecast.objects.filter(created_by=manager).count() == 4
