import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.core.calendar import start_of_day
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.models import PolicyOverride
from vigil.core.policy_registry import all_policies, get_policy, policy_value, policy_values
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db
KEY = "accounts.lockout_attempts"
# The tests run on 20 May 2026 (a Wednesday), so that T0 is to come.
NOW = dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


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


# --- refusing a date before today -----------------------------------------------------

YESTERDAY = dt.date(2026, 5, 19)
PAST_REFUSED = "a change applies from today or a later date"


def _stored():
    return (
        PolicyOverride.objects.count(),
        AuditEvent.objects.filter(action="policy.override").count(),
    )


@pytest.mark.parametrize("when", [dt.datetime(1900, 1, 1, tzinfo=dt.UTC), start_of_day(YESTERDAY)])
def test_the_service_refuses_a_date_before_today_and_stores_nothing(when):
    with pytest.raises(ValidationFailed) as exc:
        policy_override_create(
            actor=make_user("admin"), key=KEY, value="6", effective_from=when, reason="Old"
        )
    assert exc.value.errors[0][0] == "effective_from"
    assert PAST_REFUSED in str(exc.value.message)
    assert _stored() == (0, 0)


def test_the_service_takes_today_from_its_first_minute_and_a_past_date_only_when_allowed():
    admin = make_user("admin")
    today = policy_override_create(
        actor=admin, key=KEY, value="6", effective_from=start_of_day(NOW.date()), reason="r"
    )
    assert today.effective_from == start_of_day(NOW.date())
    # For loading a force's history (not offered on the page or the API).
    past = policy_override_create(
        actor=admin,
        key=KEY,
        value="4",
        effective_from=start_of_day(YESTERDAY),
        reason="Known history",
        allow_past=True,
    )
    assert past.effective_from == start_of_day(YESTERDAY)
    assert _stored() == (2, 2)
    assert policy_value(KEY) == 6


