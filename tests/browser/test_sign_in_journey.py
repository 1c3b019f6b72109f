"""The first journey: sign in with a computed TOTP code, switch to Welsh, open My work."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from vigil.core.testing import PASSWORD, make_team, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_sign_in_enrol_switch_to_welsh_and_open_my_work(page):
    user = make_user("officer", make_team(), full_name="Rhys Pritchard")
    page.goto("/")
    assert "/account/sign-in/" in page.url
    check_accessibility(page)

    # A wrong password is reported in the GOV.UK error summary.
    page.fill("#id_email", user.email)
    page.fill("#id_password", "not-the-password")
    page.click("button:has-text('Continue')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)

    page.fill("#id_email", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Continue')")
    assert "/account/two-factor/" in page.url
    expect(page.locator(".vigil-qr svg")).to_be_visible()
    check_accessibility(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#id_code", _code(device))
    page.click("button:has-text('Continue')")

    assert page.url.endswith("/work/")
    expect(page.locator("h1")).to_have_text("My work")
    expect(page.get_by_text("Rhys Pritchard")).to_be_visible()
    check_accessibility(page)

    page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator("h1")).to_have_text("Fy ngwaith")
    expect(page.locator("button:has-text('Allgofnodi')")).to_be_visible()
    check_accessibility(page)

    page.click("a:has-text('English')")
    expect(page.locator("h1")).to_have_text("My work")
