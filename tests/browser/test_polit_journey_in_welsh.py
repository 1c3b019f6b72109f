"""The whole POLIT journey in Welsh, in a real browser, each page checked with axe-core:
receive → assess → prioritise → allocate outside POLIT → oversight review → reassess →
arrest → bail with conditions → condition check → family support offered.

Every button and link is found by its Welsh text (taken from the catalogue, and checked
to differ from the English), so an untranslated step fails the test.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, cy, sign_in
from vigil.accounts.choices import Rank, Role, TeamKind
from vigil.core.testing import make_team, make_user
from vigil.investigations.models import (
    BailConditionCheck,
    EnforcementDecision,
    FamilySupportOffer,
    Investigation,
    OversightReview,
    Reassessment,
)
from vigil.investigations.tests.helpers import LOW
from vigil.referrals.models import Referral
from vigil.referrals.tests.helpers import LOW_ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)


def submit(page, label: str) -> None:
    """Press the form's button (its Welsh label) and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=cy(label)).click()


def follow(page, label: str, within: str = "main") -> None:
    with page.expect_navigation():
        page.locator(within).get_by_text(cy(label), exact=True).first.click()


def test_a_sergeant_works_a_referral_to_family_support_in_welsh(page):
    team = make_team()
    cid = make_team(team.force, name="CID Caerfyrddin", kind=TeamKind.OTHER)
    make_user(Role.OFFICER, cid, full_name="Rhys Pritchard")
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT, full_name="Carys Howells")
    sign_in(page, sergeant)
    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"

    # Receive.
    page.goto("/referrals/")
    expect(page.locator("h1")).to_have_text(cy("Referral queue"))
    check_accessibility(page)
    follow(page, "Record a referral")
    check_accessibility(page)
    page.check("#id_source")  # NCA / CEOP package
    page.fill("#id_source_reference", "NCA-2026-000888")
    page.fill("#id_summary", "Llwythiadau a adroddwyd gan blatfform.")
    page.fill("#id_suspect_given_name", "Dai")
    page.fill("#id_suspect_family_name", "Llewelyn")
    page.fill("#id_suspect_date_of_birth", "1981-03-01")
    submit(page, "Check and record the referral")
    check_accessibility(page)
    referral = Referral.objects.get()

    # Assess, then prioritise.
    follow(page, "Assess the risk")
    check_accessibility(page)
    for question, answer in LOW_ANSWERS.items():
        page.check(f"input[name='q_{question}'][value='{answer}']")
    submit(page, "Record the assessment")
    expect(page.locator("h1")).to_have_text(cy("Grade the priority"))
    check_accessibility(page)
    page.check("#id_child_in_household")
    submit(page, "Grade the referral")
    check_accessibility(page)
    referral.refresh_from_db()
    assert referral.priority == "medium"

    # Allocate outside POLIT.
    follow(page, "Allocate")
    check_accessibility(page)
    page.select_option("#id_team", label="CID Caerfyrddin")
    submit(page, "Allocate")
    check_accessibility(page)
    investigation = Investigation.objects.get(referral=referral)
    assert investigation.allocated_team == cid

    # The owning team's oversight review.
    page.goto("/investigations/oversight/")
    check_accessibility(page)
    with page.expect_navigation():
        page.click("table >> a:has-text('Llewelyn')")
    follow(page, "Record an oversight review")
    check_accessibility(page)
    page.check("input[name=outcome][value=satisfactory]")
    submit(page, "Record the review")
    check_accessibility(page)
    assert OversightReview.objects.get().outcome == "satisfactory"

    # Reassess before enforcement, then arrest with the welfare prompt.
    page.goto(f"/investigations/{investigation.uuid}/")
    follow(page, "Reassess the risk")
    check_accessibility(page)
    page.check("input[name=trigger][value=before_enforcement]")
    for question, answer in LOW.items():
        page.check(f"input[name=q_{question}][value={answer}]")
    submit(page, "Record the reassessment")
    check_accessibility(page)
    assert Reassessment.objects.filter(trigger="before_enforcement").count() == 1
    follow(page, "Record a decision")
    check_accessibility(page)
    page.check("input[name=kind][value=arrest]")
    page.fill("#id_rationale", "Mynediad at blant; dyfeisiau i'w cymryd.")
    page.check("input[name=welfare_assessment][value=no_indication]")
    submit(page, "Record the decision")
    check_accessibility(page)
    follow(page, "Record progress")
    page.check("input[name=to_state][value=post_arrest]")
    submit(page, "Record progress")
    check_accessibility(page)

    # Pre-charge bail with conditions, the alleged victims' views recorded.
    follow(page, "Record a decision")
    page.check("input[name=kind][value=pre_charge_bail]")
    page.fill("#id_rationale", "Amodau i ddiogelu plant.")
    page.fill("#id_bail_conditions", "Dim cyswllt heb oruchwyliaeth â phlant")
    page.fill("#id_victim_views", "Nid yw mam y plentyn eisiau cyswllt.")
    submit(page, "Record the decision")
    check_accessibility(page)
    assert EnforcementDecision.objects.filter(kind="pre_charge_bail").exists()

    # A condition check, from the bail page.
    follow(page, "Bail", within="nav.moj-side-navigation")
    check_accessibility(page)
    expect(page.locator("main")).to_contain_text("Dim cyswllt heb oruchwyliaeth â phlant")
    follow(page, "Record a condition check")
    check_accessibility(page)
    page.check("input[name=method][value=home_visit]")
    page.check("input[name=outcome][value=complied]")
    submit(page, "Record the check")
    check_accessibility(page)
    assert BailConditionCheck.objects.get().outcome == "complied"

    # Support offered to the family.
    follow(page, "Family support", within="nav.moj-side-navigation")
    check_accessibility(page)
    page.check("input[name=status][value=offered]")
    submit(page, "Save the offer")
    check_accessibility(page)
    expect(page.locator("main")).to_contain_text(
        cy("The offer of support to the family has been recorded.")
    )
    assert FamilySupportOffer.objects.get(investigation=investigation).status == "offered"
