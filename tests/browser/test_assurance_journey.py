"""Assurance (Z1–Z3) in a real browser, each page checked with axe-core: the PCC's office
reads the dashboard as of today and as of a past date, opens point A with its trend
table, changes its status and adds an update (each form first with an error), downloads
the PDF report and reads its text, and is refused the drill-down (404); a sergeant follows
a figure's drill-down link to the records behind the gap; the dashboard in Welsh.

Set VIGIL_SHOTS=1 to save a full-page screenshot of each page visited to /tmp/shots/.
"""

import datetime as dt
import io
import os
import zoneinfo
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import check_accessibility, sign_in
from vigil.accounts.choices import Role, TeamKind
from vigil.assurance import services, trends
from vigil.assurance.models import NarrativeUpdate, Point
from vigil.assurance.tests.factories import World
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.testing import make_force, make_team, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")
LONDON = zoneinfo.ZoneInfo("Europe/London")
GAP_URL = "/assurance/metrics/referrals_assessed_before_allocation/gap/"
METRIC = "Referrals risk-assessed and graded before allocation"


def check(page, name: str) -> None:
    """axe-core on the page; with VIGIL_SHOTS=1, a full-page screenshot of it too."""
    check_accessibility(page)
    if os.environ.get("VIGIL_SHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def submit(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=label, exact=True).click()


def follow(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=label, exact=True).first.click()


def day(days_ago: int, hour: int = 10) -> dt.datetime:
    d = clock.today() - dt.timedelta(days=days_ago)
    return dt.datetime.combine(d, dt.time(hour), tzinfo=LONDON)


def row_of(page, letter: str):
    return page.locator("main table tbody tr").filter(
        has=page.get_by_role("rowheader", name=letter, exact=True)
    )


@pytest.fixture
def scene():
    """The register as seeded (browser tests empty the database, seed included); a POLIT
    team with one referral graded in time and one never graded (point A's gap); daily
    snapshots 60 and 30 days ago and today; the PCC's office."""
    import_module("vigil.assurance.migrations.0002_seed_recommendations_and_points").seed(
        apps, None
    )
    world = World(make_force())
    suspect = world.person(given_name="Zebedee", family_name="Quarrington")
    world.referral(day(100), suspect=suspect, source_reference="NCA-GAP-0001")
    world.referral(
        day(30),
        priority="high",
        graded_at=day(30, hour=13),
        source_reference="NCA-OK-0002",
    )
    for days_ago in (60, 30, 0):
        services.snapshot_take(as_of=clock.today() - dt.timedelta(days=days_ago))
    for sunday in trends.grain_dates(clock.today(), 1)[-3:-1]:  # the last two Sundays
        services.snapshot_take(as_of=sunday)
    office = make_user(
        Role.ASSURANCE,
        make_team(world.force, name="PCC office", kind=TeamKind.OTHER),
        full_name="Rhiannon Price",
    )
    return world, office


def test_the_office_reads_the_evidence_keeps_the_register_and_takes_the_report(page, scene):
    world, office = scene
    today = clock.today()
    past = today - dt.timedelta(days=50)
    sign_in(page, office)

    # The dashboard, as of today: every point, A with its headline figure.
    page.goto("/assurance/")
    expect(page.locator("h1")).to_have_text("Assurance: the inspection's recommendations")
    expect(page.locator("main table tbody tr")).to_have_count(20)
    expect(row_of(page, "A")).to_contain_text("50.0% (1 of 2)")
    expect(row_of(page, "A").locator("td").nth(2)).to_have_text("Red")
    # The trend column: a sparkline from the stored weekly figures.
    expect(row_of(page, "A").locator("svg.app-sparkline")).to_have_count(1)
    check(page, "assurance-dashboard-en")

    # A date in the future is refused with the error summary.
    page.fill("#id_as_of", (today + dt.timedelta(days=3)).isoformat())
    submit(page, "Show")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The as-of date must be today or in the past"
    )
    check(page, "assurance-dashboard-error-en")

    # As of a past date: only the referral that existed then, never graded.
    page.fill("#id_as_of", past.isoformat())
    submit(page, "Show")
    assert f"as_of={past.isoformat()}" in page.url
    expect(page.locator("main")).to_contain_text(
        f"as of {past.day} {past:%B %Y}, over the period from"
    )
    expect(row_of(page, "A")).to_contain_text("(0 of 1)")
    check(page, "assurance-dashboard-past-en")

    # Point A as of that date: the figure then, and the one snapshot taken by then.
    with page.expect_navigation():
        row_of(page, "A").get_by_role("link", name="A", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Point A")
    card = page.locator(".govuk-summary-card", has=page.get_by_text(METRIC, exact=True))
    expect(card).to_contain_text("(0 of 1)")
    # The numbers behind the trend, in a details element: the as-of date first, then
    # every Sunday back over a year, each computed as of its day when no snapshot is stored.
    card.locator(".govuk-details__summary").click()
    rows = card.locator(".govuk-details table tbody tr")
    expect(rows.nth(0).locator("td")).to_have_text([past.isoformat(), "0", "1", "0.0"])
    # The office sees aggregates only: no drill-down link.
    expect(page.locator(f"main a[href^='{GAP_URL}']")).to_have_count(0)
    check(page, "assurance-point-past-en")

    # Back to the dashboard, as of today, then point A with its trend.
    with page.expect_navigation():
        page.click(".govuk-back-link:has-text('Back to the dashboard')")
    page.fill("#id_as_of", "")
    submit(page, "Show")
    expect(row_of(page, "A")).to_contain_text("50.0% (1 of 2)")
    with page.expect_navigation():
        row_of(page, "A").get_by_role("link", name="A", exact=True).click()
    card = page.locator(".govuk-summary-card", has=page.get_by_text(METRIC, exact=True))
    expect(card).to_contain_text("50.0% (1 of 2)")
    card.locator(".govuk-details__summary").click()
    trend = card.locator(".govuk-details table")
    expect(trend.locator("tbody tr").nth(0).locator("td")).to_have_text(
        [today.isoformat(), "1", "2", "50.0"]
    )
    expect(page.locator("main")).to_contain_text("The figures behind the trend (weekly)")
    check(page, "assurance-point-trend-open-en")

    # The range: 3 months, weekly; 5 years, monthly (each figure as of its day).
    page.select_option("#id_range", "3m")
    submit(page, "Show the trend")
    card = page.locator(".govuk-summary-card", has=page.get_by_text(METRIC, exact=True))
    rows = card.locator(".govuk-details table tbody tr")
    assert 13 <= rows.count() <= 15
    check(page, "assurance-point-trend-3m-en")
    page.select_option("#id_range", "5y")
    submit(page, "Show the trend")
    expect(page.locator("main")).to_contain_text("The figures behind the trend (monthly)")
    card = page.locator(".govuk-summary-card", has=page.get_by_text(METRIC, exact=True))
    assert 60 <= card.locator(".govuk-details table tbody tr").count() <= 62
    check(page, "assurance-point-trend-5y-en")
    page.select_option("#id_range", "1y")
    submit(page, "Show the trend")
    card = page.locator(".govuk-summary-card", has=page.get_by_text(METRIC, exact=True))
    expect(card.locator("svg")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("No updates yet.")
    expect(page.locator("main")).not_to_contain_text("Zebedee")
    expect(page.locator("main")).not_to_contain_text("NCA-GAP-0001")
    check(page, "assurance-point-en")

    # Change the status: first with the owner left out.
    follow(page, "Change status or owner")
    expect(page.locator("h1")).to_have_text("Change point A")
    check(page, "assurance-point-edit-en")
    page.check("input[name=status][value=implemented]")
    page.fill("#id_owner_en", "")
    submit(page, "Save changes")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter who owns the point")
    expect(page.locator("#id_owner_en")).to_have_class("govuk-input govuk-input--error ")
    check(page, "assurance-point-edit-error-en")
    assert Point.objects.get(letter="A").status == "in_progress"
    assert not AuditEvent.objects.filter(action="assurance.point_update").exists()
    page.fill("#id_owner_en", "VAWG Delivery Group (Deputy Chief Constable)")
    submit(page, "Save changes")
    expect(page.locator("main")).to_contain_text("Point A updated.")
    progress = page.locator(
        ".govuk-summary-list__row",
        has=page.get_by_text("Progress (as the force reports it)"),
    )
    expect(progress.locator("dd")).to_have_text("Implemented")
    check(page, "assurance-point-updated-en")
    point = Point.objects.get(letter="A")
    assert point.status == "implemented"
    assert point.owner_en == "VAWG Delivery Group (Deputy Chief Constable)"
    event = AuditEvent.objects.get(action="assurance.point_update")
    assert event.changes["status"] == ["in_progress", "implemented"]
    assert event.actor_id == office.pk

    # Add an update: first empty.
    follow(page, "Add an update")
    expect(page.locator("h1")).to_have_text("Add an update to point A")
    check(page, "assurance-narrative-add-en")
    submit(page, "Add the update")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the update")
    check(page, "assurance-narrative-add-error-en")
    assert not NarrativeUpdate.objects.exists()
    text = "Referral triage audited: ungraded referrals are reviewed each morning."
    page.fill("#id_text", text)
    submit(page, "Add the update")
    expect(page.locator("main")).to_contain_text("Update added to point A.")
    timeline = page.locator(".moj-timeline__item").first
    expect(timeline).to_contain_text(text)
    expect(timeline).to_contain_text("by Rhiannon Price")
    check(page, "assurance-point-with-update-en")
    update = NarrativeUpdate.objects.get()
    assert (update.point.letter, update.author, update.text, update.written_on) == (
        "A",
        office,
        text,
        today,
    )
    assert AuditEvent.objects.filter(action="assurance.narrative_add").count() == 1

    # The report: the form, the HTML report, then the PDF fetched with the same session.
    with page.expect_navigation():
        page.click(".govuk-back-link:has-text('Back to the dashboard')")
    with page.expect_navigation():
        page.locator("nav.moj-sub-navigation").get_by_role("link", name="Reports").click()
    expect(page.locator("h1")).to_have_text("Assurance report")
    check(page, "assurance-report-form-en")
    page.check("input[name=format][value=html]")
    submit(page, "Produce the report")
    expect(page.locator("h1")).to_have_text(f"Assurance report as of {today.day} {today:%B %Y}")
    expect(page.locator("main")).to_contain_text(text)
    check(page, "assurance-report-html-en")
    response = page.request.get(
        f"/assurance/report/?as_of={today.isoformat()}&language=en&format=pdf"
    )
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    # Words only: the PDF wraps text in its table cells.
    pdf = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert f"Assurance report as of {today.day} {today:%B %Y}" in pdf
    point_a = pdf.split("Point A (recommendation 1)")[1].split("Point B (recommendation 1)")[0]
    assert "Progress (as the force reports it) Implemented Evidence status Red" in point_a
    assert f"Latest update {today.day} {today:%B %Y}: {text}" in point_a
    assert f"{METRIC} 1 2 50.0% Red" in point_a
    assert "Zebedee" not in pdf and "NCA-GAP-0001" not in pdf
    reports = AuditEvent.objects.filter(action="assurance.report")
    assert [e.changes["format"] for e in reports.order_by("pk")] == ["html", "pdf"]

    # The drill-down is not for the office: 404, as for a page that does not exist.
    response = page.goto(f"{GAP_URL}?as_of={today.isoformat()}")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("NCA-GAP-0001")
    check(page, "assurance-gap-404-en")
    assert not AuditEvent.objects.filter(action="assurance.drill_down").exists()

    # The dashboard in Welsh.
    page.goto("/assurance/")
    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator("main table tbody tr")).to_have_count(20)
    expect(row_of(page, "A")).to_contain_text("Adolygu arferion presennol")
    check(page, "assurance-dashboard-cy")
    for path, name in [
        (f"/assurance/?as_of={past.isoformat()}", "assurance-dashboard-past-cy"),
        ("/assurance/points/A/", "assurance-point-cy"),
        ("/assurance/points/A/change/", "assurance-point-edit-cy"),
        ("/assurance/points/A/updates/new/", "assurance-narrative-add-cy"),
        ("/assurance/report/", "assurance-report-form-cy"),
        (f"/assurance/report/?language=cy&format=html&as_of={today}", "assurance-report-html-cy"),
    ]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "cy"
        check(page, name)
    response = page.goto(GAP_URL)
    assert response.status == 404
    check(page, "assurance-gap-404-cy")


def test_a_sergeant_follows_a_figure_to_the_records_behind_its_gap(second_page, scene):
    world, _office = scene
    page = second_page
    sign_in(page, world.sergeant)
    page.goto("/assurance/")
    expect(row_of(page, "A")).to_contain_text("50.0% (1 of 2)")
    check(page, "assurance-dashboard-sergeant-en")
    with page.expect_navigation():
        row_of(page, "A").get_by_role("link", name="A", exact=True).click()
    card = page.locator(".govuk-summary-card", has=page.get_by_text(METRIC, exact=True))
    link = card.get_by_role("link", name="See the 1 record that does not meet the standard")
    expect(link).to_be_visible()
    check(page, "assurance-point-sergeant-en")
    with page.expect_navigation():
        link.click()
    expect(page.locator("h1")).to_have_text(METRIC)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("NCA-GAP-0001")
    expect(rows.first).to_contain_text("POLIT West")
    expect(page.locator("main")).not_to_contain_text("NCA-OK-0002")
    expect(page.locator("main")).not_to_contain_text("Zebedee")
    check(page, "assurance-gap-en")
    event = AuditEvent.objects.get(action="assurance.drill_down")
    assert event.actor_id == world.sergeant.pk
    assert event.changes["metric"] == "referrals_assessed_before_allocation"
    # The sergeant cannot edit the register.
    assert page.locator("text=Change status or owner").count() == 0

    # From the gap to the record itself.
    with page.expect_navigation():
        rows.first.get_by_role("link", name="Open the record").click()
    expect(page.locator("main")).to_contain_text("NCA-GAP-0001")
    check(page, "assurance-gap-record-en")

    # The gap in Welsh.
    page.goto(GAP_URL)
    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator("main table tbody tr")).to_have_count(1)
    check(page, "assurance-gap-cy")
