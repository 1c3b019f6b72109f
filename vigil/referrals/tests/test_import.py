import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vigil.audit.models import AuditEvent
from vigil.core.exceptions import PermissionDenied
from vigil.core.testing import make_user
from vigil.people.models import Person
from vigil.referrals import services
from vigil.referrals.models import ImportBatch, Referral
from vigil.referrals.tests.helpers import make_person, receive

pytestmark = pytest.mark.django_db

HEADER = (
    "source,source_reference,received_at,summary,suspect_age,suspect_given_name,"
    "suspect_family_name,suspect_date_of_birth,suspect_gender,suspect_pnc_id,identifiers,"
    "children,material\n"
)
GOOD_CSV = (
    HEADER
    + 'nca_ceop,NCA-1,2026-03-02T09:30:00+00:00,"Uploads, reported",adult,Dai,Jones,1980-05-17,male,,'
    "username|dragon99|Kik;email|d@example.com|,believed_at_risk|Girl about 12|12,Platform report|3|B|NCA\n"
    "public,,2026-03-03,Concern from a neighbour,unknown,,,,,,,,\n"
)


def _import(actor, team, content, name="referrals.csv"):
    return services.referrals_import(actor=actor, team=team, filename=name, content=content)


def test_it_imports_a_csv_file_with_suspects_and_details(polit):
    result = _import(polit.supervisor, polit.team, GOOD_CSV.encode())
    assert (result.created, result.skipped, result.rows) == (2, 0, 2)
    first = Referral.objects.get(source_reference="NCA-1")
    assert first.suspect.family_name == "Jones"
    assert first.identifiers.count() == 2 and first.children.get().approximate_age == 12
    assert first.import_line == 2
    assert Referral.objects.get(source="public").import_line == 3
    assert AuditEvent.objects.filter(action="referral.import").count() == 1


def test_it_imports_json_and_links_a_known_suspect_by_pnc(polit):
    known = make_person(polit.team, polit.officer, pnc_id="80/1234567A")
    rows = [
        {
            "source": "nca_ceop",
            "source_reference": "NCA-J1",
            "received_at": "2026-03-02T09:30:00Z",
            "summary": "Report",
            "suspect": {"given_name": "G", "family_name": "P", "pnc_id": "80/1234567a"},
            "identifiers": [{"kind": "ip", "value": "192.0.2.10"}],
        }
    ]
    result = _import(polit.supervisor, polit.team, json.dumps(rows).encode(), "r.json")
    assert result.created == 1
    assert Referral.objects.get().suspect == known
    assert Person.objects.count() == 1


def test_it_writes_nothing_and_lists_every_bad_row_with_its_line(polit):
    bad = (
        HEADER
        + "nca_ceop,NCA-1,2026-03-02,Fine,adult,,,,,,,,\n"
        + "nca_ceop,,2026-03-02,No reference,adult,,,,,,,,\n"
        + "carrier_pigeon,X,not-a-date,Bad source,adult,,,,,,,,\n"
        + "public,,2026-03-02,Bad identifier,adult,,,,,,email|nope|,,\n"
    )
    with pytest.raises(services.ImportRejected) as exc:
        _import(polit.supervisor, polit.team, bad.encode())
    lines = {line for line, _m in exc.value.problems}
    assert lines == {3, 4, 5}
    assert any("NCA reference" in m for line, m in exc.value.problems if line == 3)
    assert Referral.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_reimporting_the_same_file_creates_nothing_and_says_so(polit):
    _import(polit.supervisor, polit.team, GOOD_CSV.encode())
    again = _import(polit.supervisor, polit.team, GOOD_CSV.encode(), "copy.csv")
    assert again.already_imported and again.created == 0
    assert Referral.objects.count() == 2


def test_it_skips_and_counts_rows_whose_nca_reference_is_held(polit):
    receive(polit.officer, polit.team, source_reference="NCA-1")
    result = _import(polit.supervisor, polit.team, GOOD_CSV.encode())
    assert (result.created, result.skipped) == (1, 1)
    assert Referral.objects.filter(source_reference="NCA-1").count() == 1


def test_it_reports_a_repeated_nca_reference_in_the_file(polit):
    content = (
        HEADER
        + "nca_ceop,NCA-9,2026-03-02,A,adult,,,,,,,,\nnca_ceop,nca-9,2026-03-02,B,adult,,,,,,,,\n"
    )
    with pytest.raises(services.ImportRejected) as exc:
        _import(polit.supervisor, polit.team, content.encode())
    assert [line for line, _m in exc.value.problems] == [3]


def test_it_reports_a_csv_file_cut_off_mid_row(polit):
    cut = GOOD_CSV + 'nca_ceop,NCA-3,2026-03-04,"Cut off in the mid'
    with pytest.raises(services.ImportRejected) as exc:
        _import(polit.supervisor, polit.team, cut.encode())
    assert exc.value.problems[0][0] == 4
    assert "cut off" in exc.value.problems[0][1]
    cut_short = GOOD_CSV + "nca_ceop,NCA-3,2026-03-04\n"
    with pytest.raises(services.ImportRejected) as exc:
        _import(polit.supervisor, polit.team, cut_short.encode())
    assert exc.value.problems[0][0] == 4
    assert Referral.objects.count() == 0


def test_it_reports_malformed_and_cut_off_json_with_the_line(polit):
    content = (
        '[\n  {"source": "public", "received_at": "2026-03-02", "summary": "A"},\n  {"source": "pub'
    )
    with pytest.raises(services.ImportRejected) as exc:
        _import(polit.supervisor, polit.team, content.encode(), "r.json")
    assert exc.value.problems[0][0] == 3
    assert "not valid JSON" in exc.value.problems[0][1]
    bad_rows = '[\n {"source": "public", "received_at": "2026-03-02", "summary": "A"},\n {"source": "public", "summary": "", "colour": "red"}\n]'
    with pytest.raises(services.ImportRejected) as exc:
        _import(polit.supervisor, polit.team, bad_rows.encode(), "r.json")
    assert {line for line, _m in exc.value.problems} == {3}
    assert Referral.objects.count() == 0


def test_it_reports_a_csv_header_that_is_wrong(polit):
    with pytest.raises(services.ImportRejected) as exc:
        _import(polit.supervisor, polit.team, b"source,when\npublic,2026-01-01\n")
    assert exc.value.problems[0][0] == 1


def test_only_supervisors_of_the_team_import(polit):
    with pytest.raises(PermissionDenied):
        _import(polit.officer, polit.team, GOOD_CSV.encode())


def test_the_command_imports_and_reports(polit, tmp_path, capsys):
    path = tmp_path / "batch.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    call_command(
        "referrals",
        "import",
        str(path),
        "--user",
        polit.supervisor.email,
        "--team",
        str(polit.team.uuid),
    )
    out = capsys.readouterr().out
    assert "2 referral(s) created" in out
    call_command(
        "referrals",
        "import",
        str(path),
        "--user",
        polit.supervisor.email,
        "--team",
        str(polit.team.uuid),
    )
    assert "already imported" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "nca_ceop,,2026-03-02,x,adult,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command(
            "referrals",
            "import",
            str(bad),
            "--user",
            polit.supervisor.email,
            "--team",
            str(polit.team.uuid),
        )
    assert "Line 2" in str(exc.value)


def test_the_command_refuses_an_unknown_user(polit, tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("referrals", "import", str(path), "--user", "nobody@example.com")
    assert make_user  # helper import used by other modules
