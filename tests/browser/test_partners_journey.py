"""The partnership with Probation in a real browser, in English and in Welsh, each page
checked with axe-core (no serious or critical violation):

1. a police officer raises a request about a nominal, starting from the menu; a probation
   practitioner, signed in separately, finds it in their inbox, acknowledges it and
   responds; the officer rates the response;
2. an administrator reaches the set-up pages from the menu, opens the region and the
   agreement, and publishes a new version of the response times (a date in the past is
   refused with its message first).

In Welsh every label, button and link is found by its Welsh text (from the catalogue, and
checked to differ from the English), so an untranslated step fails the test.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import check_accessibility, cy, sign_in
from vigil.partners.choices import RequestState
from vigil.partners.models import AgreementVersion, Request
from vigil.partners.tests.helpers import Partnership

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")


def _t(message: str, welsh: bool) -> str:
    return cy(message) if welsh else message


def shot(page, name: str, welsh: bool) -> None:
    if os.environ.get("VIGIL_SHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SHOTS / f"partners-{name}-{'cy' if welsh else 'en'}.png"), full_page=True
        )


def _sign_in_admin(page, user) -> None:
    """As conftest's sign_in, for an administrator (who starts at the Users page, under
    /account/)."""
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
    with page.expect_navigation():
        page.click("button:has-text('Continue')")
    page.wait_for_selector("nav.govuk-service-navigation__wrapper")


def _start(page, user, welsh: bool, *, admin: bool = False) -> None:
    _sign_in_admin(page, user) if admin else sign_in(page, user)
    if welsh:
        with page.expect_navigation():
            page.click("a:has-text('Cymraeg')")
        assert page.locator("html").get_attribute("lang") == "cy"


def _menu(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("nav.govuk-service-navigation__wrapper").get_by_role(
            "link", name=label, exact=True
        ).click()


def _press(page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def _checked(page, name: str, welsh: bool) -> None:
    check_accessibility(page)
    shot(page, name, welsh)


@pytest.fixture
def world():
    from vigil.core.testing import make_force

    return Partnership(make_force())


@pytest.mark.parametrize("welsh", [False, True], ids=["english", "welsh"])
def test_a_request_raised_answered_and_rated(page, second_page, world, welsh):
    t = lambda message: _t(message, welsh)  # noqa: E731
    nominal = world.nominal()
    reference = world.reference(nominal)

    # The officer raises the request, starting from the menu.
    _start(page, world.officer, welsh)
    _menu(page, t("Probation"))
    _checked(page, "inbox", welsh)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Raise a request"), exact=True).click()
    _checked(page, "raise", welsh)
    _press(page, t("Raise the request"))  # nothing filled in: the messages, nothing saved
    assert page.locator(".govuk-error-summary").is_visible()
    assert not Request.objects.exists()
    _checked(page, "raise-errors", welsh)
    page.get_by_label(t("Information request"), exact=True).check()
    page.fill("#id_register_reference", reference)
    page.fill("#id_details", "Please confirm the address held for the visit next week.")
    _press(page, t("Raise the request"))
    request = Request.objects.get()
    assert request.raised_by == world.officer and request.state == RequestState.RAISED
    assert request.reference in page.locator("h1").inner_text()
    _checked(page, "request-raised", welsh)

    # The practitioner, in their own browser, acknowledges and responds.
    _start(second_page, world.practitioner, welsh)
    _menu(second_page, t("Requests with the police"))
    _checked(second_page, "probation-inbox", welsh)
    with second_page.expect_navigation():
        second_page.get_by_role("link", name=request.reference, exact=True).click()
    _checked(second_page, "probation-request", welsh)
    _press(second_page, t("Acknowledge: we have it in hand"))
    request.refresh_from_db()
    assert request.state == RequestState.ACKNOWLEDGED
    assert request.acknowledged_by == world.practitioner
    _press(second_page, t("Send the response"))  # empty: its message, nothing changes
    assert second_page.locator(".govuk-error-summary").is_visible()
    request.refresh_from_db()
    assert request.state == RequestState.ACKNOWLEDGED
    _checked(second_page, "probation-respond-error", welsh)
    second_page.fill("#id_response", "Address confirmed: no change since the last review.")
    _press(second_page, t("Send the response"))
    request.refresh_from_db()
    assert request.state == RequestState.RESPONDED and request.within_sla is True
    _checked(second_page, "probation-responded", welsh)

    # The officer rates the response.
    page.reload()
    page.get_by_label(t("Good"), exact=True).check()
    page.fill("#id_feedback", "Quick and clear.")
    _press(page, t("Send the rating"))
    request.refresh_from_db()
    assert (request.rating, request.feedback) == (3, "Quick and clear.")
    assert page.get_by_text(t("Response rated"), exact=True).is_visible()
    _checked(page, "request-rated", welsh)


@pytest.mark.parametrize("welsh", [False, True], ids=["english", "welsh"])
def test_an_administrator_publishes_a_new_version_from_the_menu(page, world, welsh):
    t = lambda message: _t(message, welsh)  # noqa: E731
    _start(page, world.admin, welsh, admin=True)
    _menu(page, t("Probation partnerships"))
    _checked(page, "setup", welsh)
    with page.expect_navigation():
        page.get_by_role("link", name=world.region.localised_name if not welsh else "Cymru").click()
    _checked(page, "setup-region", welsh)
    with page.expect_navigation():
        page.locator("main dl").get_by_role("link").click()
    _checked(page, "setup-agreement", welsh)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Publish a new version"), exact=True).click()
    _checked(page, "setup-version", welsh)
    today = timezone.localdate()
    page.fill("#id_effective_from", (today - dt.timedelta(days=3)).isoformat())
    page.fill("#id_notes", "Quicker information requests.")
    page.fill("#id_to_probation__information__amount", "5")
    _press(page, t("Publish the version"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert AgreementVersion.objects.filter(agreement=world.agreement).count() == 1
    _checked(page, "setup-version-error", welsh)
    page.fill("#id_effective_from", (today + dt.timedelta(days=7)).isoformat())
    _press(page, t("Publish the version"))
    version = AgreementVersion.objects.get(agreement=world.agreement, number=2)
    assert version.terms.get(direction="to_probation", kind="information").amount == 5
    assert page.get_by_text(t("New version published"), exact=True).is_visible()
    _checked(page, "setup-agreement-v2", welsh)
    # Adding a practitioner: an unknown address is refused with its message.
    page.goto(f"/partners/setup/regions/{world.region.uuid}/")
    page.fill("#id_email", "nobody@example.org")
    _press(page, t("Add the practitioner"))
    assert page.locator(".govuk-error-summary").is_visible()
    _checked(page, "setup-region-error", welsh)
    page.goto("/partners/setup/regions/new/")
    _checked(page, "setup-region-new", welsh)
