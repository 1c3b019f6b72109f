import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Membership, User
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_team, make_user, verified_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("supervisor", 403), ("auditor", 403), ("admin", 200)]
)
def test_admin_pages_access(role, status):
    client = Client() if role is None else verified_client(make_user(role))
    target = make_user("officer")
    for url in (
        reverse("accounts:users"),
        reverse("accounts:user-create"),
        reverse("accounts:teams"),
        reverse("accounts:user-detail", args=[target.uuid]),
    ):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("manager", 403), ("admin", 200)])
def test_admin_api_access(role, status):
    client = Client() if role is None else verified_client(make_user(role))
    assert client.get("/api/v1/accounts/users").status_code == status


def test_an_administrator_adds_a_user_with_a_role():
    admin = make_user("admin")
    team = make_team()
    client = verified_client(admin)
    response = client.post(
        reverse("accounts:user-create"),
        {
            "full_name": "Elin Jenkins",
            "email": "Elin.Jenkins@example.police.uk",
            "rank": "sergeant",
            "team": team.pk,
            "role": "supervisor",
            "scope": "team",
            "password": "a-long-temporary-passphrase",
        },
    )
    user = User.objects.get(email="elin.jenkins@example.police.uk")
    assert response["Location"] == reverse("accounts:user-detail", args=[user.uuid])
    assert user.check_password("a-long-temporary-passphrase") and user.rank == "sergeant"
    assert Membership.objects.filter(user=user, team=team, role="supervisor").exists()
    assert AuditEvent.objects.filter(
        action="user.create", target_id=str(user.uuid), actor_id=admin.pk
    ).exists()


def test_it_refuses_a_weak_password_and_creates_nothing():
    client = verified_client(make_user("admin"))
    response = client.post(
        reverse("accounts:user-create"),
        {
            "full_name": "Weak",
            "email": "weak@example.police.uk",
            "rank": "constable",
            "team": make_team().pk,
            "role": "officer",
            "scope": "team",
            "password": "password",
        },
    )
    assert b"There is a problem" in response.content
    assert not User.objects.filter(email="weak@example.police.uk").exists()


def test_an_administrator_deactivates_and_unlocks_with_reasons():
    admin = make_user("admin")
    target = make_user("officer")
    client = verified_client(admin)
    url = reverse("accounts:user-detail", args=[target.uuid])
    response = client.post(url, {"form": "active", "reason": ""})
    assert b"Enter the reason" in response.content
    client.post(url, {"form": "active", "reason": "Left the force"})
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.get(action="user.deactivate").reason == "Left the force"


def test_an_administrator_cannot_deactivate_themselves():
    admin = make_user("admin")
    response = verified_client(admin).post(
        reverse("accounts:user-detail", args=[admin.uuid]), {"form": "active", "reason": "test"}
    )
    assert b"You cannot deactivate your own account" in response.content
    admin.refresh_from_db()
    assert admin.is_active


def test_the_user_list_uses_a_fixed_number_of_queries(django_assert_max_num_queries):
    client = verified_client(make_user("admin"))
    for _ in range(25):
        make_user("officer")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:users"))
    assert response.context["page_obj"].paginator.count == 26


def test_the_api_creates_a_user_and_reports_errors_in_one_shape():
    admin = verified_client(make_user("admin"))
    team = make_team()
    payload = {
        "email": "owain@example.police.uk",
        "full_name": "Owain Lloyd",
        "rank": "inspector",
        "password": "another-long-passphrase",
        "team": str(team.uuid),
        "role": "manager",
    }
    response = admin.post("/api/v1/accounts/users", payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["memberships"][0]["role"] == "manager"
    response = admin.post("/api/v1/accounts/users", payload, content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "email"
    response = admin.post(
        "/api/v1/accounts/users", {**payload, "rank": "general"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_failed"


def test_welsh_name_boxes_are_marked_as_welsh():
    from vigil.accounts.choices import Role

    admin = make_user(Role.ADMIN, make_team())
    html = verified_client(admin).get(reverse("accounts:teams")).content.decode()
    box = next(tag for tag in html.split("<input") if 'name="name_cy"' in tag)
    assert 'lang="cy"' in box  # so that screen readers and spell-checkers use Welsh
