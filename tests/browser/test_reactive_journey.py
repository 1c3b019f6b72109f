"""Reactive management in a real browser, each page checked with axe-core: an offender
manager asks for reactive management of a medium-risk nominal and is refused, with the
reason shown. Then the same refusal in Welsh. And the list of reactively managed
nominals, page by page with its filter, in English and Welsh."""

import functools

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, cy, cy_plural, sign_in
from vigil.accounts.choices import Rank, Role
from vigil.core.pagination import paginate
from vigil.core.testing import make_force, make_user
from vigil.offenders.models import ModeDecision, Nominal
from vigil.offenders.tests.helpers import approved_arms, make_nominal, mosovo_team
from vigil.offenders.views import reactive as reactive_views

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


def test_the_reactive_list_goes_page_by_page_keeping_its_filter(page, monkeypatch):
    team = mosovo_team(make_force())
    officer = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE, full_name="Ffion Rowlands")
    for _ in range(3):
        # on reactive management with no approved ARMS nor approval: conditions unmet
        nominal = make_nominal(team, manager=officer)
        Nominal.objects.filter(pk=nominal.pk).update(management_mode="reactive")
    monkeypatch.setattr(reactive_views, "paginate", functools.partial(paginate, per_page=2))
    sign_in(page, officer)
    page.goto("/nominals/")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Reactive management", exact=True).click()
    caption = page.locator("main table caption")
    expect(caption).to_have_text("3 reactively managed nominals")
    expect(page.locator(".govuk-pagination")).to_contain_text("Page 1 of 2")
    assert page.locator("main tbody tr").count() == 2
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_text("Show only those with a condition no longer met").click()
    expect(caption).to_have_text("3 nominals with a condition no longer met")
    with page.expect_navigation():
        page.locator(".govuk-pagination__next a").click()
    assert "unmet=1" in page.url and "page=2" in page.url
    expect(caption).to_have_text("3 nominals with a condition no longer met")
    expect(page.locator(".govuk-pagination")).to_contain_text("Page 2 of 2")
    assert page.locator("main tbody tr").count() == 1
    check_accessibility(page)

    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    assert "unmet=1" in page.url and "page=2" in page.url
    expect(caption).to_have_text(
        cy_plural(
            "%(counter)s nominal with a condition no longer met",
            "%(counter)s nominals with a condition no longer met",
            3,
        )
        % {"counter": 3}
    )
    expect(page.locator(".govuk-pagination")).to_contain_text(
        cy("Page %(number)s of %(total)s") % {"number": 2, "total": 2}
    )
    check_accessibility(page)
    with page.expect_navigation():
        page.locator(".govuk-pagination__prev a").click()
    assert "unmet=1" in page.url and "page=1" in page.url
    assert page.locator("main tbody tr").count() == 2
    check_accessibility(page)
