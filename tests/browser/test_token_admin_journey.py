"""An administrator manages API tokens (with their password again) and resets a user's
second factor (with their password again), in English and in Welsh; axe-core runs on
every page. Set VIGIL_SCREENSHOTS to a folder to keep a screenshot of each page."""

import os
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, cy
from vigil.accounts.choices import Role, Scope
from vigil.accounts.models import ApiToken
from vigil.core.testing import PASSWORD, make_team, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page, name):
    folder = os.environ.get("VIGIL_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _sign_in_as_admin(page, user) -> None:
    """As conftest's sign_in, but an administrator's first page is the users list (under
    /account/), so wait for that."""
    from django_otp.oath import totp

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="phone", defaults={"confirmed": True}
    )
    page.goto("/account/sign-in/")
    page.fill("#id_email", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Continue')")
    page.fill(
        "#id_code",
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}",
    )
    page.click("button:has-text('Continue')")
    page.wait_for_url(lambda url: "/two-factor/" not in url and "/sign-in/" not in url)


def test_an_administrator_makes_a_token_and_resets_a_second_factor(page):
    team = make_team()
    admin = make_user(Role.ADMIN, team, scope=Scope.FORCE, full_name="Alys Admin")
    system = make_user(Role.ANALYST, team, full_name="Warehouse Account")
    officer = make_user(Role.OFFICER, team, full_name="Ceri Officer")
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    _sign_in_as_admin(page, admin)

    page.goto("/account/tokens/")
    expect(page.locator("h1")).to_have_text("API tokens")
    page.select_option("#id_user", label="Warehouse Account")
    page.fill("#id_name", "Force data warehouse")
    page.fill("#id_password", "not-my-password")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The password is not right")
    check_accessibility(page)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("vgl_")
    expect(page.locator("table")).to_contain_text("Force data warehouse")
    expect(page.locator("thead")).to_contain_text("Expires")
    check_accessibility(page)
    _shot(page, "tokens-en")
    assert ApiToken.objects.get().user == system

    page.click("a:has-text('Cymraeg')")
    expect(page.locator("h1")).to_have_text(cy("API tokens"))
    expect(page.locator("thead")).to_contain_text(cy("Expires"))
    check_accessibility(page)
    _shot(page, "tokens-cy")

    page.goto(f"/account/users/{officer.uuid}/")
    expect(page.get_by_role("heading", name=cy("Reset the authenticator app"))).to_be_visible()
    page.fill("#id_second-factor-reason", "Ffôn wedi'i golli")
    page.fill("#id_second-factor-password", "not-my-password")
    page.get_by_role("button", name=cy("Reset the authenticator app")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(cy("The password is not right"))
    check_accessibility(page)
    _shot(page, "user-reset-cy")
    assert TOTPDevice.objects.filter(user=officer).exists()
    page.fill("#id_second-factor-password", PASSWORD)
    page.get_by_role("button", name=cy("Reset the authenticator app")).click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=officer).exists()

    page.click("a:has-text('English')")
    expect(page.get_by_role("heading", name="Reset the authenticator app")).to_be_visible()
    check_accessibility(page)
    _shot(page, "user-reset-en")
