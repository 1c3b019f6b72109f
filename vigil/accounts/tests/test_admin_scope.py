"""A force's administrator manages the users, teams, roles and tokens of their own force
only, and never their own roles or account status."""

import pytest
from django.urls import reverse

from vigil.accounts import services
from vigil.accounts.models import ApiToken, Membership, Team, User
from vigil.accounts.tests.helpers import two_forces
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import NotFound
from vigil.core.testing import PASSWORD, make_team, make_user, verified_client
from vigil.duties.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return two_forces()


def test_the_user_list_shows_only_the_administrators_force(w):
    page = verified_client(w.admin).get(reverse("accounts:users"))
    names = {u.full_name for u in page.context["page_obj"]}
    assert names == {"Alys Admin", "Ceri Officer"}  # not the other force, not the superuser
    rows = verified_client(w.admin).get("/api/v1/accounts/users").json()["items"]
    assert {r["full_name"] for r in rows} == {"Alys Admin", "Ceri Officer"}


def test_a_user_in_both_forces_shows_only_the_roles_in_reach(w):
    Membership.objects.create(user=w.outsider, team=w.team, role="analyst")
    page = verified_client(w.admin).get(reverse("accounts:user-detail", args=[w.outsider.uuid]))
    assert page.status_code == 200
    assert [m.team for m in page.context["subject"].memberships.all()] == [w.team]


@pytest.mark.parametrize(
    "url_name", ["accounts:user-detail", "accounts:user-edit"], ids=["detail", "edit"]
)
def test_another_forces_user_and_the_system_administrator_are_not_found(w, url_name):
    client = verified_client(w.admin)
    for target in (w.outsider, w.other_admin, w.system_admin):
        assert client.get(reverse(url_name, args=[target.uuid])).status_code == 404
        assert (
            client.post(
                reverse("accounts:user-detail", args=[target.uuid]), {"form": "unlock"}
            ).status_code
            == 404
        )
    assert not AuditEvent.objects.filter(action="user.unlock").exists()
    assert client.get(reverse(url_name, args=[w.officer.uuid])).status_code == 200


