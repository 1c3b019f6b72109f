"""Reactive management in a real browser, each page checked with axe-core: an offender
manager asks for reactive management of a medium-risk nominal and is refused, with the
reason shown. Then the same refusal in Welsh."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, cy, sign_in
from vigil.accounts.choices import Rank, Role
from vigil.core.testing import make_force, make_user
from vigil.offenders.models import ModeDecision
from vigil.offenders.tests.helpers import approved_arms, make_nominal, mosovo_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def medium():
    team = mosovo_team(make_force())
    officer = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE, full_name="Ffion Rowlands")
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT, full_name="Gethin Vaughan")
    nominal = make_nominal(team, manager=officer)
    approved_arms(nominal, officer, sergeant, "medium")
    return {"officer": officer, "nominal": nominal}


def _ask(page, nominal, *, management: str, request: str, refused: str) -> None:
    page.goto(f"/nominals/{nominal.uuid}/")
    check_accessibility(page)
    with page.expect_navigation():
        page.locator(".moj-side-navigation").get_by_text(management, exact=True).click()
    check_accessibility(page)
    with page.expect_navigation():
        page.locator("main a.govuk-button").get_by_text(request, exact=True).click()
    check_accessibility(page)
    page.fill("#id_proposal", "Stable for a long time; asks for less contact.")
    with page.expect_navigation():
        page.locator("main form button").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("h2.govuk-heading-m").first).to_contain_text(refused)
    check_accessibility(page)


def test_a_medium_risk_nominal_is_refused_reactive_management_with_the_reason(page, medium):
    nominal = medium["nominal"]
    sign_in(page, medium["officer"])
    _ask(
        page,
        nominal,
        management="Management mode",
        request="Request reactive management",
        refused="Reactive management refused",
    )
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The current risk level is medium, not low" in summary
    assert "Risk level low for at least 3 years" in summary
    assert page.locator(".govuk-tag:has-text('Not met')").count() == 2
    assert not ModeDecision.objects.exists()

    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"
    _ask(
        page,
        nominal,
        management=cy("Management mode"),
        request=cy("Request reactive management"),
        refused=cy("Reactive management refused"),
    )
    level = cy("Medium").lower()
    reason = cy("The current risk level is %(level)s, not low") % {"level": level}
    assert reason in page.locator(".govuk-error-summary").inner_text()
    assert not ModeDecision.objects.exists()
