import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.models import User
from vigil.audit.models import AuditEvent
from vigil.core.services import policy_override_create
from vigil.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
REFUSED = b"The e-mail address or password is not right, or the account is locked"


def _code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def _sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("accounts:sign-in"), {"email": email, "password": password})


def test_it_sends_anonymous_users_to_sign_in():
    response = Client().get("/work/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_it_enrols_a_second_factor_by_qr_code_at_first_sign_in():
    user = make_user()
    client = Client()
    response = _sign_in(client, user.email)
    assert response["Location"] == reverse("accounts:two-factor")
    # Until the second factor is given, other pages send the user back to it.
    assert client.get("/work/")["Location"] == reverse("accounts:two-factor")
    page = client.get(reverse("accounts:two-factor"))
    assert b"<svg" in page.content and b"Set up your authenticator app" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two-factor"), {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/work/").status_code == 200
    assert AuditEvent.objects.filter(
        action="auth.second_factor_enrolled", actor_id=user.pk
    ).exists()
    assert AuditEvent.objects.filter(action="auth.sign_in", actor_id=user.pk).exists()


def test_it_asks_an_enrolled_user_for_the_code_and_refuses_a_wrong_one():
    user = make_user()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    _sign_in(client, user.email)
    page = client.get(reverse("accounts:two-factor"))
    assert b"Enter your code" in page.content and b"<svg" not in page.content
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:two-factor"), {"code": wrong})
    assert response.status_code == 200 and b"The code is not right" in response.content
    assert client.get("/work/").status_code == 302
    user.refresh_from_db()
    assert user.failed_sign_in_count == 1
    # django-otp throttles after a failure: the next try must wait a moment.
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=5)):
        response = client.post(reverse("accounts:two-factor"), {"code": _code(device)})
        assert response.status_code == 302
        assert client.get("/work/").status_code == 200


def test_it_rejects_a_wrong_password_without_saying_which_part_was_wrong():
    user = make_user()
    response = _sign_in(Client(), user.email, "not-the-password")
    assert response.status_code == 200
    assert REFUSED in response.content
    user.refresh_from_db()
    assert user.failed_sign_in_count == 1
    assert AuditEvent.objects.filter(action="auth.failed", target_id=str(user.uuid)).exists()
    # The page given back keeps the e-mail address but never the password typed.
    assert user.email.encode() in response.content
    assert b"not-the-password" not in response.content


def test_it_locks_the_account_after_the_policy_number_of_failures():
    user = make_user()
    admin = make_user("admin")
    policy_override_create(
        actor=admin,
        key="accounts.lockout_attempts",
        value="3",
        effective_from=None,
        reason="Force information security policy",
    )
    client = Client()
    for _ in range(3):
        _sign_in(client, user.email, "wrong-password-here")
    user.refresh_from_db()
    assert user.locked_until is not None
    response = _sign_in(client, user.email)  # the right password, but locked
    # The same words as for a wrong password or an unknown address (see test below).
    assert REFUSED in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked").count() == 1
    # The refused attempt is recorded, without counting toward another lock.
    assert AuditEvent.objects.filter(
        action="auth.failed", target_id=str(user.uuid), changes__stage="locked"
    ).exists()
    with time_machine.travel(user.locked_until + dt.timedelta(seconds=1)):
        response = _sign_in(Client(), user.email)
        assert response.status_code == 302


def test_it_signs_out_after_the_idle_time():
    user = make_user()
    from vigil.core.testing import verified_client

    with time_machine.travel(
        dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False
    ) as traveller:
        client = verified_client(user)
        assert client.get("/work/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/work/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/work/")
        assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


def test_it_signs_out():
    from vigil.core.testing import verified_client

    user = make_user()
    client = verified_client(user)
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert client.get("/work/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.sign_out", actor_id=user.pk).exists()


def test_it_refuses_sign_out_by_get():
    from vigil.core.testing import verified_client

    client = verified_client(make_user())
    assert client.get(reverse("accounts:sign-out")).status_code == 405


def test_it_lets_an_inactive_user_not_sign_in():
    user = make_user()
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = _sign_in(Client(), user.email)
    assert response.status_code == 200 and b"not right" in response.content


def test_it_remembers_the_language_a_user_chose_and_uses_it_at_next_sign_in():
    from django.conf import settings

    from vigil.core.testing import verified_client

    user = make_user()
    client = verified_client(user)
    client.get(reverse("set-language", args=["cy"]))
    user.refresh_from_db()
    assert user.language == "cy"
    fresh = Client()
    device = TOTPDevice.objects.get(user=user)
    _sign_in(fresh, user.email)
    response = fresh.post(reverse("accounts:two-factor"), {"code": _code(device)})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert '<html lang="cy"' in fresh.get("/work/").content.decode()


