"""The register pages: anonymous, wrong role, out of scope and permitted; what they
write and audit; query counts of the lists."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_user, verified_client
from vigil.register.models import Discrepancy, Extract
from vigil.register.synthetic import write_extract
from vigil.register.tests.helpers import Mosovo, extract_file, import_and_run, row_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(east):
    nominals = [east.nominal() for _ in range(3)]
    rows = [row_for(n) for n in nominals]
    rows[0]["postcode"] = "SA99 9ZZ"
    rows.append(
        row_for(
            nominals[0],
            register_reference="XX/1",
            given_name="Unheld",
            family_name="Person",
            date_of_birth="1961-01-01",
        )
    )
    rows[-1]["date_of_birth"] = __import__("datetime").date(1961, 1, 1)
    import_and_run(east.sergeant, extract_file(rows), "one.csv")
    other = Mosovo(make_force("gwent", "Gwent Police"), name="MOSOVO Gwent")
    return {
        "east": east,
        "field": Discrepancy.objects.get(kind="field_differs"),
        "unheld": Discrepancy.objects.get(kind="not_in_vigil"),
        "other": other,
        "assessor": make_user(Role.ASSURANCE, east.team),
        "polit": make_user(Role.OFFICER),
    }


def _status(user, url, method="get", data=None):
    client = verified_client(user) if user is not None else Client()
    response = getattr(client, method)(url, data or {})
    return response.status_code, response


@pytest.mark.parametrize(
    "name", ["register:discrepancies", "register:discrepancies-csv", "register:report-xlsx"]
)
def test_personal_lists_need_casework(world, name):
    url = reverse(name)
    code, response = _status(None, url)
    assert code == 302 and url in response["Location"]
    assert _status(world["assessor"], url)[0] == 404
    assert _status(world["east"].officer, url)[0] == 200


def test_the_report_is_for_mosovo_work_and_assurance_sees_counts_only(world):
    url = reverse("register:report")
    assert _status(world["polit"], url)[0] == 403
    code, response = _status(world["assessor"], url)
    assert code == 200 and b"Morgan" not in response.content
    code, response = _status(world["east"].sergeant, url)
    assert code == 200
    assert b"Dyfed-Powys Police" in response.content


def test_the_detail_page_is_scoped_and_audited(world):
    d = world["field"]
    url = reverse("register:discrepancy", args=[d.uuid])
    assert _status(world["assessor"], url)[0] == 404
    assert _status(world["other"].sergeant, url)[0] == 404
    assert _status(world["polit"], url)[0] == 404
    code, response = _status(world["east"].officer, url)
    assert code == 200 and b"SA99 9ZZ" in response.content and b"SA31 1AA" in response.content
    event = AuditEvent.objects.filter(action="register.discrepancy_view").latest("id")
    assert event.person_id == str(d.nominal.person.uuid)
    assert b"Resolve and close" not in response.content  # officers do not resolve
    code, response = _status(world["east"].sergeant, url)
    assert b"Resolve and close" in response.content


def test_a_register_row_not_in_vigil_is_for_supervisors_not_team_officers(world):
    url = reverse("register:discrepancy", args=[world["unheld"].uuid])
    assert _status(world["east"].officer, url)[0] == 404
    assert _status(world["east"].sergeant, url)[0] == 200


def test_assign_and_resolve_through_the_page(world):
    east, d = world["east"], world["field"]
    client = verified_client(east.sergeant)
    response = client.post(reverse("register:assign", args=[d.uuid]), {"assignee": east.officer.pk})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.assignee == east.officer
    response = client.post(reverse("register:resolve", args=[d.uuid]), {"resolution": "explained"})
    assert response.status_code == 422 and b"govuk-error-summary" in response.content
    response = client.post(
        reverse("register:resolve", args=[d.uuid]),
        {"resolution": "explained", "note": "Both addresses in use."},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == "closed"
    officer = verified_client(east.officer)
    assert (
        officer.post(
            reverse("register:resolve", args=[world["unheld"].uuid]),
            {"resolution": "explained", "note": "x"},
        ).status_code
        == 404
    )
    assert AuditEvent.objects.filter(action="register.discrepancy_resolve").count() == 1


def test_exports_are_audited_and_hold_the_rows(world):
    client = verified_client(world["east"].sergeant)
    response = client.get(reverse("register:discrepancies-csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "SA99 9ZZ" in body and "XX/1" in body
    assert AuditEvent.objects.filter(action="register.discrepancies_export").exists()
    response = client.get(reverse("register:report-xlsx"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(response.content))
    assert "Open discrepancies" in book.sheetnames
    assert AuditEvent.objects.filter(action="register.report_export").exists()


def _list_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("register:discrepancies"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_however_many_rows(east):
    for _ in range(3):
        east.nominal()
    written = write_extract(
        forces=[east.force],
        seed=1,
        not_in_vigil=1,
        not_on_register=1,
        field_changes=1,
        weak_matches=0,
    )
    import_and_run(east.sergeant, written.content, "a.csv")
    client = verified_client(east.sergeant)
    client.get(reverse("register:discrepancies"))
    few = _list_queries(client)
    for _ in range(12):
        east.nominal()
    written = write_extract(
        forces=[east.force], seed=2, not_in_vigil=8, not_on_register=4, field_changes=13
    )
    import_and_run(east.sergeant, written.content, "b.csv")
    assert Discrepancy.objects.filter(status="open").count() > 20
    assert _list_queries(client) == few
    report = verified_client(east.sergeant)
    with CaptureQueriesContext(connection) as ctx:
        report.get(reverse("register:report"))
    many = len(ctx.captured_queries)
    assert many < 25


def test_upload_then_progress_polls_to_the_end(east, monkeypatch):
    from vigil.register import services

    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    for _ in range(5):
        east.nominal()
    written = write_extract(forces=[east.force], seed=4)
    client = verified_client(east.sergeant)
    assert client.get(reverse("register:upload")).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("register:upload"), {"file": SimpleUploadedFile("x.csv", written.content)}
    )
    extract = Extract.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/imports/{extract.uuid}/"
    )
    page = client.get(response["Location"])
    assert b"hx-post" in page.content and b"<progress" in page.content
    url = reverse("register:progress", args=[extract.uuid])
    polls = 0
    while True:
        polls += 1
        response = client.post(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        if b"hx-post" not in response.content:
            break
        assert polls < 20
    assert polls > 3
    extract.refresh_from_db()
    assert extract.status == "complete"
    assert {
        (d.kind, d.register_reference, d.field) for d in Discrepancy.objects.filter(status="open")
    } == written.expected
    # Without JavaScript, the button posts and comes back to the page.
    assert client.post(url).status_code == 302


def test_upload_with_bad_rows_lists_every_line_and_writes_nothing(east):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [row_for(east.nominal()) for _ in range(2)]
    rows[0]["status"] = "gone"
    rows[1]["date_of_birth"] = "1 May 1980"
    client = verified_client(east.sergeant)
    response = client.post(
        reverse("register:upload"), {"file": SimpleUploadedFile("x.csv", extract_file(rows))}
    )
    assert response.status_code == 422
    assert b"govuk-error-summary" in response.content
    assert b'<td class="govuk-table__cell">2</td>' in response.content
    assert b'<td class="govuk-table__cell">3</td>' in response.content
    assert not Extract.objects.exists()


def test_import_pages_are_for_importers(world):
    extract = Extract.objects.get()
    for name, args in [
        ("register:imports", []),
        ("register:upload", []),
        ("register:extract", [extract.uuid]),
    ]:
        url = reverse(name, args=args)
        assert _status(world["east"].officer, url)[0] == 403
        assert _status(world["assessor"], url)[0] == 403
        assert _status(world["east"].sergeant, url)[0] == 200
    url = reverse("register:extract", args=[extract.uuid])
    assert _status(world["other"].sergeant, url)[0] == 404
    assert (
        _status(world["other"].sergeant, reverse("register:progress", args=[extract.uuid]), "post")[
            0
        ]
        == 404
    )


def test_the_register_row_is_shown_with_field_names(world):
    response = verified_client(world["east"].sergeant).get(
        reverse("register:discrepancy", args=[world["unheld"].uuid])
    )
    assert b"Date of birth" in response.content and b"1961-01-01" in response.content
    assert b"Line in the file" in response.content


def test_anonymous_users_are_sent_to_sign_in_from_every_page(world):
    d, extract = world["field"], Extract.objects.get()
    for url in [
        reverse("register:report"),
        reverse("register:discrepancy", args=[d.uuid]),
        reverse("register:imports"),
        reverse("register:upload"),
        reverse("register:extract", args=[extract.uuid]),
    ]:
        response = Client().get(url)
        assert response.status_code == 302 and url in response["Location"]


def test_the_menu_shows_register_to_mosovo_staff_and_not_to_polit(world):
    """Officers work the discrepancies assigned to them, so the register is in their menu
    too (tests/test_reachability.py: every page a role may open is linked); a POLIT
    officer, whose work it is not, has no such entry."""

    def menu(user) -> bytes:
        page = verified_client(user).get(reverse("core:policies")).content
        return page.split(b"govuk-service-navigation__list")[1].split(b"</ul>")[0]

    assert b'href="/register/"' in menu(world["east"].sergeant)
    assert b'href="/register/"' in menu(world["east"].officer)
    assert b'href="/register/"' not in menu(world["polit"])


def test_a_restricted_person_is_hidden_from_those_not_named(east):
    from vigil.people import services as people

    nominal = east.nominal()
    row = row_for(nominal, postcode="ZZ1 1ZZ")
    import_and_run(east.sergeant, extract_file([row]))
    people.person_restrict(
        actor=east.sergeant, person=nominal.person, users=[east.sergeant], reason="Need to know"
    )
    d = Discrepancy.objects.get()
    url = reverse("register:discrepancy", args=[d.uuid])
    assert verified_client(east.officer).get(url).status_code == 404
    assert verified_client(east.sergeant).get(url).status_code == 200
    listed = verified_client(east.officer).get(reverse("register:discrepancies")).content
    assert b"ZZ1 1ZZ" not in listed
