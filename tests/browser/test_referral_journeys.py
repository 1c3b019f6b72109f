"""Referral journeys in a real browser, each page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from vigil.accounts.choices import Role, TeamKind
from vigil.core.testing import make_team, make_user
from vigil.investigations.models import Investigation
from vigil.referrals.models import Referral
from vigil.referrals.tests.helpers import LOW_ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_referral_is_received_assessed_graded_and_allocated_outside_polit(page):
    team = make_team()
    cid = make_team(team.force, name="CID Carmarthen", kind=TeamKind.OTHER)
    sergeant = make_user(Role.SUPERVISOR, team, full_name="Carys Howells")
    sign_in(page, sergeant)
    page.goto("/referrals/")
    check_accessibility(page)
    page.click("text=Record a referral")
    check_accessibility(page)
    page.check("#id_source")  # NCA / CEOP package
    page.click("button:has-text('Check and record the referral')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    page.fill("#id_source_reference", "NCA-2026-000777")
    page.fill("#id_summary", "Uploads reported by a platform.")
    page.fill("#id_suspect_given_name", "Dai")
    page.fill("#id_suspect_family_name", "Jones")
    page.fill("#id_suspect_date_of_birth", "1980-05-17")
    page.select_option("#id_identifier_1_kind", "username")
    page.fill("#id_identifier_1_value", "dragon99")
    page.click("button:has-text('Check and record the referral')")
    expect(page.locator("h1")).to_have_text("Referral NCA-2026-000777")
    check_accessibility(page)

    page.click("text=Assess the risk")
    check_accessibility(page)
    for question, answer in LOW_ANSWERS.items():
        page.check(f"input[name='q_{question}'][value='{answer}']")
    page.click("button:has-text('Record the assessment')")
    expect(page.locator("h1")).to_have_text("Grade the priority")
    check_accessibility(page)
    page.check("#id_child_in_household")
    page.click("button:has-text('Grade the referral')")
    check_accessibility(page)
    referral = Referral.objects.get()
    assert referral.priority == "medium"

    page.click("a:has-text('Allocate')")
    check_accessibility(page)
    page.select_option("#id_team", label="CID Carmarthen")
    page.click("button:has-text('Allocate')")
    assert "Allocated to CID Carmarthen" in page.content()
    check_accessibility(page)
    assert Investigation.objects.get(referral=referral).allocated_team == cid


def test_the_referral_queue_renders_in_welsh(page):
    team = make_team()
    officer = make_user(Role.OFFICER, team, full_name="Ffion Rowlands")
    sign_in(page, officer)
    page.goto("/referrals/")
    page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("table.govuk-table")).to_be_visible()
    check_accessibility(page)
