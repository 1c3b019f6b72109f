"""The register API: the same rules as the pages."""

import base64

import pytest

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_user, verified_client
from vigil.register.models import Discrepancy, Extract
from vigil.register.synthetic import write_extract
from vigil.register.tests.helpers import Mosovo, extract_file, row_for

pytestmark = pytest.mark.django_db
API = "/api/v1/register"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _import(client, content, filename="x.csv"):
    return _post(
        client,
        f"{API}/imports",
        {"filename": filename, "content_base64": base64.b64encode(content).decode()},
    )


def test_import_through_the_api_reconciles_to_the_end(east):
    for _ in range(6):
        east.nominal()
    written = write_extract(forces=[east.force], seed=5, file_format="json")
    client = verified_client(east.sergeant)
    response = _import(client, written.content, "x.json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "complete" and body["row_count"] == written.rows
    again = _import(client, written.content, "again.json")
    assert again.status_code == 200 and again.json()["already_imported"] is True
    assert Extract.objects.count() == 1
    assert _import(verified_client(east.officer), written.content).status_code == 403
    listed = client.get(f"{API}/discrepancies").json()
    assert listed["count"] == len(written.expected)


def test_bad_rows_are_422_with_every_line(east):
    rows = [row_for(east.nominal()) for _ in range(2)]
    rows[0]["mappa_level"] = 7
    rows[1]["given_name"] = ""
    response = _import(verified_client(east.sergeant), extract_file(rows))
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert [f["field"] for f in fields] == ["line 2", "line 3"]
    assert not Extract.objects.exists()


def test_discrepancy_endpoints_follow_scope_and_role(east):
    rows = [row_for(east.nominal()) for _ in range(2)]
    rows[0]["risk_level"] = "high"
    _import(verified_client(east.sergeant), extract_file(rows))
    d = Discrepancy.objects.get()
    url = f"{API}/discrepancies/{d.uuid}"
    assert verified_client(east.officer).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="register.discrepancy_view").count() == 1
    assessor = make_user(Role.ASSURANCE, east.team)
    assert verified_client(assessor).get(url).status_code == 404
    assert verified_client(assessor).get(f"{API}/discrepancies").status_code == 404
    other = Mosovo(make_force("gwent", "Gwent Police"), name="MOSOVO Gwent")
    assert verified_client(other.sergeant).get(url).status_code == 404
    officer = verified_client(east.officer)
    assert _post(officer, f"{url}/assign", {"assignee": str(east.officer.uuid)}).status_code == 403
    sergeant = verified_client(east.sergeant)
    response = _post(sergeant, f"{url}/assign", {"assignee": str(east.officer.uuid)})
    assert response.status_code == 200 and response.json()["assignee"] == east.officer.email
    response = _post(sergeant, f"{url}/resolve", {"resolution": "explained", "note": ""})
    assert response.status_code == 422
    response = _post(
        sergeant,
        f"{url}/resolve",
        {"resolution": "register_to_be_corrected", "note": "Raised with ViSOR."},
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_anonymous_is_401(db):
    from django.test import Client

    assert Client().get(f"{API}/discrepancies").status_code == 401
    assert Client().get(f"{API}/imports").status_code == 401
