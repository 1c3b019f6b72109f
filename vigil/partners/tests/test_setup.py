"""Setting up the partnership: regions, practitioners, agreements and versions, through
the pages and the API. Who may (an administrator of the force, its SLA owner), who may not
(anonymous, other roles, another force's administrator), bad input changing nothing, the
audit, a fixed number of queries, and the way in from the menus."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.accounts.models import Membership
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.duties.models import Duty
from vigil.partners.models import Agreement, AgreementVersion, ProbationRegion, ResponseTime
from vigil.partners.services import agreements as services
from vigil.partners.tests.helpers import Partnership

pytestmark = pytest.mark.django_db


def _terms_post(prefix_values: dict | None = None) -> dict:
    data = {}
    for t in services.default_terms():
        key = f"{t['direction']}__{t['kind']}"
        data[f"{key}__amount"] = str(t["amount"])
        data[f"{key}__unit"] = t["unit"]
        data[f"{key}__urgent_amount"] = str(t["urgent_amount"])
        data[f"{key}__urgent_unit"] = t["urgent_unit"]
    data.update(prefix_values or {})
    return data


@pytest.fixture
def bare_region(world):
    return services.region_create(actor=world.admin, force=world.force, name="North Wales")


def _urls(world, region):
    return [
        "/partners/setup/",
        "/partners/setup/regions/new/",
        f"/partners/setup/regions/{region.uuid}/",
        f"/partners/setup/regions/{region.uuid}/agreement/",
        f"/partners/setup/agreements/{world.agreement.uuid}/",
        f"/partners/setup/agreements/{world.agreement.uuid}/versions/new/",
    ]


def test_anonymous_is_sent_to_sign_in(client, world, bare_region):
    for url in _urls(world, bare_region):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response["Location"], url


@pytest.mark.parametrize("who", ["officer", "sergeant", "practitioner", "auditor"])
def test_other_roles_get_404(world, bare_region, who):
    user = (
        make_user(Role.AUDITOR, make_team(world.force, kind=TeamKind.OTHER))
        if who == "auditor"
        else getattr(world, who)
    )
    client = verified_client(user)
    for url in _urls(world, bare_region):
        assert client.get(url).status_code == 404, url
    response = client.post("/partners/setup/regions/new/", {"force": world.force.pk, "name": "X"})
    assert response.status_code == 404
    assert client.get("/api/v1/partners/setup/regions").status_code == 404
    assert not ProbationRegion.objects.filter(name="X").exists()


def test_another_forces_administrator_sees_nothing_of_this_force(world, bare_region):
    other = Partnership(make_force("gwent", "Gwent Police"), name="Gwent region")
    client = verified_client(other.admin)
    page = client.get("/partners/setup/").content.decode()
    assert "Gwent region" in page and "North Wales" not in page
    for url in _urls(world, bare_region)[2:]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/partners/setup/regions/{bare_region.uuid}/practitioners/",
        {"email": other.practitioner.email},
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/partners/setup/regions",
        {"force": world.force.code, "name": "Sneaky"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not ProbationRegion.objects.filter(name="Sneaky").exists()


def test_an_administrator_adds_a_region_through_the_page(world):
    client = verified_client(world.admin)
    response = client.post("/partners/setup/regions/new/", {"force": world.force.pk, "name": ""})
    assert response.status_code == 422
    assert "Enter the region&#x27;s name" in response.content.decode()
    response = client.post(
        "/partners/setup/regions/new/", {"force": world.force.pk, "name": "Wales"}
    )
    assert response.status_code == 422
    assert "already has a region of that name" in response.content.decode()
    assert ProbationRegion.objects.count() == 1
    response = client.post(
        "/partners/setup/regions/new/",
        {"force": world.force.pk, "name": "North Wales", "name_cy": "Gogledd Cymru"},
    )
    region = ProbationRegion.objects.get(name="North Wales")
    assert response.status_code == 302 and str(region.uuid) in response["Location"]
    assert region.team.kind == TeamKind.OTHER and region.team.force == world.force
    assert AuditEvent.objects.filter(action="partners.region_create").count() == 2


def test_practitioners_are_added_and_removed(world, bare_region):
    client = verified_client(world.admin)
    url = f"/partners/setup/regions/{bare_region.uuid}/"
    response = client.post(url + "practitioners/", {"email": "nobody@example.org"})
    assert response.status_code == 422
    assert "There is no active account with that email address" in response.content.decode()
    response = client.post(url + "practitioners/", {"email": world.officer.email})
    assert response.status_code == 422 and "has a police role" in response.content.decode()
    newcomer = make_user(None, email="eira.probation@example.org", rank=Rank.EXTERNAL)
    response = client.post(url + "practitioners/", {"email": "Eira.Probation@example.org"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, team=bare_region.team)
    assert membership.role == Role.PROBATION
    page = client.get(url).content.decode()
    assert newcomer.full_name in page
    response = client.post(url + f"practitioners/{membership.uuid}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = AuditEvent.objects.filter(action__startswith="partners.practitioner")
    assert sorted(actions.values_list("action", flat=True)) == [
        "partners.practitioner_add",
        "partners.practitioner_remove",
    ]


def test_the_probation_owner_cannot_be_removed(world):
    client = verified_client(world.admin)
    membership = Membership.objects.get(user=world.practitioner, team=world.region.team)
    response = client.post(
        f"/partners/setup/regions/{world.region.uuid}/practitioners/{membership.uuid}/remove/",
        follow=True,
    )
    assert "owns the agreement for Probation" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_agreement_is_set_up_through_the_page(world, bare_region):
    nia = make_user(Role.PROBATION, bare_region.team, rank=Rank.EXTERNAL, full_name="Nia Rees")
    client = verified_client(world.admin)
    url = f"/partners/setup/regions/{bare_region.uuid}/agreement/"
    page = client.get(url).content.decode()
    assert "Response times: Police to Probation" in page
    bad = _terms_post({"to_probation__information__amount": "0"})
    response = client.post(
        url,
        {
            **bad,
            "police_owner": world.inspector.pk,
            "probation_owner": nia.pk,
            "started_on": "2026-12-01",
        },
    )
    assert response.status_code == 422
    assert (
        "Enter the response time for Information request (Police to Probation) as a whole "
        "number from 1 to 999" in response.content.decode()
    )
    assert not Agreement.objects.filter(region=bare_region).exists()
    response = client.post(
        url,
        {
            **_terms_post(
                {"to_police__joint_visit__amount": "48", "to_police__joint_visit__unit": "hours"}
            ),
            "police_owner": world.inspector.pk,
            "probation_owner": nia.pk,
            "started_on": "2026-12-01",
            "first_review_on": "2027-01-15",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(region=bare_region)
    version = agreement.versions.get()
    term = version.terms.get(direction="to_police", kind="joint_visit")
    assert (term.amount, term.unit) == (48, "hours")
    assert version.terms.count() == 16
    duty = Duty.objects.get(kind="partners.review", subject_id=agreement.uuid)
    assert duty.due_at.date() in (dt.date(2027, 1, 15), dt.date(2027, 1, 16))
    page = client.get(response["Location"]).content.decode()
    assert "Agreement set up, with version 1" in page


def test_the_sla_owner_publishes_a_new_version_and_old_requests_keep_theirs(world, nominal):
    from vigil.partners.services import requests as request_services

    old = request_services.request_raise(
        actor=world.officer,
        agreement=world.agreement,
        kind="information",
        register_reference=world.reference(nominal),
        details="Address please.",
    )
    client = verified_client(world.inspector)  # the police owner, not an administrator
    assert "Setting up" in client.get("/partners/").content.decode()
    url = f"/partners/setup/agreements/{world.agreement.uuid}/versions/new/"
    response = client.post(
        url, {**_terms_post(), "effective_from": "2026-10-01", "notes": "Back-dated"}
    )
    assert response.status_code == 422
    assert "must start today or later" in response.content.decode()
    assert world.agreement.versions.count() == 1
    response = client.post(
        url,
        {
            **_terms_post({"to_probation__information__amount": "3"}),
            "effective_from": "2026-11-03",
            "notes": "Quicker information requests",
        },
    )
    assert response.status_code == 302
    version = world.agreement.versions.get(number=2)
    assert version.created_by == world.inspector
    assert version.terms.get(direction="to_probation", kind="information").amount == 3
    old.refresh_from_db()
    assert old.version.number == 1
    page = client.get(f"/partners/setup/agreements/{world.agreement.uuid}/").content.decode()
    assert "New version published" in page and "Version 2" in page
    # The history and the version name who did it, never by their e-mail address.
    assert f"by {world.inspector.full_name}" in page
    assert f"recorded by {world.inspector.full_name}" in page
    assert world.inspector.email not in page
    assert AuditEvent.objects.filter(action="partners.version_create").count() == 1


def test_the_setup_list_holds_a_fixed_number_of_queries(world):
    client = verified_client(world.admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/partners/setup/").status_code == 200
        return len(ctx.captured_queries)

    count()
    before = count()
    for n in range(3):
        region = services.region_create(actor=world.admin, force=world.force, name=f"R{n}")
        make_user(Role.PROBATION, region.team, rank=Rank.EXTERNAL)
    assert count() == before


def test_the_menus_lead_to_setting_up(world):
    page = verified_client(world.admin).get("/", follow=True).content.decode()
    assert 'href="/partners/setup/"' in page
    follow = verified_client(world.admin).get("/partners/setup/").content.decode()
    assert "Add a probation region" in follow
    # A practitioner and an officer see no way in.
    for user in (world.practitioner, world.officer):
        page = verified_client(user).get("/partners/").content.decode()
        assert 'href="/partners/setup/"' not in page


def test_setting_up_through_the_api(world):
    client = verified_client(world.admin)
    response = client.post(
        "/api/v1/partners/setup/regions",
        {"force": world.force.code, "name": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.post(
        "/api/v1/partners/setup/regions",
        {"force": world.force.code, "name": "Mid Wales", "name_cy": "Canolbarth Cymru"},
        content_type="application/json",
    )
    assert response.status_code == 201
    region_id = response.json()["id"]
    make_user(None, email="owain.probation@example.org", rank=Rank.EXTERNAL)
    response = client.post(
        f"/api/v1/partners/setup/regions/{region_id}/practitioners",
        {"email": "owain.probation@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 201
    member = response.json()["members"][0]
    owner = Membership.objects.get(uuid=member["id"]).user
    response = client.post(
        f"/api/v1/partners/setup/regions/{region_id}/agreement",
        {
            "police_owner": str(world.inspector.uuid),
            "probation_owner": str(owner.uuid),
            "started_on": "2026-11-02",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    agreement_id = response.json()["id"]
    terms = services.default_terms()
    response = client.post(
        f"/api/v1/partners/setup/agreements/{agreement_id}/versions",
        {"effective_from": "2026-11-01", "notes": "x", "terms": terms},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.post(
        f"/api/v1/partners/setup/agreements/{agreement_id}/versions",
        {"effective_from": "2026-12-01", "notes": "Second", "terms": terms},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    detail = client.get(f"/api/v1/partners/setup/agreements/{agreement_id}").json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert AgreementVersion.objects.filter(agreement__uuid=agreement_id).count() == 2
    assert ResponseTime.objects.filter(version__agreement__uuid=agreement_id).count() == 32
    listed = client.get("/api/v1/partners/setup/regions").json()
    assert {r["name"] for r in listed} == {"Wales", "Mid Wales"}
    response = client.delete(
        f"/api/v1/partners/setup/regions/{region_id}/practitioners/{member['id']}"
    )
    assert response.status_code == 422  # the probation owner


def test_a_force_wide_administrator_scope_is_the_force(world):
    # An administrator with team scope still sets up their force's partnerships.
    admin = make_user(
        Role.ADMIN, make_team(world.force, name="Admin 2", kind=TeamKind.OTHER), scope=Scope.TEAM
    )
    assert verified_client(admin).get("/partners/setup/").status_code == 200
