"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser), with
axe-core checking every page visited for serious or critical accessibility problems."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import translation

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail(
                "Debian's chromium is not installed (apt-get install -y chromium): under CI "
                "a missing browser is a failure, not a skip."
            )
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@contextmanager
def _browser_page(browser, live_server):
    """A page in a fresh browser context; fails the test if the content security policy
    blocked anything on it."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert not csp_errors, "The content security policy blocked something:\n" + "\n".join(
        csp_errors
    )


@pytest.fixture
def page(browser, live_server):
    with _browser_page(browser, live_server) as page:
        yield page


@pytest.fixture
def second_page(browser, live_server):
    """A second browser beside the first (a supervisor's beside an officer's)."""
    with _browser_page(browser, live_server) as page:
        yield page


def cy(message: str, context: str | None = None) -> str:
    """The Welsh for `message` (in `context`, for a pgettext string); fails if the
    catalogue has none (so a journey driven by Welsh labels fails on any untranslated
    step)."""
    with translation.override("cy"):
        welsh = translation.pgettext(context, message) if context else translation.gettext(message)
    assert welsh != message, f"No Welsh for {message!r}"
    return welsh


def cy_plural(singular: str, plural: str, n: int) -> str:
    with translation.override("cy"):
        welsh = translation.ngettext(singular, plural, n)
    assert welsh not in (singular, plural), f"No Welsh for {plural!r}"
    return welsh


def check_accessibility(page) -> None:
    """Run axe-core on the current page; fail on any serious or critical violation.

    First make sure the page is styled (the GOV.UK stylesheet loaded): colour contrast
    is only meaningful on the page as users see it.
    """
    # Wait for the page the last click led to (under load, navigation can lag the click).
    page.wait_for_load_state("load")
    page.wait_for_selector("h1")
    font = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "arial" in font.lower(), f"GOV.UK styles did not load on {page.url} (font: {font})"
    # Evaluated through the DevTools protocol, which the page's CSP does not govern
    # (a <script> tag would be refused, as it should be).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, (
        "\n".join(
            f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])} node(s): "
            f"{v['nodes'][0]['target'] if v['nodes'] else ''})"
            for v in bad
        )
        + f"\non {page.url}"
    )


def sign_in(page, user) -> None:
    """Sign in through the pages, with an enrolled authenticator app (a computed code)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vigil.core.testing import PASSWORD

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
    # Signed in once the sign-in steps are left (an administrator lands on /account/users/).
    page.wait_for_url(
        lambda url: "/account/sign-in" not in url and "/account/two-factor" not in url
    )