def test_the_api_gives_404_for_another_forces_user_and_team(w):
    client = verified_client(w.admin)
    base = f"/api/v1/accounts/users/{w.outsider.uuid}"
    assert client.get(base).status_code == 404
    assert (
        client.patch(base, {"full_name": "X"}, content_type="application/json").status_code == 404
    )
    assert client.post(f"{base}/unlock").status_code == 404
    assert (
        client.post(
            f"{base}/active", {"active": False, "reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    response = client.post(
        f"/api/v1/accounts/users/{w.officer.uuid}/memberships",
        {"team": str(w.other_team.uuid), "role": "officer"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/accounts/teams",
        {"force": "north-wales", "name": "Sneaky", "kind": "polit"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/accounts/users",
        {
            "email": "sneaky@example.police.uk",
            "full_name": "Sneaky",
            "rank": "constable",
            "password": "a-long-temporary-passphrase",
            "team": str(w.other_team.uuid),
            "role": "officer",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="sneaky@example.police.uk").exists()
    outsider_role = Membership.objects.get(user=w.outsider)
    assert client.delete(f"/api/v1/accounts/memberships/{outsider_role.uuid}").status_code == 404
    w.outsider.refresh_from_db()
    assert w.outsider.full_name == "Dafydd Outsider" and w.outsider.is_active
    assert not Membership.objects.filter(user=w.officer, team=w.other_team).exists()
    assert not Team.objects.filter(name="Sneaky").exists()
    assert Membership.objects.filter(pk=outsider_role.pk).exists()


def test_team_choices_and_the_team_list_are_the_administrators_force(w):
    client = verified_client(w.admin)
    create = client.get(reverse("accounts:user-create")).context["form"]
    assert list(create.fields["team"].queryset) == [w.team]
    detail = client.get(reverse("accounts:user-detail", args=[w.officer.uuid]))
    assert list(detail.context["membership_form"].fields["team"].queryset) == [w.team]
    teams = client.get(reverse("accounts:teams"))
    assert list(teams.context["teams"]) == [w.team]
    assert list(teams.context["form"].fields["force"].queryset) == [w.force]


def test_it_refuses_a_user_or_role_in_another_forces_team(w):
    client = verified_client(w.admin)
    response = client.post(
        reverse("accounts:user-create"),
        {
            "full_name": "Sneaky",
            "email": "sneaky@example.police.uk",
            "rank": "constable",
            "team": w.other_team.pk,
            "role": "officer",
            "scope": "team",
            "password": "a-long-temporary-passphrase",
        },
    )
    assert response.status_code == 200 and b"There is a problem" in response.content
    assert not User.objects.filter(email="sneaky@example.police.uk").exists()
    response = client.post(
        reverse("accounts:user-detail", args=[w.officer.uuid]),
        {"form": "membership", "team": w.other_team.pk, "role": "officer", "scope": "team"},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=w.officer, team=w.other_team).exists()
    response = client.post(
        reverse("accounts:teams"), {"force": w.other_force.pk, "name": "X", "kind": "polit"}
    )
    assert response.status_code == 200 and not Team.objects.filter(name="X").exists()
    # The services refuse it too, whatever a form lets through.
    with pytest.raises(NotFound):
        services.membership_add_by_admin(
            actor=w.admin, user=w.officer, team=w.other_team, role="officer", scope="team"
        )


def test_an_administrator_cannot_change_their_own_roles(w):
    client = verified_client(w.admin)
    url = reverse("accounts:user-detail", args=[w.admin.uuid])
    page = client.get(url).content.decode()
    assert "You cannot change your own roles" in page and 'value="membership"' not in page
    response = client.post(
        url, {"form": "membership", "team": w.team.pk, "role": "manager", "scope": "force"}
    )
    assert b"You cannot change your own roles" in response.content
    assert not Membership.objects.filter(user=w.admin, role="manager").exists()
    own = Membership.objects.get(user=w.admin)
    Membership.objects.create(user=w.admin, team=w.team, role="analyst")
    response = client.post(reverse("accounts:membership-remove", args=[own.uuid]), follow=True)
    assert b"You cannot change your own roles" in response.content
    assert Membership.objects.filter(pk=own.pk).exists()
    response = verified_client(w.admin).post(
        f"/api/v1/accounts/users/{w.admin.uuid}/memberships",
        {"team": str(w.team.uuid), "role": "manager"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "own roles" in response.json()["error"]["message"]
    assert not Membership.objects.filter(user=w.admin, role="manager").exists()
    assert not AuditEvent.objects.filter(action__startswith="membership.").exists()


def test_an_administrator_cannot_deactivate_themselves_by_the_api(w):
    response = verified_client(w.admin).post(
        f"/api/v1/accounts/users/{w.admin.uuid}/active",
        {"active": False, "reason": "test"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "deactivate your own account" in response.json()["error"]["message"]
    w.admin.refresh_from_db()
    assert w.admin.is_active


def test_a_force_administrator_does_not_remove_a_users_last_role(w):
    client = verified_client(w.admin)
    only = Membership.objects.get(user=w.officer)
    response = client.post(reverse("accounts:membership-remove", args=[only.uuid]), follow=True)
    assert b"This is the user&#x27;s only role" in response.content
    assert Membership.objects.filter(pk=only.pk).exists()
    second = Membership.objects.create(
        user=w.officer, team=make_team(w.force, name="B"), role="analyst"
    )
    client.post(reverse("accounts:membership-remove", args=[second.uuid]))
    assert not Membership.objects.filter(pk=second.pk).exists()
    assert AuditEvent.objects.filter(
        action="membership.remove", target_id=str(w.officer.uuid)
    ).exists()


def test_an_administrator_manages_a_user_of_their_force(w):
    client = verified_client(w.admin)
    url = reverse("accounts:user-detail", args=[w.officer.uuid])
    client.post(url, {"form": "membership", "team": w.team.pk, "role": "analyst", "scope": "team"})
    assert Membership.objects.filter(user=w.officer, role="analyst").exists()
    client.post(url, {"form": "active", "reason": "Left the force"})
    w.officer.refresh_from_db()
    assert not w.officer.is_active


def test_takeover_actions_on_a_user_also_in_another_force_need_the_system_administrator(w):
    Membership.objects.create(user=w.outsider, team=w.team, role="analyst")
    client = verified_client(w.admin)
    url = reverse("accounts:user-detail", args=[w.outsider.uuid])
    response = client.post(
        url,
        {
            "form": "second_factor",
            "second-factor-reason": "Lost phone",
            "second-factor-password": PASSWORD,
        },
    )
    assert b"also works in another force" in response.content
    response = client.post(url, {"form": "password", "password": "another-long-passphrase"})
    assert b"also works in another force" in response.content
    w.outsider.refresh_from_db()
    assert not w.outsider.must_change_password
    assert not AuditEvent.objects.filter(
        action__in=["auth.second_factor_reset", "user.password_reset"]
    ).exists()


# --- tokens ---------------------------------------------------------------------------


def test_tokens_are_made_only_for_users_of_the_administrators_force(w):
    client = verified_client(w.admin)
    form = client.get(reverse("accounts:tokens")).context["form"]
    assert set(form.fields["user"].queryset) == {w.admin, w.officer}
    response = client.post(
        reverse("accounts:tokens"), {"user": w.outsider.pk, "name": "X", "password": PASSWORD}
    )
    assert response.status_code == 200 and b"There is a problem" in response.content
    with pytest.raises(NotFound):
        services.api_token_create(actor=w.admin, user=w.outsider, name="X")
    assert not ApiToken.objects.exists()


def test_the_user_a_token_is_made_for_is_told_in_vigil(w):
    response = verified_client(w.admin).post(
        reverse("accounts:tokens"),
        {"user": w.officer.pk, "name": "Force data warehouse", "password": PASSWORD},
    )
    assert response.status_code == 200 and b"vgl_" in response.content
    token = ApiToken.objects.get()
    assert token.user == w.officer and token.created_by == w.admin
    note = Notification.objects.get(user=w.officer)
    assert note.message_key == services.API_TOKEN_CREATED and note.duty is None
    assert note.params == {
        "name": "Force data warehouse",
        "prefix": token.prefix,
        "created_by": "Alys Admin",
    }
    assert not Notification.objects.exclude(user=w.officer).exists()
    # The user reads what happened on their notifications page.
    page = verified_client(w.officer).get("/work/notifications/").content.decode()
    assert "An API token now acts as you" in page
    assert "Alys Admin created the API token" in page and f"vgl_{token.prefix}_" in page


def test_tokens_of_another_force_are_not_listed_or_revoked(w):
    theirs, _key = services.api_token_create(actor=w.other_admin, user=w.outsider, name="Theirs")
    ours, _key = services.api_token_create(actor=w.admin, user=w.officer, name="Ours")
    client = verified_client(w.admin)
    assert list(client.get(reverse("accounts:tokens")).context["tokens"]) == [ours]
    response = client.post(reverse("accounts:token-revoke", args=[theirs.uuid]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    # The system administrator sees and revokes any.
    system = verified_client(w.system_admin)
    assert set(system.get(reverse("accounts:tokens")).context["tokens"]) == {ours, theirs}
    system.post(reverse("accounts:token-revoke", args=[theirs.uuid]))
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None


def test_the_scoped_user_list_uses_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    client = verified_client(w.admin)
    for _ in range(20):
        make_user("officer", w.team)
        make_user("officer", w.other_team)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:users"))
    assert response.context["page_obj"].paginator.count == 22
