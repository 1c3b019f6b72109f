"""Importing an extract: every row checked first, nothing written on any problem, every
problem reported with its line; the same file twice changes nothing."""

import json

import pytest

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, PermissionDenied
from vigil.core.testing import make_force, make_user
from vigil.register import services
from vigil.register.models import Discrepancy, Extract, RegisterRow
from vigil.register.synthetic import write_extract
from vigil.register.tests.helpers import Mosovo, extract_file, import_and_run, row_for

pytestmark = pytest.mark.django_db


def _nothing_written():
    assert Extract.objects.count() == 0
    assert RegisterRow.objects.count() == 0
    assert Discrepancy.objects.count() == 0


def _rejected(actor, content, filename="extract.csv"):
    with pytest.raises(services.ExtractRejected) as caught:
        services.extract_import(actor=actor, filename=filename, content=content)
    _nothing_written()
    return caught.value.problems


def _good_rows(east, n=3):
    return [row_for(east.nominal()) for _ in range(n)]


def test_it_reports_every_malformed_row_with_its_line(east):
    rows = _good_rows(east, 4)
    rows[0]["date_of_birth"] = "17/05/1980"
    rows[1]["mappa_category"] = 4
    rows[1]["risk_level"] = "severe"
    rows[2]["status"] = "retired"
    rows[3]["managing_force"] = "atlantis"
    content = extract_file(rows)
    problems = _rejected(east.sergeant, content)
    lines = {line for line, _m in problems}
    assert lines == {2, 3, 4, 5}
    text = " ".join(m for _l, m in problems)
    for word in ("date_of_birth", "mappa_category", "risk_level", "status", "atlantis"):
        assert word in text


def test_it_reports_missing_required_values_and_bad_dates(east):
    rows = _good_rows(east, 2)
    rows[0]["given_name"] = ""
    rows[1]["notification_start"] = "2021-02-30"
    problems = _rejected(east.sergeant, extract_file(rows))
    assert [line for line, _m in problems] == [2, 3]
    assert "given_name is required" in problems[0][1]
    assert "not a real date" in problems[1][1]


def test_it_refuses_a_reference_twice_in_the_file(east):
    rows = _good_rows(east, 2)
    rows.append(dict(rows[0]))
    problems = _rejected(east.sergeant, extract_file(rows))
    assert problems == [
        (4, f"register reference {rows[0]['register_reference']} is also on line 2")
    ]


@pytest.mark.parametrize("cut", [-5, -30, -60])
def test_it_refuses_a_csv_file_cut_off_mid_row(east, cut):
    content = extract_file(_good_rows(east, 3))
    problems = _rejected(east.sergeant, content.rstrip(b"\n")[:cut])
    assert problems and problems[0][0] == 4


def test_it_refuses_a_csv_cut_inside_a_quoted_value(east):
    rows = _good_rows(east, 2)
    rows[1]["managing_officer"] = "Jones, Dai"
    content = extract_file(rows)
    cut = content[: content.index(b"Jones, D") + 5]
    problems = _rejected(east.sergeant, cut)
    assert problems[0][0] == 3


