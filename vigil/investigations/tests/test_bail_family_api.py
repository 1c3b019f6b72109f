"""Bail and family support through the API: the same rules as the pages, one error shape."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Rank, Role
from vigil.core.testing import make_user, verified_client
from vigil.investigations.models import (
    BailConditionCheck,
    BailPeriod,
    FamilySupportOffer,
    SupportOrganisation,
)
from vigil.investigations.tests.helpers import bail, make_investigation, to_post_arrest

pytestmark = pytest.mark.django_db

API = "/api/v1/investigations"


@pytest.fixture
def inv(team, officer, sergeant):
    investigation = make_investigation(team, officer=officer, actor=sergeant)
    to_post_arrest(investigation, officer)
    bail(investigation, sergeant)
    return investigation


def _call(client, method, url, data=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data or {}, content_type="application/json")


def _operations(inv):
    base = f"{API}/{inv.uuid}"
    return [
        ("get", f"{base}/bails", None),
        ("post", f"{base}/bail/extensions", {"rationale": "Lab"}),
        ("post", f"{base}/bail/conditions", {"add": ["Curfew"], "victim_views": "ok"}),
        ("post", f"{base}/bail/victim-views", {"views": "ok"}),
        ("post", f"{base}/bail/checks", {"method": "phone", "outcome": "complied"}),
        ("post", f"{base}/bail/court-applications", {"court": "c", "grounds": "g"}),
        ("get", f"{base}/family-support", None),
        ("post", f"{base}/family-support", {"status": "offered"}),
        ("patch", f"{base}/family-support", {"status": "accepted"}),
    ]


def test_it_refuses_anonymous_callers(inv):
    for method, url, data in _operations(inv) + [
        ("get", f"{API}/bail-board", None),
        ("get", f"{API}/support-organisations", None),
        ("post", f"{API}/support-organisations", {"name_en": "x"}),
    ]:
        response = _call(Client(), method, url, data)
        assert response.status_code == 401, url


def test_it_hides_an_investigation_out_of_scope(inv, other_team):
    client = verified_client(make_user(Role.SUPERVISOR, other_team, rank=Rank.SUPERINTENDENT))
    for method, url, data in _operations(inv):
        assert _call(client, method, url, data).status_code == 404, url
    assert client.get(f"{API}/bail-board").json()["count"] == 0


def test_an_analyst_reads_but_does_not_write(inv, team):
    client = verified_client(make_user(Role.ANALYST, team))
    assert client.get(f"{API}/{inv.uuid}/bails").status_code == 200
    for method, url, data in _operations(inv)[1:6]:
        assert _call(client, method, url, data).status_code == 403, url


def test_the_bail_journey_through_the_api(inv, officer, sergeant, inspector):
    base = f"{API}/{inv.uuid}"
    client = verified_client(officer)
    r = _call(client, "post", f"{base}/bail/checks", {"method": "phone", "outcome": "breach"})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "breach_action"
    r = _call(
        client,
        "post",
        f"{base}/bail/checks",
        {"method": "phone", "outcome": "breach", "breach_action": "Warned"},
    )
    assert r.status_code == 201 and BailConditionCheck.objects.get().breach_action == "Warned"
    r = _call(verified_client(sergeant), "post", f"{base}/bail/extensions", {"rationale": "Lab"})
    assert r.status_code == 403 and "rank of inspector" in r.json()["error"]["message"]
    r = _call(verified_client(inspector), "post", f"{base}/bail/extensions", {"rationale": "Lab"})
    assert r.status_code == 201 and r.json()["stage"] == "extended_6"
    assert BailPeriod.objects.count() == 2
    r = _call(client, "post", f"{base}/bail/court-applications", {"court": "c", "grounds": "g"})
    assert r.status_code == 409
    r = _call(client, "post", f"{base}/bail/conditions", {"add": ["Curfew"]})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "victim_views"
    r = _call(client, "post", f"{base}/bail/victim-views", {"views": "Wants a curfew"})
    assert r.status_code == 201
    r = _call(client, "post", f"{base}/bail/conditions", {"add": ["Curfew"]})
    assert r.status_code == 200 and len(r.json()["conditions"]) == 3
    bails = client.get(f"{base}/bails").json()
    assert bails[0]["stage"] == "extended_6" and len(bails[0]["periods"]) == 2
    board = verified_client(officer).get(f"{API}/bail-board").json()
    assert board["count"] == 1 and board["items"][0]["investigation"] == str(inv.uuid)


def test_bail_starts_through_the_decision_endpoint(team, officer, sergeant):
    investigation = make_investigation(team, officer=officer, actor=sergeant)
    to_post_arrest(investigation, officer)
    r = _call(
        verified_client(sergeant),
        "post",
        f"{API}/{investigation.uuid}/decisions",
        {
            "kind": "pre_charge_bail",
            "rationale": "r",
            "bail_conditions": ["No contact with children"],
            "victim_views_not_sought_reason": "Victim not identified",
        },
    )
    assert r.status_code == 201
    assert investigation.bails.get().conditions.count() == 1


def test_family_support_through_the_api(inv, officer):
    base = f"{API}/{inv.uuid}/family-support"
    client = verified_client(officer)
    assert client.get(base).status_code == 404
    r = _call(client, "post", base, {"status": "not_applicable"})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "reason"
    r = _call(client, "post", base, {"status": "offered", "leaflet_language": "cy"})
    assert r.status_code == 201 and r.json()["in_time"] is True
    r = _call(client, "patch", base, {"status": "declined", "reason": "Family declined"})
    assert r.status_code == 200 and FamilySupportOffer.objects.get().status == "declined"


def test_the_directory_through_the_api(team, officer, seeded_directory):
    manager = make_user(Role.MANAGER, team)
    assert len(verified_client(officer).get(f"{API}/support-organisations").json()) == 4
    payload = {"name_en": "Local", "description_en": "Help", "website": "https://l.example.org"}
    r = _call(verified_client(officer), "post", f"{API}/support-organisations", payload)
    assert r.status_code == 403
    r = _call(verified_client(manager), "post", f"{API}/support-organisations", payload)
    assert r.status_code == 201
    org_id = r.json()["id"]
    r = _call(
        verified_client(manager),
        "put",
        f"{API}/support-organisations/{org_id}",
        {**payload, "name_cy": "Lleol", "confirm_details": True},
    )
    assert r.status_code == 200 and r.json()["details_confirmed_at"]
    r = _call(verified_client(officer), "delete", f"{API}/support-organisations/{org_id}")
    assert r.status_code == 403
    r = _call(verified_client(manager), "delete", f"{API}/support-organisations/{org_id}")
    assert r.status_code == 204 and not SupportOrganisation.objects.filter(name_en="Local").exists()


# --- one directory per force ------------------------------------------------------------------

ORGS = f"{API}/support-organisations"


def _listed(client) -> dict:
    return {o["name_en"]: o for o in client.get(ORGS).json()}


def test_each_force_lists_its_own_and_the_national_entries(team, gwent_team, directory):
    dyfed = _listed(verified_client(make_user(Role.OFFICER, team)))
    gwent = _listed(verified_client(make_user(Role.ANALYST, gwent_team, scope="force")))
    assert "Dyfed-Powys family support" in dyfed and "Gwent family support" not in dyfed
    assert "Gwent family support" in gwent and "Dyfed-Powys family support" not in gwent
    assert dyfed["Nationwide helpline"]["national"] is True
    assert dyfed["Nationwide helpline"]["force"] is None
    assert dyfed["Dyfed-Powys family support"]["force"] == "dyfed-powys"
    assert gwent["Gwent family support"]["national"] is False


def test_another_forces_entry_is_not_found_through_the_api(team, directory):
    client = verified_client(make_user(Role.MANAGER, team, scope="force"))
    url = f"{ORGS}/{directory['gwent'].uuid}"
    payload = {"name_en": "Taken over", "description_en": "Help"}
    assert _call(client, "put", url, payload).status_code == 404
    assert _call(client, "delete", url).status_code == 404
    assert SupportOrganisation.objects.filter(name_en="Gwent family support").exists()


def test_a_manager_cannot_add_or_change_a_national_entry_through_the_api(team, directory):
    client = verified_client(make_user(Role.MANAGER, team))
    payload = {"name_en": "Local", "description_en": "Help"}
    r = _call(client, "post", ORGS, {**payload, "national": True})
    assert r.status_code == 403
    assert "Only an administrator can add a national" in r.json()["error"]["message"]
    r = _call(client, "post", ORGS, {**payload, "force": "gwent"})
    assert r.status_code == 403 and "your own force" in r.json()["error"]["message"]
    r = _call(client, "post", ORGS, {**payload, "force": "nowhere"})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "force"
    assert not SupportOrganisation.objects.filter(name_en="Local").exists()
    r = _call(client, "put", f"{ORGS}/{directory['national'].uuid}", payload)
    assert (
        r.status_code == 403 and "kept by the Vigil administrators" in r.json()["error"]["message"]
    )
    r = _call(client, "delete", f"{ORGS}/{directory['national'].uuid}")
    assert r.status_code == 403
    r = _call(client, "put", f"{ORGS}/{directory['dyfed'].uuid}", {**payload, "national": True})
    assert r.status_code == 403
    assert SupportOrganisation.objects.get(name_en="Nationwide helpline").national
    assert not SupportOrganisation.objects.get(name_en="Dyfed-Powys family support").national


def test_an_administrator_keeps_national_entries_through_the_api(team, directory):
    client = verified_client(make_user(Role.ADMIN, team))
    payload = {"name_en": "National line", "description_en": "Help"}
    r = _call(client, "post", ORGS, {**payload, "national": True, "force": "dyfed-powys"})
    assert r.status_code == 422
    r = _call(client, "post", ORGS, {**payload, "national": True})
    assert r.status_code == 201 and r.json()["national"] is True and r.json()["force"] is None
    r = _call(client, "put", f"{ORGS}/{directory['national'].uuid}", {**payload, "phone": "0800"})
    assert r.status_code == 200 and r.json()["national"] is True  # left where it was
    r = _call(client, "post", ORGS, {"name_en": "Local", "description_en": "Help"})
    assert r.status_code == 201 and r.json()["force"] == "dyfed-powys"  # the admin's force


def test_the_directory_list_costs_the_same_whatever_the_rows(team, gwent, directory):
    client = verified_client(make_user(Role.OFFICER, team))
    client.get(ORGS)
    with CaptureQueriesContext(connection) as before:
        assert client.get(ORGS).status_code == 200
    for n in range(4):
        for entry_force in (None, team.force, gwent):
            SupportOrganisation.objects.create(
                force=entry_force, name_en=f"Extra {n}", description_en="Help"
            )
    with CaptureQueriesContext(connection) as after:
        names = [o["name_en"] for o in client.get(ORGS).json()]
    assert names.count("Extra 3") == 2
    assert len(after) == len(before)
