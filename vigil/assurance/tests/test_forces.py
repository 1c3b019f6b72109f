"""Two forces in one database: every surface of the assurance module (dashboard, point page,
drill-down, API, command, snapshots, HTML/PDF/XLSX reports) shows a user their own force's
figures, and nothing of another force; only the system administrator reads every force
together, or any one."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from vigil.accounts.choices import Role, TeamKind
from vigil.assurance import reporting, selectors, services
from vigil.assurance.models import MetricSnapshot
from vigil.assurance.tests.factories import World, at
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import NotFound
from vigil.core.testing import make_force, make_team, make_user, verified_client

AS_OF = dt.date(2026, 11, 28)
VISITS = "visits_unannounced_in_pairs"
REFERRALS = "referrals_assessed_before_allocation"


@pytest.fixture
def two(world):
    """Force A (the `world`): 3 visits, 1 of them compliant; 1 ungraded referral. Force B:
    5 visits, all compliant; 4 referrals, graded; references of its own."""
    b = World(make_force("gwent", "Gwent Police"))
    a_nominal = world.nominal(created_at=at(2025, 1, 1))
    world.visit(a_nominal, at(2026, 3, 1))
    world.visit(a_nominal, at(2026, 3, 2), announced=True)
    world.visit(a_nominal, at(2026, 3, 3), announced=True)
    world.referral(at(2026, 6, 1), source_reference="A-GAP-1")
    b_nominal = b.nominal(created_at=at(2025, 1, 1))
    for day in range(1, 6):
        b.visit(b_nominal, at(2026, 4, day))
    for day in range(1, 5):
        b.referral(
            at(2026, 6, day),
            priority="high",
            graded_at=at(2026, 6, day, 15),
            source_reference=f"B-ONLY-{day}",
        )
    b.referral(at(2026, 6, 9), source_reference="B-GAP-SECRET")
    world.b = b
    world.office = make_user(
        Role.ASSURANCE, make_team(world.force, name="PCC office", kind=TeamKind.OTHER)
    )
    world.b_office = make_user(
        Role.ASSURANCE, make_team(b.force, name="PCC office", kind=TeamKind.OTHER)
    )
    return world


def _metric(document, key):
    return next(m for p in document["points"] for m in p["metrics"] if m["key"] == key)


def test_each_force_reads_only_its_own_figures_in_the_api(two):
    a = verified_client(two.office).get("/api/v1/assurance", {"as_of": AS_OF}).json()
    b = verified_client(two.b_office).get("/api/v1/assurance", {"as_of": AS_OF}).json()
    assert a["force"] == "dyfed-powys" and b["force"] == "gwent"
    assert (_metric(a, VISITS)["numerator"], _metric(a, VISITS)["denominator"]) == (1, 3)
    assert (_metric(b, VISITS)["numerator"], _metric(b, VISITS)["denominator"]) == (5, 5)
    assert (_metric(a, REFERRALS)["numerator"], _metric(a, REFERRALS)["denominator"]) == (0, 1)
    assert (_metric(b, REFERRALS)["numerator"], _metric(b, REFERRALS)["denominator"]) == (4, 5)


def test_another_forces_figures_are_404_in_the_api_and_on_the_pages(two):
    client = verified_client(two.office)
    response = client.get("/api/v1/assurance", {"as_of": AS_OF, "force": "gwent"})
    assert response.status_code == 404
    assert set(response.json()) == {"error"}
    for name, args in (
        ("assurance:dashboard", []),
        ("assurance:point", ["N"]),
        ("assurance:report", []),
    ):
        assert client.get(reverse(name, args=args), {"force": "gwent"}).status_code == 404
    sergeant = verified_client(two.sergeant)
    url = reverse("assurance:gap", args=[REFERRALS])
    assert sergeant.get(url, {"force": "gwent"}).status_code == 404


def test_the_system_administrator_reads_every_force_together_or_one(two):
    admin = make_user(Role.OFFICER, two.polit)
    admin.is_superuser = True
    admin.save()
    client = verified_client(admin)
    every = client.get("/api/v1/assurance", {"as_of": AS_OF}).json()
    assert every["force"] is None
    assert (_metric(every, VISITS)["numerator"], _metric(every, VISITS)["denominator"]) == (6, 8)
    gwent = client.get("/api/v1/assurance", {"as_of": AS_OF, "force": "gwent"}).json()
    assert _metric(gwent, VISITS)["denominator"] == 5
    html = client.get(reverse("assurance:dashboard"), {"as_of": AS_OF}).content.decode()
    assert "Figures of every force together" in html and 'name="force"' in html
    with pytest.raises(NotFound):
        selectors.scope_for(admin, "no-such-force")


def test_the_dashboard_and_the_point_page_show_the_users_force(two):
    client = verified_client(two.office)
    html = client.get(reverse("assurance:dashboard"), {"as_of": AS_OF}).content.decode()
    assert "Figures of Dyfed-Powys Police" in html and "Gwent" not in html
    html = client.get(reverse("assurance:point", args=["N"]), {"as_of": AS_OF}).content.decode()
    assert "33.3% (1 of 3)" in html and "of 8" not in html and "(5 of 5)" not in html
    html = (
        verified_client(two.b_office)
        .get(reverse("assurance:point", args=["N"]), {"as_of": AS_OF})
        .content.decode()
    )
    assert "100.0% (5 of 5)" in html and "of 3)" not in html


def test_the_drill_down_lists_only_the_users_force(two):
    b_sergeant = verified_client(two.b.sergeant)
    html = b_sergeant.get(
        reverse("assurance:gap", args=[REFERRALS]), {"as_of": AS_OF}
    ).content.decode()
    assert "B-GAP-SECRET" in html and "A-GAP-1" not in html
    html = (
        verified_client(two.sergeant)
        .get(reverse("assurance:gap", args=[REFERRALS]), {"as_of": AS_OF})
        .content.decode()
    )
    assert "A-GAP-1" in html and "B-GAP-SECRET" not in html
    event = AuditEvent.objects.filter(action="assurance.drill_down").latest("pk")
    assert event.changes["force"] == "dyfed-powys"


def test_snapshots_are_stored_per_force_and_read_per_force(two):
    services.snapshot_take(as_of=AS_OF)
    rows = dict(
        MetricSnapshot.objects.filter(metric_key=VISITS, as_of=AS_OF).values_list(
            "force__code", "denominator"
        )
    )
    assert rows == {"dyfed-powys": 3, "gwent": 5}
    assert (
        selectors.snapshots([VISITS], start=AS_OF, end=AS_OF, force=two.force)[VISITS][
            0
        ].denominator
        == 3
    )
    summed = selectors.snapshots([VISITS], start=AS_OF, end=AS_OF)[VISITS][0]
    assert (summed.numerator, summed.denominator, summed.status) == (6, 8, "red")
    html = (
        verified_client(two.office)
        .get(reverse("assurance:point", args=["N"]), {"as_of": AS_OF, "range": "3m"})
        .content.decode()
    )
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">5</td>' not in html


def test_the_command_gives_one_force_or_every_force(two):
    def run(*args):
        out = io.StringIO()
        call_command("assurance", "--json", "--as-of", AS_OF.isoformat(), *args, stdout=out)
        return json.loads(out.getvalue())

    assert _metric(run("--force", "dyfed-powys"), VISITS)["denominator"] == 3
    assert _metric(run("--force", "gwent"), VISITS)["denominator"] == 5
    assert _metric(run(), VISITS)["denominator"] == 8
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--force", "nowhere")


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx"])
def test_reports_hold_only_the_users_force(two, fmt):
    response = verified_client(two.office).get(
        reverse("assurance:report"), {"as_of": AS_OF.isoformat(), "language": "en", "format": fmt}
    )
    assert response.status_code == 200
    built = reporting.build(AS_OF, force=two.force)
    figure = next(f for p in built.points for f in p["figures"] if f.key == VISITS)
    assert (figure.numerator, figure.denominator) == ("1", "3")
    if fmt == "html":
        html = response.content.decode()
        assert "Dyfed-Powys Police" in html and "Gwent" not in html
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content))
        cells = [str(c) for row in book["Metrics"].iter_rows(values_only=True) for c in row]
        assert "8" not in cells
        assert response["Content-Disposition"].endswith('dyfed-powys-2026-11-28-en.xlsx"')
    event = AuditEvent.objects.filter(action="assurance.report").latest("pk")
    assert event.changes["force"] == "dyfed-powys"
