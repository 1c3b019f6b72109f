"""Register reconciliation (point I) in a real browser, each page checked with axe-core:
a MOSOVO sergeant uploads a register extract holding a known set of injected
discrepancies, watches reconciliation run (the progress panel polls by itself), reads the
report, and works one discrepancy through assignment to closed; a file with bad rows and
cut off mid-row is refused with every bad line listed, and nothing is written; the pages
again in Welsh.

Set VIGIL_SHOTS=1 to save a full-page screenshot of each page visited to /tmp/shots/.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force
from vigil.duties.models import Duty
from vigil.register import services
from vigil.register.models import Discrepancy, Extract, RegisterRow
from vigil.register.synthetic import write_extract
from vigil.register.tests.helpers import Mosovo, extract_file, row_for

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")


def check(page, name: str) -> None:
    """axe-core on the page; with VIGIL_SHOTS=1, a full-page screenshot of it too."""
    check_accessibility(page)
    if os.environ.get("VIGIL_SHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def submit(page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def follow(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=label, exact=True).first.click()


def upload(page, name: str, content: bytes) -> None:
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    # By the form's button, whatever the language.
    with page.expect_navigation():
        page.click("main form[enctype='multipart/form-data'] button[type=submit]")


def count_in(page, caption: str, row: str):
    """The number beside `row` in the report's table captioned `caption`."""
    table = page.locator("table", has=page.locator("caption", has_text=caption))
    return table.locator("tr", has=page.locator("th", has_text=row)).locator("td").first


@pytest.fixture
def east(monkeypatch):
    # Small steps, so that the progress panel has to poll several times.
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    return Mosovo(make_force())


def test_a_sergeant_imports_an_extract_and_closes_a_discrepancy_as_explained(page, east):
    for _ in range(8):
        east.nominal()
    written = write_extract(
        forces=[east.force],
        seed=7,
        not_in_vigil=2,
        not_on_register=1,
        field_changes=3,
        weak_matches=1,
    )
    assert written.counts == {
        "not_in_vigil": 2,
        "not_on_register": 1,
        "field_differs": 3,
        "weak_match": 1,
    }
    sign_in(page, east.sergeant)

    # The report before any extract, then the upload page.
    page.goto("/register/")
    expect(page.locator("h1")).to_have_text("Register reconciliation")
    expect(page.locator("main")).to_contain_text("Never reconciled")
    check(page, "register-report-empty-en")
    follow(page, "Import an extract")
    expect(page.locator("h1")).to_have_text("Import a register extract")
    check(page, "register-upload-en")

    # Upload: the rows are checked and stored, then the page reconciles while we watch.
    upload(page, "visor-extract.csv", written.content)
    extract = Extract.objects.get()
    assert page.url.endswith(f"/register/imports/{extract.uuid}/")
    expect(page.locator(".govuk-panel__title")).to_have_text("Reconciled", timeout=30000)
    expected = len(written.expected)
    assert expected == 7
    expect(page.locator(".govuk-panel__body")).to_have_text(
        f"{expected} new discrepancies; 0 closed because the register now agrees"
    )
    extract.refresh_from_db()
    assert extract.status == "complete" and extract.rows_done == extract.row_count == 9
    assert RegisterRow.objects.filter(extract=extract).count() == 9
    summary = page.locator("#extract-progress .govuk-summary-list")
    for key, value in [
        ("Rows", "9"),
        ("Matched by register reference", "6"),
        ("Matched by name and date of birth (weaker)", "1"),
        ("On the register but not in Vigil", "2"),
        ("In Vigil but not on the register", "1"),
        ("Fields that differ", str(extract.fields_differing)),
    ]:
        row = summary.locator(".govuk-summary-list__row", has=page.get_by_text(key, exact=True))
        expect(row.locator("dd")).to_have_text(value)
    # Reconciliation found exactly what was injected: nothing missed, nothing extra.
    found = {
        (d.kind, d.register_reference, d.field) for d in Discrepancy.objects.filter(status="open")
    }
    assert found == written.expected
    assert AuditEvent.objects.filter(action="register.extract_import").count() == 1
    assert AuditEvent.objects.filter(action="register.extract_reconcile").count() == 1
    check(page, "register-extract-complete-en")

    # The report shows the counts.
    follow(page, "See the reconciliation report")
    expect(page.locator("h1")).to_have_text("Register reconciliation")
    expect(page.locator("main h2").nth(1)).to_have_text(f"{expected} open discrepancies")
    expect(count_in(page, "By kind", "On the register but not in Vigil")).to_have_text("2")
    expect(count_in(page, "By kind", "In Vigil but not on the register")).to_have_text("1")
    expect(count_in(page, "By kind", "A field differs")).to_have_text("4")
    expect(count_in(page, "By team", "MOSOVO East")).to_have_text("5")
    expect(page.locator("main")).not_to_contain_text("Never reconciled")
    check(page, "register-report-en")

    # The list, then one discrepancy: a field that differs on a nominal Vigil holds.
    follow(page, "Open discrepancies")
    expect(page.locator("h1")).to_have_text("Register discrepancies")
    expect(page.locator("main table tbody tr")).to_have_count(expected)
    check(page, "register-discrepancies-en")
    d = (
        Discrepancy.objects.filter(kind="field_differs", nominal__isnull=False, match="reference")
        .order_by("register_reference", "field")
        .first()
    )
    with page.expect_navigation():
        page.locator(f"main table a[href='/register/discrepancies/{d.uuid}/']").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("A field differs")
    expect(page.locator("main .govuk-tag").first).to_have_text("Open")
    expect(page.locator("main")).to_contain_text(d.register_reference)
    check(page, "register-discrepancy-open-en")
    assert AuditEvent.objects.filter(action="register.discrepancy_view").exists()

    # Assign it to the offender manager.
    page.select_option("#id_assignee", label=east.officer.full_name)
    submit(page, "Assign")
    expect(page.locator("main")).to_contain_text("Discrepancy assigned.")
    assigned = page.locator(".govuk-summary-list__row", has=page.get_by_text("Assigned to"))
    expect(assigned.locator("dd")).to_contain_text(east.officer.full_name)
    check(page, "register-discrepancy-assigned-en")
    d.refresh_from_db()
    assert d.assignee == east.officer and d.status == "open"
    duty = Duty.objects.get(kind="register.discrepancy", subject_id=d.uuid)
    assert duty.assignee == east.officer and duty.completed_at is None

    # Resolve as explained: first without the note, to see the error summary.
    page.check("input[name=resolution][value=explained]")
    submit(page, "Resolve and close")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a note saying what was done or why")
    expect(page.locator("#id_note")).to_have_attribute(
        "aria-describedby", "id_note-hint id_note-error"
    )
    check(page, "register-discrepancy-error-en")
    d.refresh_from_db()
    assert (
        d.status == "open"
        and not AuditEvent.objects.filter(action="register.discrepancy_resolve").exists()
    )
    # The choice made survives the error.
    expect(page.locator("input[name=resolution][value=explained]")).to_be_checked()
    note = "Both values are right: the register is updated at the next annual notification."
    page.fill("#id_note", note)
    submit(page, "Resolve and close")
    expect(page.locator("main")).to_contain_text("Discrepancy resolved and closed.")
    expect(page.locator("main .govuk-tag").first).to_have_text("Closed")
    expect(page.locator("main")).to_contain_text(note)
    expect(page.get_by_role("button", name="Resolve and close")).to_have_count(0)
    check(page, "register-discrepancy-closed-en")

    d.refresh_from_db()
    assert (d.status, d.resolution, d.resolution_note) == ("closed", "explained", note)
    assert d.closed_by == east.sergeant and d.closed_at is not None
    duty.refresh_from_db()
    assert duty.completed_at is not None
    assign = AuditEvent.objects.get(action="register.discrepancy_assign")
    assert assign.changes["assignee"] == [None, east.officer.email]
    assert assign.person_id == str(d.nominal.person.uuid)
    resolve = AuditEvent.objects.get(action="register.discrepancy_resolve")
    assert resolve.changes == {"resolution": "explained", "note": note}
    assert Discrepancy.objects.filter(status="open").count() == expected - 1

    # The report counts one fewer open.
    page.goto("/register/")
    expect(page.locator("main h2").nth(1)).to_have_text(f"{expected - 1} open discrepancies")
    expect(count_in(page, "By kind", "A field differs")).to_have_text("3")

    # In Welsh: the report, and the pages behind it.
    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.url.endswith("/register/")
    check(page, "register-report-cy")
    for path, name in [
        ("/register/discrepancies/", "register-discrepancies-cy"),
        (f"/register/discrepancies/{d.uuid}/", "register-discrepancy-closed-cy"),
        ("/register/imports/", "register-imports-cy"),
        ("/register/imports/new/", "register-upload-cy"),
        (f"/register/imports/{extract.uuid}/", "register-extract-complete-cy"),
    ]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "cy"
        check(page, name)
    open_one = Discrepancy.objects.filter(status="open", nominal__isnull=False).first()
    page.goto(f"/register/discrepancies/{open_one.uuid}/")
    check(page, "register-discrepancy-open-cy")


