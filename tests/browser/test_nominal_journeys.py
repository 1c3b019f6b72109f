"""MOSOVO journeys in a real browser, each page checked with axe-core: recording home
visits through the check-your-answers page, the supervisor's review, and the
authorisation a single-officer visit needs."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from vigil.accounts.choices import Rank, Role
from vigil.core.testing import make_force, make_user
from vigil.offenders.models import Review, Visit, VisitAuthorisation
from vigil.offenders.tests.helpers import make_nominal, make_plan, mosovo_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mosovo():
    team = mosovo_team(make_force())
    officer = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE, full_name="Ffion Rowlands")
    colleague = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE, full_name="Dafydd Jones")
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT, full_name="Gethin Vaughan")
    nominal = make_nominal(team, manager=officer)
    make_plan(nominal, officer, months=1)
    return {"officer": officer, "colleague": colleague, "sergeant": sergeant, "nominal": nominal}


def _two_hours_ago() -> str:
    return (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


def _record_visit(page, nominal, *, with_colleague: bool) -> None:
    page.goto(f"/nominals/{nominal.uuid}/visits/")
    check_accessibility(page)
    page.click("text=Record a visit")
    check_accessibility(page)
    page.fill("#id_visited_at", _two_hours_ago())
    page.get_by_label("Home address").check()
    page.locator("input[name=announced][value=no]").check()
    # The recording officer is ticked already; two officers means two boxes at once.
    assert page.get_by_label("Ffion Rowlands").is_checked()
    if with_colleague:
        page.get_by_label("Dafydd Jones").check()
    page.get_by_label("Access gained").check()
    page.fill("#id_outcome", "Seen at home. Devices checked; nothing of concern.")
    page.click("button:has-text('Continue')")
    expect(page.locator("h2").first).to_contain_text("Check your answers")
    check_accessibility(page)


def test_an_unannounced_visit_in_pairs_is_recorded_then_reviewed(page, second_page, mosovo):
    nominal = mosovo["nominal"]
    sign_in(page, mosovo["officer"])
    _record_visit(page, nominal, with_colleague=True)
    assert page.locator(".govuk-warning-text").count() == 0
    answers = page.locator(".govuk-summary-list").inner_text()
    assert "Ffion Rowlands" in answers and "Dafydd Jones" in answers
    page.click("button:has-text('Record the visit')")
    page.wait_for_url("**/nominals/visits/**")
    check_accessibility(page)
    visit = Visit.objects.get(nominal=nominal)
    assert visit.compliant and visit.officer_count == 2 and not visit.announced
    assert page.locator(".govuk-warning-text").count() == 0

    sergeant = second_page
    sign_in(sergeant, mosovo["sergeant"])
    sergeant.goto("/nominals/reviews/")
    check_accessibility(sergeant)
    sergeant.click("a:has-text('Review'):has-text('Home visit')")
    check_accessibility(sergeant)
    sergeant.get_by_label("Approved").check()
    sergeant.click("button:has-text('Record the review')")
    sergeant.wait_for_url("**/nominals/reviews/")
    assert "The review has been recorded." in sergeant.content()
    check_accessibility(sergeant)
    review = Review.objects.get(visit=visit)
    assert review.outcome == "approved" and review.reviewer == mosovo["sergeant"]


def test_a_single_officer_visit_is_flagged_until_a_sergeant_authorises_it(
    page, second_page, mosovo
):
    nominal = mosovo["nominal"]
    sign_in(page, mosovo["officer"])
    _record_visit(page, nominal, with_colleague=False)
    warning = page.locator(".govuk-warning-text").inner_text()
    assert "must be authorised by a sergeant or above" in warning
    page.click("button:has-text('Record the visit')")
    page.wait_for_url("**/nominals/visits/**")
    check_accessibility(page)
    expect(page.locator(".govuk-warning-text")).to_contain_text("needs authorisation by a sergeant")
    # A constable cannot authorise it.
    assert page.locator("text=Authorise this visit").count() == 0
    visit = Visit.objects.get(nominal=nominal)
    assert not visit.compliant and visit.officer_count == 1
    page.goto(f"/nominals/{nominal.uuid}/visits/")
    expect(page.locator(".govuk-tag:has-text('Needs authorisation')")).to_be_visible()

    sergeant = second_page
    sign_in(sergeant, mosovo["sergeant"])
    sergeant.goto(f"/nominals/visits/{visit.uuid}/")
    check_accessibility(sergeant)
    sergeant.click("text=Authorise this visit")
    check_accessibility(sergeant)
    sergeant.click("button:has-text('Authorise')")
    expect(sergeant.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(sergeant)
    assert not VisitAuthorisation.objects.exists()
    sergeant.fill("#id_rationale", "Second officer abstracted; known address, low risk.")
    sergeant.click("button:has-text('Authorise')")
    sergeant.wait_for_url(f"**/nominals/visits/{visit.uuid}/")
    check_accessibility(sergeant)
    expect(sergeant.locator(".govuk-warning-text")).to_contain_text("authorised.")
    authorisation = VisitAuthorisation.objects.get(visit=visit)
    assert authorisation.authorised_by == mosovo["sergeant"] and authorisation.in_time

    page.reload()
    assert page.locator(".govuk-tag:has-text('Needs authorisation')").count() == 0
    expect(page.locator("table")).to_contain_text("Authorised by Gethin Vaughan")
