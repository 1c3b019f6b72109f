"""The system administrator: forces, and users and teams in every force (a fresh
installation starts with no force at all)."""

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts import services
from vigil.accounts.models import Force, Membership, Team, User
from vigil.accounts.tests.helpers import make_system_admin, two_forces
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import PermissionDenied
from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("officer", 403), ("admin", 403), ("system", 200)]
)
def test_the_forces_page_is_for_the_system_administrator_only(who, status):
    if who is None:
        client = Client()
    elif who == "system":
        client = verified_client(make_system_admin())
    else:
        client = verified_client(make_user(who))
    response = client.get(reverse("accounts:forces"))
    assert response.status_code == status
    if who is None:
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    response = client.post(reverse("accounts:forces"), {"code": "gwent", "name": "Gwent Police"})
    assert response.status_code == (302 if status == 200 else status)
    assert Force.objects.filter(code="gwent").exists() is (who == "system")


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("officer", 403), ("admin", 403), ("system", 200)]
)
def test_the_forces_api_is_for_the_system_administrator_only(who, status):
    if who is None:
        client = Client()
    elif who == "system":
        client = verified_client(make_system_admin())
    else:
        client = verified_client(make_user(who))
    assert client.get("/api/v1/accounts/forces").status_code == status
    response = client.post(
        "/api/v1/accounts/forces",
        {"code": "gwent", "name": "Gwent Police", "name_cy": "Heddlu Gwent"},
        content_type="application/json",
    )
    assert response.status_code == (201 if status == 200 else status)
    assert Force.objects.filter(code="gwent").exists() is (who == "system")


def test_a_fresh_installation_gets_its_first_force_team_and_user():
    """migrate → createsuperuser → sign in → add a force → add teams → add users."""
    assert not Force.objects.exists()
    system = make_system_admin()
    client = verified_client(system)
    page = client.get(reverse("accounts:forces")).content.decode()
    assert "No forces yet" in page
    assert 'href="/account/forces/"' in page  # in the menu

    response = client.post(
        reverse("accounts:forces"),
        {"code": "Dyfed-Powys ", "name": "Dyfed-Powys Police", "name_cy": "Heddlu Dyfed-Powys"},
    )
    assert response.status_code == 302
    force = Force.objects.get()
    assert (force.code, force.name, force.name_cy) == (
        "dyfed-powys",
        "Dyfed-Powys Police",
        "Heddlu Dyfed-Powys",
    )
    event = AuditEvent.objects.get(action="force.create")
    assert event.actor_id == system.pk and event.target_id == str(force.uuid)
    assert event.changes["code"] == "dyfed-powys"

    response = client.post(
        reverse("accounts:teams"),
        {"force": force.pk, "name": "POLIT West", "name_cy": "", "kind": "polit"},
    )
    assert response.status_code == 302
    team = Team.objects.get(force=force)
    assert AuditEvent.objects.filter(action="team.create", target_id=str(team.uuid)).exists()

    response = client.post(
        reverse("accounts:user-create"),
        {
            "full_name": "Gwen Admin",
            "email": "gwen@example.police.uk",
            "rank": "staff_manager",
            "team": team.pk,
            "role": "admin",
            "scope": "force",
            "password": "a-long-temporary-passphrase",
        },
    )
    assert response.status_code == 302
    gwen = User.objects.get(email="gwen@example.police.uk")
    assert Membership.objects.filter(user=gwen, team=team, role="admin", scope="force").exists()
    assert gwen.must_change_password


def test_it_refuses_a_bad_or_repeated_force_code_or_name():
    client = verified_client(make_system_admin())
    Force.objects.create(code="gwent", name="Gwent Police")
    cases = [
        ({"code": "", "name": ""}, b"Enter the force&#x27;s code"),
        ({"code": "gwent", "name": "Another"}, b"There is already a force with this code"),
        ({"code": "gw ent!", "name": "Another"}, b"lower-case letters, numbers and hyphens"),
        ({"code": "gwent-2", "name": "gwent police"}, b"There is already a force with this name"),
    ]
    for data, message in cases:
        response = client.post(reverse("accounts:forces"), data)
        assert response.status_code == 200 and message in response.content, data
    assert Force.objects.count() == 1
    assert not AuditEvent.objects.filter(action="force.create").exists()


def test_only_the_system_administrator_can_create_a_force_in_the_service():
    admin = make_user("admin")
    with pytest.raises(PermissionDenied):
        services.force_create(actor=admin, code="gwent", name="Gwent Police")
    assert not Force.objects.filter(code="gwent").exists()


def test_the_system_administrator_reaches_every_force():
    w = two_forces()
    client = verified_client(w.system_admin)
    page = client.get(reverse("accounts:users"))
    names = {u.full_name for u in page.context["page_obj"]}
    assert {"Ceri Officer", "Dafydd Outsider", "Alys Admin", "Bryn Admin"} <= names
    form = client.get(reverse("accounts:user-create")).context["form"]
    assert set(form.fields["team"].queryset) == {w.team, w.other_team}
    # A role in any force, for any user.
    response = client.post(
        reverse("accounts:user-detail", args=[w.outsider.uuid]),
        {"form": "membership", "team": w.team.pk, "role": "analyst", "scope": "team"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=w.outsider, team=w.team, role="analyst").exists()
    response = client.post(
        "/api/v1/accounts/teams",
        {"force": "north-wales", "name": "MOSOVO North", "kind": "mosovo"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Team.objects.filter(force=w.other_force, name="MOSOVO North").exists()


def test_forces_are_listed_in_the_api():
    w = two_forces()
    rows = verified_client(w.system_admin).get("/api/v1/accounts/forces").json()
    assert [r["code"] for r in rows] == ["dyfed-powys", "north-wales"]


def test_the_forces_page_costs_the_same_queries_however_many_forces():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.core.testing import make_force, make_team

    w = two_forces()
    client = verified_client(w.system_admin)
    client.get(reverse("accounts:forces"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("accounts:forces")).status_code == 200
    for n in range(4):
        make_team(force=make_force(f"extra-{n}", f"Extra Police {n}"))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("accounts:forces")).content.decode()
    assert "Extra Police 3" in page
    assert len(many) == len(few)


def test_the_teams_api_lists_only_the_users_own_force():
    """Where forces share an installation, one force's users do not see another's teams;
    the system administrator, who works across forces, sees them all."""
    w = two_forces()
    assert Client().get("/api/v1/accounts/teams").status_code == 401
    for user, forces in (
        (w.officer, {"dyfed-powys"}),
        (w.outsider, {"north-wales"}),
        (w.admin, {"dyfed-powys"}),
        (w.system_admin, {"dyfed-powys", "north-wales"}),
    ):
        rows = verified_client(user).get("/api/v1/accounts/teams").json()
        assert {r["force"] for r in rows} == forces, user
    rows = verified_client(w.outsider).get("/api/v1/accounts/teams").json()
    assert [r["id"] for r in rows] == [str(w.other_team.uuid)]


def test_the_teams_api_costs_the_same_queries_however_many_teams(django_assert_num_queries):
    from vigil.core.testing import make_team

    w = two_forces()
    client = verified_client(w.officer)
    client.get("/api/v1/accounts/teams")  # the first request of a session does more
    before = _queries(client)
    for i in range(3, 6):
        make_team(w.force, name=f"Extra {i}")
    with django_assert_num_queries(before):
        assert len(client.get("/api/v1/accounts/teams").json()) == 4


def _queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/accounts/teams")
    return len(ctx.captured_queries)