def test_the_page_refuses_a_date_before_today_and_stores_nothing():
    client = verified_client(make_user("admin"))
    response = client.post(
        reverse("core:policy-detail", args=[KEY]),
        {"value": "6", "effective_from": "1900-01-01", "reason": "Backdated"},
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert PAST_REFUSED.encode() in response.content
    assert _stored() == (0, 0)


def test_the_api_refuses_a_date_before_today_and_stores_nothing():
    client = verified_client(make_user("admin"))
    response = client.post(
        f"/api/v1/policies/{KEY}/overrides",
        {"value": 6, "effective_from": "2026-05-19", "reason": "Backdated"},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["fields"][0]["field"] == "effective_from"
    assert PAST_REFUSED in error["fields"][0]["message"]
    assert _stored() == (0, 0)


# --- cross-checks: a duty kind's escalation thresholds ----------------------------------

SUPERVISOR = "duties.people.restriction_review.escalate_supervisor_days"  # default 7
MANAGER = "duties.people.restriction_review.escalate_manager_days"  # default 28
IN_ORDER = "must be at least the days before the supervisors are told"


def test_it_refuses_manager_days_below_supervisor_days_and_stores_nothing():
    admin = make_user("admin")
    with pytest.raises(ValidationFailed) as exc:
        policy_override_create(actor=admin, key=MANAGER, value=5, effective_from=None, reason="r")
    assert IN_ORDER in str(exc.value.message) and exc.value.errors[0][0] == "value"
    assert "after 5 days overdue" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        policy_override_create(
            actor=admin, key=SUPERVISOR, value=29, effective_from=None, reason="r"
        )
    assert _stored() == (0, 0)
    # Equal thresholds are consistent: both are told on the same day.
    policy_override_create(actor=admin, key=MANAGER, value=7, effective_from=None, reason="r")
    assert policy_value(MANAGER) == 7
    assert _stored() == (1, 1)


def test_it_checks_the_thresholds_on_every_later_date_one_of_them_changes():
    admin = make_user("admin")
    later = start_of_day(dt.date(2026, 7, 1))
    policy_override_create(actor=admin, key=SUPERVISOR, value=20, effective_from=later, reason="r")
    # 10 days for the managers is fine today (7 for supervisors), not from 1 July (20).
    with pytest.raises(ValidationFailed) as exc:
        policy_override_create(actor=admin, key=MANAGER, value=10, effective_from=None, reason="r")
    assert "1 July 2026" in str(exc.value.message)
    # A manager change in force before the supervisor change, then replaced: fine.
    policy_override_create(actor=admin, key=MANAGER, value=25, effective_from=None, reason="r")
    assert PolicyOverride.objects.filter(key=MANAGER).count() == 1
    # A supervisor change later than the managers' value is refused.
    with pytest.raises(ValidationFailed):
        policy_override_create(
            actor=admin,
            key=SUPERVISOR,
            value=26,
            effective_from=start_of_day(dt.date(2026, 8, 1)),
            reason="r",
        )
    assert PolicyOverride.objects.count() == 2


def test_the_page_and_the_api_explain_inconsistent_thresholds():
    client = verified_client(make_user("admin"))
    response = client.post(
        reverse("core:policy-detail", args=[MANAGER]), {"value": "3", "reason": "Faster"}
    )
    assert response.status_code == 200 and IN_ORDER.encode() in response.content
    response = client.post(
        f"/api/v1/policies/{MANAGER}/overrides",
        {"value": 3, "reason": "Faster"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "value"
    assert IN_ORDER in response.json()["error"]["message"]
    assert _stored() == (0, 0)


# --- yes or no, and a change still to come ----------------------------------------------

YES_NO = "offenders.pnd_before_visit.very_high"  # default yes


def test_a_yes_or_no_policy_shows_yes_or_no_in_the_readers_language():
    admin = make_user("admin")
    policy_override_create(actor=admin, key=YES_NO, value="no", effective_from=None, reason="r")
    client = verified_client(make_user("officer"))
    listing = client.get(reverse("core:policies")).content.decode()
    detail = client.get(reverse("core:policy-detail", args=[YES_NO])).content.decode()
    for html in (listing, detail):
        assert "True" not in html and "False" not in html
    assert '<td class="govuk-table__cell">Yes</td>' in listing  # the default
    assert ">No <strong" in listing  # the value in force, changed by the force
    assert "Yes" in detail and "No" in detail
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = client.get(reverse("core:policy-detail", args=[YES_NO])).content.decode()
    assert ">Na<" in welsh and ">Ie<" in welsh and "True" not in welsh


def test_a_change_still_to_come_shows_its_date_not_changed_by_the_force():
    admin = make_user("admin")
    policy_override_create(actor=admin, key=KEY, value="7", effective_from=T0, reason="r")
    client = verified_client(make_user("officer"))
    row = _policy_row_html(client.get(reverse("core:policies")).content.decode(), KEY)
    assert "changes on 1 Jun 2026" in row and "changed by the force" not in row
    detail = client.get(reverse("core:policy-detail", args=[KEY])).content.decode()
    assert "Next change" in detail and "7 attempts from 1 June 2026" in detail
    assert "to come" in detail
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        client = verified_client(make_user("officer"))  # a new session on the later day
        row = _policy_row_html(client.get(reverse("core:policies")).content.decode(), KEY)
    assert "changed by the force" in row and "changes on" not in row


def _policy_row_html(html: str, key: str) -> str:
    start = html.index(f">{key}<")
    return html[start : html.index("</tr>", start)]


# --- the API: values of any JSON type, one policy with its history ----------------------


def test_the_api_takes_numbers_and_booleans_as_well_as_text():
    client = verified_client(make_user("admin"))
    url = f"/api/v1/policies/{KEY}/overrides"
    response = client.post(url, {"value": 7, "reason": "r"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["value"] == 7
    response = client.post(
        f"/api/v1/policies/{YES_NO}/overrides",
        {"value": False, "reason": "r"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["value"] is False
    response = client.post(url, {"value": 2.5, "reason": "r"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "value", "message": "Enter a whole number"}
    ]
    response = client.post(url, {"value": True, "reason": "r"}, content_type="application/json")
    assert response.status_code == 422
    assert PolicyOverride.objects.filter(key=KEY).get().value == 7
    assert PolicyOverride.objects.get(key=YES_NO).value is False


def test_the_apis_own_validation_messages_are_translated():
    client = verified_client(make_user("admin"))
    response = client.post(
        f"/api/v1/policies/{KEY}/overrides", {"value": 7}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "reason", "message": "Enter a value: this field is required"}
    ]
    response = client.post(
        f"/api/v1/policies/{KEY}/overrides",
        {"value": 7, "reason": "r", "effective_from": "soon"},
        content_type="application/json",
    )
    assert response.json()["error"]["fields"][0]["message"] == (
        "Enter a real date, for example 2026-12-01"
    )
    assert not PolicyOverride.objects.exists()


def test_the_api_gives_one_policy_with_its_history():
    admin = make_user("admin", full_name="Ada Admin")
    policy_override_create(actor=admin, key=KEY, value="6", effective_from=None, reason="Now")
    policy_override_create(actor=admin, key=KEY, value="4", effective_from=T0, reason="Later")
    assert Client().get(f"/api/v1/policies/{KEY}").status_code == 401
    client = verified_client(make_user("officer"))
    body = client.get(f"/api/v1/policies/{KEY}").json()
    assert body["key"] == KEY and body["value"] == 6 and body["overridden"] is True
    assert body["next_change"].startswith("2026-06-01")
    assert body["kind"] == "integer" and body["source"] == "vigil"
    assert [(h["value"], h["reason"], h["changed_by"]) for h in body["history"]] == [
        (4, "Later", "Ada Admin"),
        (6, "Now", "Ada Admin"),
    ]
    assert client.get("/api/v1/policies/no.such.policy").status_code == 404
    listing = {p["key"]: p for p in client.get("/api/v1/policies").json()}
    assert listing[KEY]["next_change"].startswith("2026-06-01")
    assert listing["accounts.lockout_minutes"]["overridden"] is False


def test_the_policy_list_page_queries_do_not_grow_with_overrides():
    admin = make_user("admin")
    client = verified_client(make_user("officer"))
    client.get(reverse("core:policies"))  # the first request of a session writes more
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("core:policies"))
    for key, value in ((KEY, 6), ("accounts.lockout_minutes", 20), (YES_NO, False)):
        policy_override_create(actor=admin, key=key, value=value, effective_from=T0, reason="r")
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("core:policies"))
    assert len(after) == len(before)
