"""API tokens through the API (create with the password again, list, revoke), their
expiry, last-used time and rate limit, and re-authentication before a second factor is
reset: anonymous, wrong role, another force, permitted, with the database and the audit
log asserted."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts import services
from vigil.accounts.models import ApiToken
from vigil.accounts.tests.helpers import two_forces
from vigil.audit.models import AuditEvent
from vigil.core.services import policy_override_create
from vigil.core.testing import PASSWORD, verified_client

pytestmark = pytest.mark.django_db
BASE = "/api/v1/accounts/tokens"
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def w():
    return two_forces()


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_anonymous_callers_are_refused(w):
    token, _key = services.api_token_create(actor=w.admin, user=w.officer, name="Warehouse")
    client = Client()
    for response in (
        client.get(BASE),
        client.get(f"{BASE}/{token.uuid}"),
        _post(client, BASE, {"user": str(w.officer.uuid), "name": "X", "password": PASSWORD}),
        _post(client, f"{BASE}/{token.uuid}/revoke"),
    ):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.count() == 1


def test_a_role_that_is_not_administrator_is_refused(w):
    token, _key = services.api_token_create(actor=w.admin, user=w.officer, name="Warehouse")
    client = verified_client(w.officer)
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/{token.uuid}").status_code == 403
    response = _post(
        client, BASE, {"user": str(w.officer.uuid), "name": "Mine", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert _post(client, f"{BASE}/{token.uuid}/revoke").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.count() == 1


def test_another_forces_tokens_and_users_are_not_found(w):
    theirs, _key = services.api_token_create(actor=w.other_admin, user=w.outsider, name="Theirs")
    client = verified_client(w.admin)
    assert client.get(BASE).json() == {"items": [], "count": 0}
    assert client.get(f"{BASE}/{theirs.uuid}").status_code == 404
    response = _post(client, f"{BASE}/{theirs.uuid}/revoke")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = _post(
        client, BASE, {"user": str(w.outsider.uuid), "name": "X", "password": PASSWORD}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert ApiToken.objects.count() == 1
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


@time_machine.travel(NOW, tick=False)
def test_an_administrator_creates_lists_and_revokes_a_token(w):
    client = verified_client(w.admin)
    response = _post(
        client,
        BASE,
        {"user": str(w.officer.uuid), "name": "Force data warehouse", "password": PASSWORD},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    key = body["key"]
    assert key.startswith(f"vgl_{body['prefix']}_")
    assert body["status"] == "active" and body["user_id"] == str(w.officer.uuid)
    assert body["created_by"] == "Alys Admin"
    assert dt.datetime.fromisoformat(body["expires_at"]) == NOW + dt.timedelta(days=90)
    token = ApiToken.objects.get()
    assert token.user == w.officer and token.created_by == w.admin
    assert token.expires_at == NOW + dt.timedelta(days=90)
    assert key not in token.key_hash
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor_id == w.admin.pk and event.target_id == str(token.uuid)

    # The key works; its use is recorded to the minute.
    assert Client().get("/api/v1/policies", **_bearer(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == NOW
    listed = client.get(BASE).json()
    assert listed["count"] == 1
    row = listed["items"][0]
    assert row["id"] == str(token.uuid) and "key" not in row
    assert dt.datetime.fromisoformat(row["last_used_at"]) == NOW
    assert dt.datetime.fromisoformat(row["created_at"]) == NOW
    assert client.get(f"{BASE}/{token.uuid}").json()["name"] == "Force data warehouse"

    response = _post(client, f"{BASE}/{token.uuid}/revoke")
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    token.refresh_from_db()
    assert token.revoked_at == NOW
    assert AuditEvent.objects.filter(
        action="api_token.revoke", actor_id=w.admin.pk, target_id=str(token.uuid)
    ).exists()
    assert Client().get("/api/v1/policies", **_bearer(key)).status_code == 401
    # Revoking again changes nothing.
    assert _post(client, f"{BASE}/{token.uuid}/revoke").status_code == 200
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_creating_a_token_needs_the_password_again_and_locks_at_the_limit(w):
    client = verified_client(w.admin)
    body = {"user": str(w.officer.uuid), "name": "Warehouse", "password": "not-it"}
    response = _post(client, BASE, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert [f["field"] for f in error["fields"]] == ["password"]
    assert not ApiToken.objects.exists()
    w.admin.refresh_from_db()
    assert w.admin.failed_sign_in_count == 1
    assert AuditEvent.objects.filter(
        action="auth.failed", target_id=str(w.admin.uuid), changes__stage="reauthenticate"
    ).exists()
    for _ in range(3):
        assert _post(client, BASE, body).status_code == 422
    response = _post(client, BASE, body)  # the fifth (policy accounts.lockout_attempts)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "account_locked"
    w.admin.refresh_from_db()
    assert services.is_locked(w.admin)
    assert AuditEvent.objects.filter(action="auth.locked", target_id=str(w.admin.uuid)).exists()
    assert not ApiToken.objects.exists()
    # No name: named, nothing made.
    response = _post(client, BASE, {"user": str(w.officer.uuid), "password": PASSWORD})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "name"


def test_a_token_expires_after_the_policy_days(w):
    with time_machine.travel(NOW, tick=False):
        policy_override_create(
            actor=w.system_admin,
            key="accounts.api_token_days",
            value=30,
            reason="Shorter",
            effective_from=None,
        )
        token, key = services.api_token_create(actor=w.admin, user=w.officer, name="Warehouse")
        assert token.expires_at == NOW + dt.timedelta(days=30)
    with time_machine.travel(NOW + dt.timedelta(days=30, seconds=-1), tick=False):
        assert Client().get("/api/v1/policies", **_bearer(key)).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        response = Client().get("/api/v1/policies", **_bearer(key))
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == "token_expired"
        assert "2026-07-01" in error["message"] and error["fields"] == []
        row = verified_client(w.admin).get(BASE).json()["items"][0]
        assert row["status"] == "expired"
        page = verified_client(w.admin).get(reverse("accounts:tokens"))
        assert b"Expired" in page.content and b"1 Jul 2026" in page.content


def test_the_last_used_time_is_written_at_most_once_a_minute(w):
    with time_machine.travel(NOW, tick=False):
        token, key = services.api_token_create(actor=w.admin, user=w.officer, name="Warehouse")
        client = Client()
        client.get("/api/v1/policies", **_bearer(key))
        with CaptureQueriesContext(connection) as again:
            client.get("/api/v1/policies", **_bearer(key))
        assert not [q for q in again.captured_queries if q["sql"].startswith("UPDATE")]
    with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
        client.get("/api/v1/policies", **_bearer(key))
        token.refresh_from_db()
        assert token.last_used_at == NOW
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        client.get("/api/v1/policies", **_bearer(key))
        token.refresh_from_db()
        assert token.last_used_at == NOW + dt.timedelta(minutes=1)


def test_a_token_over_its_requests_a_minute_gets_429(w):
    with time_machine.travel(NOW, tick=False):
        policy_override_create(
            actor=w.system_admin,
            key="accounts.api_token_requests_per_minute",
            value=10,
            reason="Test",
            effective_from=None,
        )
        _token, key = services.api_token_create(actor=w.admin, user=w.officer, name="Warehouse")
        _other, other_key = services.api_token_create(actor=w.admin, user=w.officer, name="Other")
        client = Client()
        for _ in range(10):
            assert client.get("/api/v1/policies", **_bearer(key)).status_code == 200
        response = client.get("/api/v1/policies", **_bearer(key))
        assert response.status_code == 429
        error = response.json()["error"]
        assert error["code"] == "too_many_requests" and "10" in error["message"]
        # Counted per token: another token is not held back.
        assert client.get("/api/v1/policies", **_bearer(other_key)).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert client.get("/api/v1/policies", **_bearer(key)).status_code == 200


def test_the_list_costs_the_same_queries_however_many_tokens(w, django_assert_num_queries):
    client = verified_client(w.admin)
    services.api_token_create(actor=w.admin, user=w.officer, name="One")
    client.get(BASE)  # the session's first request also records its activity
    with CaptureQueriesContext(connection) as first:
        client.get(BASE)
    for n in range(3):
        services.api_token_create(actor=w.admin, user=w.officer, name=f"More {n}")
    with django_assert_num_queries(len(first.captured_queries)):
        body = client.get(BASE).json()
    assert body["count"] == 4


def test_resetting_a_second_factor_needs_the_password_again(w):
    TOTPDevice.objects.create(user=w.officer, name="phone", confirmed=True)
    url = f"/api/v1/accounts/users/{w.officer.uuid}/second-factor/reset"
    client = verified_client(w.admin)
    response = _post(client, url, {"reason": "Lost phone", "password": "not-it"})
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["password"]
    response = _post(client, url, {"reason": "Lost phone"})
    assert response.status_code == 422
    assert TOTPDevice.objects.filter(user=w.officer).exists()
    assert not AuditEvent.objects.filter(action="auth.second_factor_reset").exists()
    w.admin.refresh_from_db()
    assert w.admin.failed_sign_in_count == 1

    # The page asks for it too.
    page = reverse("accounts:user-detail", args=[w.officer.uuid])
    response = client.post(
        page,
        {
            "form": "second_factor",
            "second-factor-reason": "Lost phone",
            "second-factor-password": "not-it",
        },
    )
    assert response.status_code == 200
    assert b"The password is not right" in response.content
    assert TOTPDevice.objects.filter(user=w.officer).exists()
    response = client.post(page, {"form": "second_factor", "second-factor-reason": "Lost phone"})
    assert b"Enter your password" in response.content
    response = client.post(
        page,
        {
            "form": "second_factor",
            "second-factor-reason": "Lost phone",
            "second-factor-password": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=w.officer).exists()
    assert AuditEvent.objects.get(action="auth.second_factor_reset").reason == "Lost phone"


def test_a_wrong_password_at_the_limit_on_the_page_signs_the_administrator_out(w):
    TOTPDevice.objects.create(user=w.officer, name="phone", confirmed=True)
    client = verified_client(w.admin)
    page = reverse("accounts:user-detail", args=[w.officer.uuid])
    data = {
        "form": "second_factor",
        "second-factor-reason": "Lost phone",
        "second-factor-password": "not-it",
    }
    for _ in range(4):
        assert client.post(page, data).status_code == 200
    response = client.post(page, data)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign-in")
    )
    w.admin.refresh_from_db()
    assert services.is_locked(w.admin)
    assert TOTPDevice.objects.filter(user=w.officer).exists()
