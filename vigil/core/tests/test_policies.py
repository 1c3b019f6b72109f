import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.models import PolicyOverride
from vigil.core.policy_registry import all_policies, get_policy, policy_value, policy_values
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db
KEY = "accounts.lockout_attempts"
T0 = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def test_every_policy_declares_a_source_and_unit_and_valid_default():
    policies = all_policies()
    assert len(policies) >= 4
    for p in policies:
        assert p.source and p.label
        assert p.coerce(p.default) == p.default


def test_it_gives_the_value_in_force_at_a_time():
    admin = make_user("admin")
    policy_override_create(
        actor=admin, key=KEY, value="7", effective_from=T0, reason="ISO 27001 review"
    )
    policy_override_create(
        actor=admin,
        key=KEY,
        value="4",
        effective_from=T0 + dt.timedelta(days=30),
        reason="Tightened after audit",
    )
    assert policy_value(KEY, at=T0 - dt.timedelta(seconds=1)) == get_policy(KEY).default
    assert policy_value(KEY, at=T0) == 7
    assert policy_value(KEY, at=T0 + dt.timedelta(days=29)) == 7
    assert policy_value(KEY, at=T0 + dt.timedelta(days=31)) == 4
    assert policy_values([KEY, "accounts.lockout_minutes"], at=T0 + dt.timedelta(days=1)) == {
        KEY: 7,
        "accounts.lockout_minutes": 15,
    }
    event = AuditEvent.objects.filter(action="policy.override").first()
    assert event.reason == "Tightened after audit" and event.changes["value"] == [7, 4]


@pytest.mark.parametrize("bad", ["", "abc", "2.5", "1", "999", "NaN"])
def test_it_rejects_a_bad_value_and_changes_nothing(bad):
    admin = make_user("admin")
    with pytest.raises(ValidationFailed):
        policy_override_create(actor=admin, key=KEY, value=bad, effective_from=None, reason="x")
    assert not PolicyOverride.objects.exists()


def test_it_requires_a_reason_and_an_administrator():
    with pytest.raises(ValidationFailed):
        policy_override_create(
            actor=make_user("admin"), key=KEY, value="6", effective_from=None, reason=" "
        )
    with pytest.raises(PermissionDenied):
        policy_override_create(
            actor=make_user("supervisor"), key=KEY, value="6", effective_from=None, reason="r"
        )
    assert not PolicyOverride.objects.exists()


@pytest.mark.parametrize("role", [None, "officer", "assurance", "admin"])
def test_policy_pages_are_for_signed_in_users(role):
    client = Client() if role is None else verified_client(make_user(role))
    for url in (reverse("core:policies"), reverse("core:policy-detail", args=[KEY])):
        response = client.get(url)
        assert response.status_code == (302 if role is None else 200)
    if role:
        assert client.get(reverse("core:policy-detail", args=["no.such.policy"])).status_code == 404


def test_the_policy_list_page_uses_a_fixed_number_of_queries(django_assert_max_num_queries):
    client = verified_client(make_user("officer"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:policies"))
    assert b"Vigil default" in response.content


def test_only_an_administrator_changes_a_policy_from_the_page():
    officer_client = verified_client(make_user("officer"))
    url = reverse("core:policy-detail", args=[KEY])
    assert officer_client.post(url, {"value": "6", "reason": "r"}).status_code == 404
    admin_client = verified_client(make_user("admin"))
    response = admin_client.post(
        url, {"value": "6", "effective_from": "2026-12-01", "reason": "Board decision"}
    )
    assert response.status_code == 302
    override = PolicyOverride.objects.get()
    assert override.value == 6 and override.effective_from.date() == dt.date(2026, 12, 1)
    response = admin_client.post(url, {"value": "zero", "reason": "Board"})
    assert b"There is a problem" in response.content and b"Enter a number" in response.content
    response = admin_client.post(url, {"value": "6", "reason": ""})
    assert b"Enter the reason for the change" in response.content
    assert PolicyOverride.objects.count() == 1


def test_the_api_lists_and_changes_policies_with_the_same_rules():
    officer = verified_client(make_user("officer"))
    listing = officer.get("/api/v1/policies").json()
    assert any(p["key"] == KEY and p["source"] == "vigil" for p in listing)
    response = officer.post(
        f"/api/v1/policies/{KEY}/overrides",
        {"value": "6", "reason": "r"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    admin = verified_client(make_user("admin"))
    response = admin.post(
        f"/api/v1/policies/{KEY}/overrides",
        {"value": "x", "reason": "r"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "value"
    response = admin.post(
        f"/api/v1/policies/{KEY}/overrides",
        {"value": "6", "reason": "Board"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["value"] == 6
    assert (
        admin.post(
            "/api/v1/policies/nope/overrides",
            {"value": "6", "reason": "r"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert Client().get("/api/v1/policies").status_code == 401


def test_a_cached_block_reads_each_policy_once_and_gives_the_same_values(django_assert_num_queries):
    from vigil.core.policy_registry import cached

    admin = make_user("admin")
    policy_override_create(actor=admin, key=KEY, value="7", effective_from=T0, reason="r")
    with cached(), django_assert_num_queries(1):
        values = [policy_value(KEY, at=T0 + dt.timedelta(days=d)) for d in (-1, 0, 5)]
        assert policy_values([KEY], at=T0) == {KEY: 7}
    assert values == [get_policy(KEY).default, 7, 7]
