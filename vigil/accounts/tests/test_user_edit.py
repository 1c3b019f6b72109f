"""Correcting a user's details, and the API's unlock and second-factor reset."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.models import User
from vigil.accounts.tests.helpers import two_forces
from vigil.audit.models import AuditEvent
from vigil.core.testing import PASSWORD, make_user, verified_client

pytestmark = pytest.mark.django_db

DETAILS = {
    "full_name": "Ceri Officer-Jones",
    "email": "Ceri.Jones@example.police.uk",
    "collar_number": "DP1234",
    "rank": "sergeant",
}


@pytest.fixture
def w():
    return two_forces()


def test_the_edit_page_by_role_and_scope(w):
    url = reverse("accounts:user-edit", args=[w.officer.uuid])
    response = Client().get(url)
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]
    assert verified_client(make_user("supervisor", w.team)).get(url).status_code == 403
    assert verified_client(w.other_admin).get(url).status_code == 404
    assert verified_client(w.other_admin).post(url, DETAILS).status_code == 404
    page = verified_client(w.admin).get(url)
    assert page.status_code == 200 and page.context["form"]["email"].value() == w.officer.email
    w.officer.refresh_from_db()
    assert w.officer.full_name == "Ceri Officer"
    # Linked from the user's page.
    detail = verified_client(w.admin).get(reverse("accounts:user-detail", args=[w.officer.uuid]))
    assert f'href="{url}"' in detail.content.decode()


def test_an_administrator_corrects_a_users_details_with_the_change_audited(w):
    before_email = w.officer.email
    response = verified_client(w.admin).post(
        reverse("accounts:user-edit", args=[w.officer.uuid]), DETAILS
    )
    assert response["Location"] == reverse("accounts:user-detail", args=[w.officer.uuid])
    w.officer.refresh_from_db()
    assert (w.officer.full_name, w.officer.email, w.officer.collar_number, w.officer.rank) == (
        "Ceri Officer-Jones",
        "ceri.jones@example.police.uk",
        "DP1234",
        "sergeant",
    )
    event = AuditEvent.objects.get(action="user.update")
    assert event.actor_id == w.admin.pk and event.target_id == str(w.officer.uuid)
    assert event.changes == {
        "collar_number": ["", "DP1234"],
        "email": [before_email, "ceri.jones@example.police.uk"],
        "full_name": ["Ceri Officer", "Ceri Officer-Jones"],
        "rank": ["constable", "sergeant"],
    }
    # Saving again with nothing changed writes nothing.
    verified_client(w.admin).post(reverse("accounts:user-edit", args=[w.officer.uuid]), DETAILS)
    assert AuditEvent.objects.filter(action="user.update").count() == 1


def test_it_refuses_a_taken_e_mail_address_or_an_empty_name(w):
    client = verified_client(w.admin)
    url = reverse("accounts:user-edit", args=[w.officer.uuid])
    response = client.post(url, {**DETAILS, "email": w.outsider.email.upper()})
    assert b"A user with this e-mail address already exists" in response.content
    response = client.post(url, {**DETAILS, "full_name": "  "})
    assert b"Enter the user&#x27;s full name" in response.content
    w.officer.refresh_from_db()
    assert w.officer.full_name == "Ceri Officer"
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_an_administrator_cannot_change_their_own_rank(w):
    client = verified_client(w.admin)
    url = reverse("accounts:user-edit", args=[w.admin.uuid])
    response = client.post(
        url, {"full_name": "Alys Admin", "email": w.admin.email, "rank": "chief_officer"}
    )
    assert b"You cannot change your own rank" in response.content
    w.admin.refresh_from_db()
    assert w.admin.rank == "constable"
    # Their own name they may correct.
    client.post(url, {"full_name": "Alys Admin-Rees", "email": w.admin.email, "rank": "constable"})
    w.admin.refresh_from_db()
    assert w.admin.full_name == "Alys Admin-Rees"


def test_the_api_patches_only_the_fields_sent(w):
    url = f"/api/v1/accounts/users/{w.officer.uuid}"
    body = {"collar_number": "DP99"}
    assert Client().patch(url, body, content_type="application/json").status_code == 401
    assert (
        verified_client(w.officer).patch(url, body, content_type="application/json").status_code
        == 403
    )
    assert (
        verified_client(w.other_admin).patch(url, body, content_type="application/json").status_code
        == 404
    )
    response = verified_client(w.admin).patch(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["collar_number"] == "DP99"
    w.officer.refresh_from_db()
    assert w.officer.collar_number == "DP99" and w.officer.full_name == "Ceri Officer"
    assert AuditEvent.objects.get(action="user.update").changes == {"collar_number": ["", "DP99"]}
    response = verified_client(w.admin).patch(
        url, {"rank": "general"}, content_type="application/json"
    )
    assert response.status_code == 422
    response = verified_client(w.admin).patch(
        url, {"email": w.outsider.email}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "email"


def test_the_api_shows_and_clears_a_lock(w):
    User.objects.filter(pk=w.officer.pk).update(
        locked_until=dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=10), failed_sign_in_count=3
    )
    url = f"/api/v1/accounts/users/{w.officer.uuid}"
    client = verified_client(w.admin)
    assert client.get(url).json()["locked"] is True
    assert Client().post(f"{url}/unlock").status_code == 401
    assert verified_client(w.officer).post(f"{url}/unlock").status_code == 403
    assert verified_client(w.other_admin).post(f"{url}/unlock").status_code == 404
    w.officer.refresh_from_db()
    assert w.officer.locked_until is not None
    response = client.post(f"{url}/unlock")
    assert response.status_code == 200 and response.json()["locked"] is False
    w.officer.refresh_from_db()
    assert w.officer.locked_until is None and w.officer.failed_sign_in_count == 0
    assert AuditEvent.objects.filter(
        action="user.unlock", actor_id=w.admin.pk, target_id=str(w.officer.uuid)
    ).exists()


def test_the_api_resets_the_second_factor(w):
    TOTPDevice.objects.create(user=w.officer, name="phone", confirmed=True)
    url = f"/api/v1/accounts/users/{w.officer.uuid}/second-factor/reset"
    body = {"reason": "Lost phone", "password": PASSWORD}
    assert Client().post(url, body, content_type="application/json").status_code == 401
    assert (
        verified_client(w.officer).post(url, body, content_type="application/json").status_code
        == 403
    )
    assert (
        verified_client(w.other_admin).post(url, body, content_type="application/json").status_code
        == 404
    )
    assert TOTPDevice.objects.filter(user=w.officer).exists()
    response = verified_client(w.admin).post(
        url, {"reason": " ", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 422
    response = verified_client(w.admin).post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["second_factor_enrolled"] is False
    assert not TOTPDevice.objects.filter(user=w.officer).exists()
    assert AuditEvent.objects.get(action="auth.second_factor_reset").reason == "Lost phone"
