"""Daily snapshots (idempotent, taken by the sweep), trend charts, and the reports: HTML,
PDF (its text extracted and checked) and XLSX, English and Welsh, with small numbers
suppressed for publication."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from vigil.accounts.choices import Role, TeamKind
from vigil.assurance import metrics, reporting, services
from vigil.assurance.models import MetricSnapshot
from vigil.assurance.tests.factories import at
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_team, make_user, verified_client

AS_OF = dt.date(2026, 11, 28)


@pytest.fixture
def office(world):
    return make_user(Role.ASSURANCE, make_team(world.force, name="PCC office", kind=TeamKind.OTHER))


def _visits(world, compliant: int, not_compliant: int):
    nominal = world.nominal(created_at=at(2025, 1, 1))
    for i in range(compliant):
        world.visit(nominal, at(2026, 3, 1) + dt.timedelta(hours=i))
    for i in range(not_compliant):
        world.visit(nominal, at(2026, 4, 1) + dt.timedelta(hours=i), announced=True)


# --- snapshots ------------------------------------------------------------------------


def test_a_snapshot_is_one_row_per_metric_per_day_and_taking_it_again_replaces_it(
    world, point_not_measurable
):
    _visits(world, 3, 1)
    count = services.snapshot_take(as_of=AS_OF)
    assert count == len(metrics.all_metrics())
    assert MetricSnapshot.objects.filter(as_of=AS_OF).count() == count
    snap = MetricSnapshot.objects.get(metric_key="visits_unannounced_in_pairs", as_of=AS_OF)
    assert (snap.numerator, snap.denominator, snap.status) == (3, 4, "red")
    _visits(world, 1, 0)
    services.snapshot_take(as_of=AS_OF)
    assert MetricSnapshot.objects.filter(as_of=AS_OF).count() == count
    snap.refresh_from_db()
    assert (snap.numerator, snap.denominator) == (4, 5)
    not_measurable = next(m for m in metrics.all_metrics() if not m.measurable)
    d = MetricSnapshot.objects.get(metric_key=not_measurable.key, as_of=AS_OF)
    assert (d.numerator, d.denominator, d.status) == (None, None, "not_measurable")
    assert AuditEvent.objects.filter(action="assurance.snapshot").count() == 1


def test_the_sweep_stores_yesterdays_and_todays_snapshots_once(world, frozen, capsys):
    call_command("sweep")
    today, yesterday = dt.date(2026, 12, 15), dt.date(2026, 12, 14)
    n = len(metrics.all_metrics())
    assert MetricSnapshot.objects.filter(as_of=today).count() == n
    assert MetricSnapshot.objects.filter(as_of=yesterday).count() == n
    assert f"assurance snapshots: {2 * n}" in capsys.readouterr().out
    call_command("sweep")  # within the hour: nothing new
    assert MetricSnapshot.objects.count() == 2 * n
    frozen.shift(dt.timedelta(hours=2))
    assert services.snapshot_daily() == n  # today's refreshed
    assert MetricSnapshot.objects.count() == 2 * n


def test_the_point_page_draws_the_trend_with_its_numbers_beside_it(world, office):
    _visits(world, 3, 1)
    for day in (dt.date(2026, 9, 27), dt.date(2026, 10, 25), AS_OF):  # Sundays, and the as-of day
        services.snapshot_take(as_of=day)
    html = (
        verified_client(office)
        .get(reverse("assurance:point", args=["N"]), {"as_of": AS_OF.isoformat()})
        .content.decode()
    )
    assert "<svg" in html and "<polyline" in html
    assert "2026-10-25" in html and "75.0" in html
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]


def test_a_metric_without_cases_in_the_range_says_so_instead_of_an_empty_chart(world, office):
    # No visits at all: point N's visit metrics have no cases on any day.
    for day in (dt.date(2026, 10, 25), AS_OF):
        services.snapshot_take(as_of=day)
    keys = [m.key for m in metrics.all_metrics() if m.point == "N"]
    snaps = MetricSnapshot.objects.filter(metric_key__in=keys)
    assert snaps.exists() and not snaps.filter(denominator__gt=0).exists()
    html = (
        verified_client(office)
        .get(reverse("assurance:point", args=["N"]), {"as_of": AS_OF.isoformat()})
        .content.decode()
    )
    assert "No trend to draw: no day in this range had cases." in html
    assert "<polyline" not in html and "app-chart" not in html
    assert "2026-10-25" in html  # the table of the figures is still there


def test_the_trend_range_can_be_chosen(world, office):
    # Sundays up to a year; the last day of each month beyond; the as-of date (Saturday
    # 28 November 2026) last.
    for day in (dt.date(2025, 1, 31), dt.date(2026, 10, 25), dt.date(2026, 10, 31)):
        services.snapshot_take(as_of=day)
    client = verified_client(office)
    url = reverse("assurance:point", args=["N"])
    html = client.get(url, {"as_of": AS_OF.isoformat(), "range": "3m"}).content.decode()
    assert "2026-10-25" in html and "2026-11-22" in html and "2026-08-30" in html
    assert "2026-10-31" not in html and "2025-01-31" not in html
    assert "(weekly)" in html
    html = client.get(url, {"as_of": AS_OF.isoformat(), "range": "2y"}).content.decode()
    assert (
        "2025-01-31" in html
        and "2026-10-31" in html
        and "2024-11-30" in html
        and "2024-10-31" not in html
    )
    assert "2026-10-25" not in html and "(monthly)" in html


def test_a_missing_snapshot_is_computed_as_of_its_day_not_shown_as_zero(world, office):
    _visits(world, 3, 1)  # in March and April 2026
    services.snapshot_take(as_of=dt.date(2026, 10, 25))
    MetricSnapshot.objects.all().delete()
    from vigil.assurance import trends

    dates = trends.grain_dates(AS_OF, 12)
    series = trends.series(["visits_unannounced_in_pairs"], dates, force=world.force)
    days = {d.as_of: d for d in series["visits_unannounced_in_pairs"].days}
    assert set(days) == set(dates) and len(dates) == 53
    assert (days[dt.date(2026, 2, 22)].numerator, days[dt.date(2026, 2, 22)].denominator) == (0, 0)
    assert (days[dt.date(2026, 4, 5)].numerator, days[dt.date(2026, 4, 5)].denominator) == (3, 4)
    assert not MetricSnapshot.objects.exists()  # reading stores nothing


def test_stored_dates_cover_every_grain(world):
    from vigil.assurance import trends

    stored = set(trends.stored_dates(dt.date(2021, 11, 1), AS_OF))
    for months in (3, 12, 24, 60):
        assert set(trends.grain_dates(AS_OF, months)) - {AS_OF} <= stored
    assert AS_OF in stored and dt.date(2026, 11, 22) in stored


# --- suppression ----------------------------------------------------------------------


def _result(n, d):
    return metrics.Result(metrics.get_metric("visits_unannounced_in_pairs"), n, d, "green")


@pytest.mark.parametrize(
    "n,d,shown",
    [
        (3, 4, ("fewer than 5", "fewer than 5", "fewer than 5")),  # small denominator
        (4, 100, ("fewer than 5", "100", "fewer than 5")),  # small numerator
        (97, 100, ("fewer than 5", "100", "fewer than 5")),  # small gap: 3 not met
        (95, 100, ("95", "100", "95.0%")),
        (0, 100, ("0", "100", "0.0%")),  # zero is not suppressed
        (0, 0, ("0", "0", "")),
    ],
)
def test_publication_suppresses_counts_from_1_to_4_and_what_derives_from_them(n, d, shown):
    out = reporting.present(_result(n, d), publication=True, below=5)
    assert (out["numerator"], out["denominator"], out["percent"]) == shown
    plain = reporting.present(_result(n, d), publication=False, below=5)
    assert plain["numerator"] == f"{n:,}"


def test_a_suppressed_small_denominator_hides_the_status_too():
    assert reporting.present(_result(4, 4), publication=True, below=5)["status"] == "suppressed"


# --- reports --------------------------------------------------------------------------


def _report(client, **params):
    return client.get(reverse("assurance:report"), {"as_of": AS_OF.isoformat(), **params})


def test_the_report_form_and_the_html_report(world, office):
    _visits(world, 3, 1)
    client = verified_client(office)
    assert client.get(reverse("assurance:report")).status_code == 200
    response = _report(client, language="en", format="html")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Point N (recommendation 10)" in html
    assert "75.0%" in html
    event = AuditEvent.objects.filter(action="assurance.report").latest("pk")
    assert event.changes == {
        "force": world.force.code,
        "as_of": "2026-11-28",
        "language": "en",
        "format": "html",
        "publication": False,
    }


def test_the_html_report_for_publication_suppresses_small_numbers(world, office):
    _visits(world, 3, 1)
    html = _report(
        verified_client(office), language="en", format="html", publication="on"
    ).content.decode()
    assert "fewer than 5" in html
    assert "75.0%" not in html


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_opens_and_contains_the_figures(world, office, point_not_measurable):
    _visits(world, 6, 2)
    response = _report(verified_client(office), language="en", format="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Assurance report as of 28 November 2026" in text
    assert "Home visits unannounced and with two or more officers" in text
    assert "75.0%" in text
    assert "Not yet measurable" in text


def test_the_welsh_pdf_carries_the_welsh_text(world, office):
    response = _report(verified_client(office), language="cy", format="pdf")
    text = _pdf_text(response.content)
    assert "Bod ymweliadau cartref yn ddirybudd" in text
    assert "Grŵp Cyflawni" in text


def test_the_xlsx_workbook_holds_the_points_and_the_figures(world, office):
    from openpyxl import load_workbook

    _visits(world, 6, 2)
    response = _report(verified_client(office), language="en", format="xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    points, figures = book.worksheets
    letters = [row[0] for row in points.iter_rows(values_only=True)]
    assert "T" in letters
    rows = {row[1]: row for row in figures.iter_rows(values_only=True)}
    visits = rows["Home visits unannounced and with two or more officers"]
    assert visits[2:5] == (6, 8, 0.75)


def test_the_xlsx_for_publication_holds_no_small_counts(world, office):
    from openpyxl import load_workbook

    _visits(world, 3, 1)
    response = _report(verified_client(office), language="cy", format="xlsx", publication="on")
    book = load_workbook(io.BytesIO(response.content))
    figures = book.worksheets[1]
    n_row = next(r for r in figures.iter_rows(values_only=True) if r[0] == "N")
    with translation.override("cy"):
        fewer = translation.gettext("fewer than %(number)s") % {"number": 5}
    assert fewer == "llai na 5"  # the workbook is in Welsh
    assert n_row[2:5] == (fewer, fewer, fewer)


def test_reports_hold_no_personal_data(world, office):
    world.person(given_name="Zebedee", family_name="Quarrington")
    nominal = world.nominal(created_at=at(2025, 1, 1))
    world.visit(nominal, at(2026, 3, 1))
    client = verified_client(office)
    html = _report(client, format="html", language="en").content.decode()
    pdf = _pdf_text(_report(client, format="pdf", language="en").content)
    for text in (html, pdf):
        assert "Zebedee" not in text and nominal.person.family_name not in text


def test_reports_refuse_other_roles(client, world):
    assert client.get(reverse("assurance:report"), {"format": "pdf"}).status_code == 302
    response = verified_client(world.officer).get(reverse("assurance:report"), {"format": "pdf"})
    assert response.status_code == 403


def test_the_command_backfills_daily_snapshots_computed_as_of_each_day(world):
    nominal = world.nominal(created_at=at(2025, 1, 1))
    world.visit(nominal, at(2026, 12, 2, 10), announced=True)
    out = io.StringIO()
    call_command("assurance", "--snapshots-from", "2026-12-01", "--as-of", "2026-12-03", stdout=out)
    assert "2026-12-01 to 2026-12-03" in out.getvalue()
    rows = dict(
        MetricSnapshot.objects.filter(metric_key="visits_unannounced_in_pairs").values_list(
            "as_of", "denominator"
        )
    )
    assert rows == {dt.date(2026, 12, 1): 0, dt.date(2026, 12, 2): 1, dt.date(2026, 12, 3): 1}
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("assurance", "--snapshots-from", "2027-01-01", stdout=io.StringIO())


def test_the_report_draws_trends_but_not_from_suppressed_figures(world, office):
    _visits(world, 3, 1)
    for day in (dt.date(2026, 9, 30), dt.date(2026, 10, 31), AS_OF):
        services.snapshot_take(as_of=day)
    client = verified_client(office)
    html = _report(client, language="en", format="html").content.decode()
    assert "app-sparkline" in html and "Oct 2026: 75.0%" in html
    html = _report(client, language="en", format="html", publication="on").content.decode()
    assert "app-sparkline" not in html and "75.0%" not in html


def test_the_dashboard_draws_a_sparkline_from_the_stored_snapshots(world, office):
    from vigil.assurance import trends

    _visits(world, 3, 1)
    client = verified_client(office)
    html = client.get(reverse("assurance:dashboard"), {"as_of": AS_OF.isoformat()}).content.decode()
    assert "app-sparkline" not in html and "No figures stored yet" in html
    for day in trends.grain_dates(AS_OF, 6):
        services.snapshot_take(as_of=day)
    html = client.get(reverse("assurance:dashboard"), {"as_of": AS_OF.isoformat()}).content.decode()
    assert "app-sparkline" in html  # point N, from the stored weekly figures
    assert "No figures stored yet" not in html
    assert "No cases in the last six months" in html  # e.g. point A: no referrals at all
