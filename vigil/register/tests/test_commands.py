"""`vigil register import` and `vigil register extract`."""

import io

import pytest
from django.core.management import CommandError, call_command

from vigil.register.models import Discrepancy, Extract
from vigil.register.tests.helpers import extract_file, row_for

pytestmark = pytest.mark.django_db


def test_extract_then_import_from_the_command_line(east, tmp_path):
    for _ in range(6):
        east.nominal()
    out = tmp_path / "extract.json"
    stdout = io.StringIO()
    call_command("register", "extract", "--out", str(out), "--seed", "3", stdout=stdout)
    assert "written to" in stdout.getvalue() and out.read_text().startswith("[")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "register", "import", str(out), "--user", east.sergeant.email, stdout=stdout, stderr=stderr
    )
    assert "reconciled" in stderr.getvalue()
    assert "discrepancies opened" in stdout.getvalue()
    assert Extract.objects.get().status == "complete"
    assert Discrepancy.objects.filter(status="open").exists()
    stdout = io.StringIO()
    call_command(
        "register",
        "import",
        str(out),
        "--user",
        east.sergeant.email,
        stdout=stdout,
        stderr=io.StringIO(),
    )
    assert "already imported" in stdout.getvalue()
    assert Extract.objects.count() == 1


def test_a_bad_file_lists_every_line_and_writes_nothing(east, tmp_path):
    rows = [row_for(east.nominal()) for _ in range(3)]
    rows[1]["status"] = "x"
    path = tmp_path / "bad.csv"
    path.write_bytes(extract_file(rows)[:-20])
    with pytest.raises(CommandError) as caught:
        call_command(
            "register", "import", str(path), "--user", east.sergeant.email, stderr=io.StringIO()
        )
    assert "Line 3" in str(caught.value) and "Line 4" in str(caught.value)
    assert not Extract.objects.exists()