def _lockout_after(attempts: int) -> None:
    policy_override_create(
        actor=make_user("admin"),
        key="accounts.lockout_attempts",
        value=str(attempts),
        effective_from=None,
        reason="Force information security policy",
    )


def _wrong(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 1) % 1000000:06d}"


def test_unknown_locked_and_wrong_password_get_the_same_message():
    _lockout_after(3)
    user = make_user()
    locked = make_user()
    User.objects.filter(pk=locked.pk).update(
        locked_until=dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=10)
    )
    pages = [
        _sign_in(Client(), "nobody@example.police.uk").content,
        _sign_in(Client(), user.email, "not-the-password").content,
        _sign_in(Client(), locked.email).content,  # right password, locked account
        _sign_in(Client(), locked.email, "not-the-password").content,
    ]
    for page in pages:
        assert REFUSED in page
        assert b"This account is locked after" not in page
    # The admin still sees the lock; the refused attempts are recorded, not counted.
    locked.refresh_from_db()
    assert locked.failed_sign_in_count == 0
    assert (
        AuditEvent.objects.filter(
            action="auth.failed", target_id=str(locked.uuid), changes__stage="locked"
        ).count()
        == 2
    )


def test_wrong_codes_after_the_right_password_lock_the_account():
    _lockout_after(3)
    user = make_user()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    _sign_in(client, user.email)
    response = client.post(reverse("accounts:two-factor"), {"code": _wrong(device)})
    assert response.status_code == 200
    # Signing in again with the right password does not clear the count...
    _sign_in(Client(), user.email)
    user.refresh_from_db()
    assert user.failed_sign_in_count == 1 and user.locked_until is None
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=10)):
        client.post(reverse("accounts:two-factor"), {"code": _wrong(device)})
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=30)):
        response = client.post(reverse("accounts:two-factor"), {"code": _wrong(device)})
    # ...so the third wrong code locks the account and ends the half-made sign-in.
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign-in")
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.locked_until is not None and user.failed_sign_in_count == 0
    locked = AuditEvent.objects.get(action="auth.locked", target_id=str(user.uuid))
    assert locked.changes["stage"] == "second_factor"
    # Locked: even the right password and the right code get nowhere now.
    again = Client()
    assert REFUSED in _sign_in(again, user.email).content
    assert "_auth_user_id" not in again.session


def test_a_locked_account_half_signed_in_cannot_give_the_code():
    user = make_user()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    _sign_in(client, user.email)
    User.objects.filter(pk=user.pk).update(
        locked_until=dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=10)
    )
    response = client.post(reverse("accounts:two-factor"), {"code": _code(device)})
    assert response["Location"] == reverse("accounts:sign-in")
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="auth.sign_in", actor_id=user.pk).exists()


def test_the_count_is_cleared_only_when_the_second_factor_is_given():
    user = make_user()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    User.objects.filter(pk=user.pk).update(failed_sign_in_count=2)
    client = Client()
    _sign_in(client, user.email)
    user.refresh_from_db()
    assert user.failed_sign_in_count == 2
    assert AuditEvent.objects.filter(action="auth.password_ok", actor_id=user.pk).exists()
    client.post(reverse("accounts:two-factor"), {"code": _code(device)})
    user.refresh_from_db()
    assert user.failed_sign_in_count == 0


def test_in_demo_mode_the_password_clears_the_count(settings):
    settings.VIGIL_REQUIRE_SECOND_FACTOR = False
    user = make_user()
    User.objects.filter(pk=user.pk).update(failed_sign_in_count=2)
    response = _sign_in(Client(), user.email)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.failed_sign_in_count == 0
    assert AuditEvent.objects.filter(action="auth.sign_in", actor_id=user.pk).exists()


def test_the_second_factor_page_shows_no_menu_name_or_notifications():
    from vigil.duties.services import notify

    user = make_user(full_name="Megan Parry")
    notify(user=user, duty=None, message_key="test", params={})
    client = Client()
    _sign_in(client, user.email)
    page = client.get(reverse("accounts:two-factor")).content.decode()
    assert "govuk-service-navigation" not in page
    assert "Megan Parry" not in page
    assert "vigil-badge-count" not in page and reverse("duties:notifications") not in page
    assert reverse("core:policies") not in page
    assert "Sign out" in page  # they can still leave
    from vigil.core.testing import verified_client

    page = verified_client(user).get("/work/").content.decode()
    assert "govuk-service-navigation" in page and "Megan Parry" in page
    assert "vigil-badge-count" in page
