"""Sign-in security (docs/security.md, ASVS V2 and V3): a new session key at sign-in and
again when the second factor is given, a security event for every failed sign-in, and
the limit on failed sign-ins from one network address."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.tests.test_sign_in import _code, _sign_in
from vigil.audit.models import AuditEvent
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user

pytestmark = pytest.mark.django_db


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_session_key_changes_at_sign_in_and_again_at_the_second_factor():
    user = make_user()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    session = client.session
    session["seen"] = True  # an anonymous session, as an attacker could plant
    session.save()
    planted = _session_key(client)
    assert _sign_in(client, user.email).status_code == 302
    after_password = _session_key(client)
    assert after_password != planted
    response = client.post(reverse("accounts:two-factor"), {"code": _code(device)})
    assert response.status_code == 302
    assert _session_key(client) not in (planted, after_password)
    assert client.get("/work/").status_code == 200
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = after_password
    assert stale.get("/work/").status_code == 302  # the half-signed-in key is worth nothing


def test_the_session_cookie_is_http_only_same_site_and_ends_within_a_day():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_a_failed_sign_in_to_an_unknown_address_is_recorded():
    _sign_in(Client(), "nobody@example.police.uk", "wrong-password-here")
    event = AuditEvent.objects.get(action="auth.failed")
    assert event.changes["stage"] == "unknown_account"
    assert event.changes["email"] == "nobody@example.police.uk"
    assert event.changes["address"] == "127.0.0.1"


def test_failed_sign_ins_from_one_address_are_limited_and_recorded():
    user = make_user()
    others = [make_user() for _ in range(3)]
    policy_override_create(
        actor=make_user("admin"),
        key="accounts.sign_in_attempts_per_address",
        value="5",
        effective_from=None,
        reason="Force information security policy",
    )
    client = Client()
    for i in range(5):  # spread over accounts, so no account is locked
        _sign_in(client, others[i % 3].email, "wrong-password-here")
    response = _sign_in(client, user.email)  # the right password, but from that address
    assert response.status_code == 429
    assert b"too many failed sign-ins from your network address" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.throttled").count() == 1
    user.refresh_from_db()
    assert user.failed_sign_in_count == 0
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert _sign_in(elsewhere, user.email).status_code == 302


def test_a_successful_sign_in_does_not_count_toward_the_address_limit():
    policy_override_create(
        actor=make_user("admin"),
        key="accounts.sign_in_attempts_per_address",
        value="5",
        effective_from=None,
        reason="Force information security policy",
    )
    user = make_user()
    for _ in range(6):
        assert _sign_in(Client(), user.email).status_code == 302


def test_creating_an_api_token_needs_the_password_again():
    from vigil.accounts.models import ApiToken
    from vigil.core.testing import PASSWORD, verified_client

    admin = make_user("admin")
    system = make_user("analyst", full_name="Warehouse Account")
    client = verified_client(admin)
    url = reverse("accounts:tokens")
    response = client.post(url, {"user": system.pk, "name": "Warehouse"})
    assert b"Enter your password" in response.content
    response = client.post(url, {"user": system.pk, "name": "Warehouse", "password": "not-it"})
    assert b"The password is not right" in response.content
    assert not ApiToken.objects.exists()
    admin.refresh_from_db()
    assert admin.failed_sign_in_count == 1
    assert AuditEvent.objects.filter(
        action="auth.failed", target_id=str(admin.uuid), changes__stage="reauthenticate"
    ).exists()
    response = client.post(url, {"user": system.pk, "name": "Warehouse", "password": PASSWORD})
    assert response.status_code == 200 and b"vgl_" in response.content
    assert ApiToken.objects.get().user == system