def test_a_file_with_bad_rows_and_cut_off_lists_every_line_and_writes_nothing(page, east):
    nominals = [east.nominal() for _ in range(4)]
    rows = [row_for(n) for n in nominals]
    rows[0]["status"] = "gone"  # line 2
    rows[2]["date_of_birth"] = "1 May 1980"  # line 4
    content = extract_file(rows)
    # Cut off part-way through the last row (line 5): its last columns are missing.
    last = content.rstrip(b"\n").rsplit(b"\n", 1)[1]
    content = content[: len(content) - len(last) // 2 - 1]
    assert content.count(b"\n") == 4
    sign_in(page, east.sergeant)
    page.goto("/register/imports/")
    expect(page.locator("main")).to_contain_text("No extracts imported yet.")
    check(page, "register-imports-empty-en")
    follow(page, "Import an extract")

    # Nothing chosen: the error summary says so.
    submit(page, "Import")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a CSV or JSON extract file to import")
    check(page, "register-upload-no-file-en")

    upload(page, "cut-off.csv", content)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Nothing was imported: 3 lines of the file have problems.")
    problems = page.locator("table", has=page.locator("caption", has_text="Problems found"))
    expect(problems.locator("tbody tr")).to_have_count(3)
    expect(problems.locator("tbody tr td:first-child")).to_have_text(["2", "4", "5"])
    expect(problems.locator("tbody tr").nth(0)).to_contain_text(
        "status must be active, custody, abroad, missing or ended"
    )
    expect(problems.locator("tbody tr").nth(1)).to_contain_text(
        "date_of_birth must be a date written like 1980-05-17"
    )
    expect(problems.locator("tbody tr").nth(2)).to_contain_text("the file may be cut off")
    check(page, "register-upload-rejected-en")
    assert not Extract.objects.exists() and not RegisterRow.objects.exists()
    assert not Discrepancy.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="register.extract").exists()

    # The same, in Welsh.
    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"
    upload(page, "cut-off.csv", content)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    problems = page.locator("main table")
    expect(problems.locator("tbody tr td:first-child")).to_have_text(["2", "4", "5"])
    check(page, "register-upload-rejected-cy")
    assert not Extract.objects.exists()