def test_it_refuses_a_json_file_cut_off(east):
    content = extract_file(_good_rows(east, 3), "json")
    problems = _rejected(east.sergeant, content[: len(content) // 2], "extract.json")
    assert len(problems) == 1 and "not valid JSON" in problems[0][1]
    assert problems[0][0] >= 2


def test_it_reports_json_rows_at_the_line_of_their_brace(east):
    rows = _good_rows(east, 3)
    rows[2]["status"] = ""
    problems = _rejected(east.sergeant, extract_file(rows, "json"), "extract.json")
    assert problems == [(4, "status is required")]


def test_it_refuses_unknown_json_fields_and_a_wrong_header(east):
    rows = _good_rows(east, 1)
    data = json.loads(extract_file(rows, "json"))
    data[0]["shoe_size"] = 9
    problems = _rejected(east.sergeant, json.dumps(data).encode(), "x.json")
    assert "shoe_size" in problems[0][1]
    problems = _rejected(east.sergeant, b"reference,name\n1,2\n")
    assert problems[0][0] == 1 and "header" in problems[0][1]


def test_it_imports_a_good_file_once_and_the_same_file_again_changes_nothing(east):
    content = extract_file(_good_rows(east, 3))
    extract, result = import_and_run(east.sergeant, content)
    assert not result.already_imported
    assert extract.row_count == 3 and extract.matched_by_reference == 3
    assert len(extract.file_hash) == 64 and extract.imported_by == east.sergeant
    assert AuditEvent.objects.filter(action="register.extract_import").count() == 1
    assert AuditEvent.objects.filter(action="register.extract_reconcile").count() == 1
    again = services.extract_import(actor=east.sergeant, filename="copy.csv", content=content)
    assert again.already_imported and again.extract.pk == extract.pk
    assert Extract.objects.count() == 1 and RegisterRow.objects.count() == 3
    assert AuditEvent.objects.filter(action="register.extract_import").count() == 1


def test_officers_and_other_forces_cannot_import(east):
    content = extract_file(_good_rows(east, 1))
    with pytest.raises(PermissionDenied):
        services.extract_import(actor=east.officer, filename="x.csv", content=content)
    other = Mosovo(make_force("gwent", "Gwent Police"), name="MOSOVO Gwent")
    with pytest.raises(PermissionDenied) as caught:
        services.extract_import(actor=other.sergeant, filename="x.csv", content=content)
    assert "Dyfed-Powys" in str(caught.value.message)
    _nothing_written()
    assessor = make_user(Role.ASSURANCE, east.team)
    with pytest.raises(PermissionDenied):
        services.extract_import(actor=assessor, filename="x.csv", content=content)


def test_an_administrator_of_the_force_can_import(east):
    admin = make_user(Role.ADMIN, east.team)
    extract, _ = import_and_run(admin, extract_file(_good_rows(east, 1)))
    assert extract.status == "complete"


def test_a_second_extract_waits_for_the_first_to_finish(east):
    rows = _good_rows(east, 3)
    first = services.extract_import(
        actor=east.sergeant, filename="a.csv", content=extract_file(rows)
    )
    with pytest.raises(Conflict):
        services.extract_import(
            actor=east.sergeant, filename="b.csv", content=extract_file(rows[:2])
        )
    services.extract_run(actor=east.sergeant, extract=first.extract)
    services.extract_import(actor=east.sergeant, filename="b.csv", content=extract_file(rows[:2]))


def test_reconciliation_runs_in_steps_and_publishes_at_the_end(east):
    for _ in range(5):
        east.nominal()
    written = write_extract(forces=[east.force], seed=2, not_on_register=1, field_changes=2)
    extract = services.extract_import(
        actor=east.sergeant, filename="x.csv", content=written.content
    ).extract
    stale = Extract.objects.get(pk=extract.pk)
    step = services.extract_reconcile_step(actor=east.sergeant, extract=extract, chunk_rows=2)
    assert step.rows_done == 2 and step.status == "reconciling"
    assert step.percent_done < 100
    # Nothing is visible until the last step publishes it.
    assert not Discrepancy.objects.exclude(status="pending").exists()
    # A poller holding an old copy carries on from the stored cursor, not its own.
    services.extract_reconcile_step(actor=east.sergeant, extract=stale, chunk_rows=2)
    assert Extract.objects.get(pk=extract.pk).rows_done == 4
    while step.status != "complete":
        step = services.extract_reconcile_step(actor=east.sergeant, extract=step, chunk_rows=2)
    assert step.rows_done == written.rows
    found = {
        (d.kind, d.register_reference, d.field) for d in Discrepancy.objects.filter(status="open")
    }
    assert found == written.expected
