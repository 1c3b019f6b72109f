"""Changing your own password; an administrator's temporary password; and the change
a user must make at their next sign-in after an administrator set it."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts import services
from vigil.accounts.models import User
from vigil.accounts.tests.helpers import two_forces
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import ValidationFailed
from vigil.core.testing import PASSWORD, make_user, verified_client

pytestmark = pytest.mark.django_db
NEW = "a-brand-new-long-passphrase"
URL = reverse("accounts:password-change")


def _change(client, current=PASSWORD, new=NEW, confirm=None, **extra):
    return client.post(
        URL,
        {"current_password": current, "new_password": new, "confirm_password": confirm or new},
        **extra,
    )


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_page_is_for_anyone_signed_in():
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign-in")
    )
    for role in ("officer", "auditor", "admin", None):
        page = verified_client(make_user(role)).get(URL)
        assert page.status_code == 200 and b"Change your password" in page.content
    # Linked from the header of every page.
    page = verified_client(make_user()).get("/work/").content.decode()
    assert f'href="{URL}"' in page


def test_a_user_changes_their_password_and_their_other_sessions_end():
    user = make_user()
    client = verified_client(user)
    elsewhere = verified_client(user)
    response = _change(client)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert not user.must_change_password
    event = AuditEvent.objects.get(action="auth.password_change")
    assert event.actor_id == user.pk and event.target_id == str(user.uuid)
    assert NEW not in str(event.changes)
    # This session stays signed in; the other one is signed out.
    assert client.get("/work/").status_code == 200
    response = elsewhere.get("/work/")
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current": "not-my-password"}, b"Your current password is not right"),
        ({"confirm": "something-else-entirely"}, b"The two new passwords are not the same"),
        ({"new": "short"}, b"This password is too short"),
        ({"new": "1234567890123"}, b"This password is entirely numeric"),
        ({"new": PASSWORD}, b"different from your current one"),
    ],
)
def test_it_refuses_a_wrong_current_or_unacceptable_new_password(data, message):
    user = make_user()
    client = verified_client(user)
    response = _change(client, **data)
    assert response.status_code == 200 and message in response.content
    assert b"There is a problem" in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="auth.password_change").exists()


def test_wrong_current_passwords_count_toward_the_lock_out():
    from vigil.core.services import policy_override_create

    policy_override_create(
        actor=make_user("admin"),
        key="accounts.lockout_attempts",
        value="3",
        effective_from=None,
        reason="Force information security policy",
    )
    user = make_user()
    client = verified_client(user)
    _change(client, current="guess-one-xxxx")
    _change(client, current="guess-two-xxxx")
    user.refresh_from_db()
    assert user.failed_sign_in_count == 2
    response = _change(client, current="guess-three-xxx")
    assert response["Location"] == reverse("accounts:sign-in")
    user.refresh_from_db()
    assert user.locked_until is not None and user.check_password(PASSWORD)
    assert AuditEvent.objects.get(action="auth.locked").changes["stage"] == "password_change"
    assert client.get("/work/").status_code == 302


def test_the_api_changes_your_own_password():
    user = make_user()
    client = verified_client(user)
    elsewhere = verified_client(user)
    assert Client().post("/api/v1/accounts/password").status_code == 401
    response = client.post(
        "/api/v1/accounts/password",
        {"current_password": "wrong-password-x", "new_password": NEW},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "current_password"
    response = client.post(
        "/api/v1/accounts/password",
        {"current_password": PASSWORD, "new_password": "password"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "too common" in response.json()["error"]["message"]
    response = client.post(
        "/api/v1/accounts/password",
        {"current_password": PASSWORD, "new_password": NEW},
        content_type="application/json",
    )
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(action="auth.password_change", actor_id=user.pk).exists()
    assert client.get("/api/v1/policies").status_code == 200
    assert elsewhere.get("/api/v1/policies").status_code == 401


# --- the administrator's temporary password ----------------------------------------------


def test_an_administrator_sets_a_temporary_password():
    w = two_forces()
    client = verified_client(w.admin)
    elsewhere = verified_client(w.officer)
    url = reverse("accounts:user-detail", args=[w.officer.uuid])
    response = client.post(url, {"form": "password", "password": "password"})
    assert response.status_code == 200 and b"This password is too common" in response.content
    w.officer.refresh_from_db()
    assert w.officer.check_password(PASSWORD) and not w.officer.must_change_password
    response = client.post(url, {"form": "password", "password": "temporary-passphrase-1"})
    assert response.status_code == 302
    w.officer.refresh_from_db()
    assert w.officer.check_password("temporary-passphrase-1") and w.officer.must_change_password
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.actor_id == w.admin.pk and event.target_id == str(w.officer.uuid)
    assert "temporary-passphrase-1" not in str(event.changes)
    # The user's sessions end.
    assert elsewhere.get("/work/").status_code == 302


def test_the_temporary_password_action_by_role_and_scope():
    w = two_forces()
    data = {"form": "password", "password": "temporary-passphrase-1"}
    url = reverse("accounts:user-detail", args=[w.officer.uuid])
    assert Client().post(url, data).status_code == 302
    assert verified_client(make_user("supervisor", w.team)).post(url, data).status_code == 403
    assert verified_client(w.other_admin).post(url, data).status_code == 404
    w.officer.refresh_from_db()
    assert w.officer.check_password(PASSWORD)
    # Not your own: use Change your password.
    own = reverse("accounts:user-detail", args=[w.admin.uuid])
    response = verified_client(w.admin).post(own, data)
    assert b"use Change your password" in response.content
    w.admin.refresh_from_db()
    assert w.admin.check_password(PASSWORD)
    # The API, the same.
    api = f"/api/v1/accounts/users/{w.officer.uuid}/password"
    body = {"password": "temporary-passphrase-2"}
    assert Client().post(api, body, content_type="application/json").status_code == 401
    assert (
        verified_client(w.outsider).post(api, body, content_type="application/json").status_code
        == 403
    )
    assert (
        verified_client(w.other_admin).post(api, body, content_type="application/json").status_code
        == 404
    )
    response = verified_client(w.admin).post(api, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["must_change_password"] is True
    w.officer.refresh_from_db()
    assert w.officer.check_password("temporary-passphrase-2")


def test_a_new_user_and_a_reset_password_are_changed_at_the_next_sign_in():
    admin = make_user("admin")
    user = services.user_create_by_admin(
        actor=admin,
        email="newbie@example.police.uk",
        full_name="Nia Newbie",
        password="temporary-passphrase-1",
        rank="constable",
        team=admin.memberships.get().team,
        role="officer",
    )
    assert user.must_change_password
    client = Client()
    client.post(
        reverse("accounts:sign-in"),
        {"email": user.email, "password": "temporary-passphrase-1"},
    )
    # The second factor first...
    assert client.get("/work/")["Location"] == reverse("accounts:two-factor")
    assert client.get(URL)["Location"] == reverse("accounts:two-factor")
    client.get(reverse("accounts:two-factor"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two-factor"), {"code": _code(device)})
    # ...then the password, before anything else.
    assert client.get(response["Location"], follow=False)["Location"].startswith(URL)
    response = client.get("/people/")
    assert response["Location"] == f"{URL}?next=%2Fpeople%2F"
    page = client.get(URL).content.decode()
    assert "An administrator set your password" in page
    assert "govuk-service-navigation" not in page and "Nia Newbie" not in page
    api = client.get("/api/v1/policies")
    assert api.status_code == 403 and api.json()["error"]["code"] == "password_change_required"
    response = _change(client, current="temporary-passphrase-1")
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW)
    assert client.get("/work/").status_code == 200
    assert client.get("/api/v1/policies").status_code == 200


def test_a_token_for_a_user_with_a_temporary_password_still_works():
    admin = make_user("admin")
    system = make_user("analyst")
    User.objects.filter(pk=system.pk).update(must_change_password=True)
    _token, key = services.api_token_create(actor=admin, user=system, name="Warehouse")
    response = Client().get("/api/v1/policies", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_in_demo_mode_the_change_comes_straight_after_the_password(settings):
    settings.VIGIL_REQUIRE_SECOND_FACTOR = False
    user = make_user()
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client = Client()
    client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    assert client.get("/work/")["Location"].startswith(URL)


def test_the_service_refuses_an_empty_current_password():
    user = make_user()
    with pytest.raises(ValidationFailed):
        services.password_change(user=user, current_password="", new_password=NEW)
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.failed_sign_in_count == 1


def test_an_idle_forced_change_still_signs_out():
    user = make_user()
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        client = verified_client(user)
        assert client.get(URL).status_code == 200
        t.shift(dt.timedelta(minutes=31))
        response = client.get(URL)
        assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]
