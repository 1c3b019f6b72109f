import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts import services
from vigil.accounts.models import ApiToken
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import PermissionDenied
from vigil.core.testing import PASSWORD, make_user, verified_client

pytestmark = pytest.mark.django_db


def test_it_stores_only_a_hash_and_authenticates_the_key():
    admin = make_user("admin")
    system = make_user("analyst")
    token, key = services.api_token_create(actor=admin, user=system, name="Force data warehouse")
    assert key.startswith(f"vgl_{token.prefix}_")
    assert key not in token.key_hash and len(token.key_hash) == 64
    assert services.api_token_authenticate(key) == system
    assert services.api_token_authenticate(key + "x") is None
    assert services.api_token_authenticate("nonsense") is None
    assert AuditEvent.objects.filter(action="api_token.create", target_id=str(token.uuid)).exists()


def test_it_refuses_a_revoked_token_at_the_api():
    admin = make_user("admin")
    system = make_user("analyst")
    token, key = services.api_token_create(actor=admin, user=system, name="Warehouse")
    client = Client()
    assert client.get("/api/v1/policies", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    services.api_token_revoke(actor=admin, token=token)
    response = client.get("/api/v1/policies", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_it_lets_only_administrators_create_tokens():
    officer = make_user("officer")
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=officer, user=officer, name="mine")
    assert not ApiToken.objects.exists()


def test_it_refuses_an_api_session_without_the_second_factor():
    user = make_user()
    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/policies").status_code == 401
    assert verified_client(user).get("/api/v1/policies").status_code == 200


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("officer", 403), ("auditor", 403), ("admin", 200)]
)
def test_token_page_access(role, status):
    client = Client() if role is None else verified_client(make_user(role))
    assert client.get(reverse("accounts:tokens")).status_code == status


def test_it_creates_and_revokes_a_token_from_the_page():
    admin = make_user("admin")
    system = make_user("analyst", full_name="Warehouse Account")
    client = verified_client(admin)
    response = client.post(
        reverse("accounts:tokens"), {"user": system.pk, "name": "Warehouse", "password": PASSWORD}
    )
    assert response.status_code == 200 and b"vgl_" in response.content
    token = ApiToken.objects.get()
    assert token.user == system and token.created_by == admin
    response = client.post(reverse("accounts:token-revoke", args=[token.uuid]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_shows_a_clear_error_for_a_missing_name():
    client = verified_client(make_user("admin"))
    response = client.post(reverse("accounts:tokens"), {"user": "", "name": ""})
    assert b"There is a problem" in response.content
    assert b"Enter a name for the token" in response.content
    assert not ApiToken.objects.exists()
