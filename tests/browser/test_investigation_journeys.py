"""POLIT investigation journey in a real browser, each page checked with axe-core:
allocate outside POLIT → oversight review → reassess → arrest → release under
investigation refused for a sergeant, with a message naming the rank needed."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from vigil.accounts.choices import Rank, Role, TeamKind
from vigil.core.testing import make_team, make_user
from vigil.investigations.models import EnforcementDecision, OversightReview, Reassessment
from vigil.investigations.tests.helpers import LOW, make_investigation

pytestmark = pytest.mark.django_db(transaction=True)


def submit(page, label: str) -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"button:has-text('{label}')")


def test_a_sergeant_oversees_an_external_investigation_and_cannot_authorise_rui(page):
    team = make_team()
    unit = make_team(team.force, name="CID Aberystwyth", kind=TeamKind.OTHER)
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT, full_name="Carys Howells")
    make_user(Role.OFFICER, unit, full_name="Rhys Pritchard")
    investigation = make_investigation(team, actor=sergeant)
    name = investigation.suspect.given_name

    sign_in(page, sergeant)
    page.goto("/investigations/")
    check_accessibility(page)
    page.click(f"a:has-text('{name}')")
    check_accessibility(page)

    # Allocate outside POLIT.
    page.click("a.govuk-button:text-is('Allocate')")
    check_accessibility(page)
    page.select_option("#id_team", label="CID Aberystwyth")
    page.select_option("#id_officer", label="Rhys Pritchard")
    submit(page, "Allocate")
    expect(page.locator("main")).to_contain_text("allocated to CID Aberystwyth")
    check_accessibility(page)

    # It is on the oversight board; review it.
    page.goto("/investigations/oversight/")
    check_accessibility(page)
    expect(page.locator(f"table >> text={name}")).to_be_visible()
    page.click(f"a:has-text('{name}')")
    page.click("text=Record an oversight review")
    check_accessibility(page)
    submit(page, "Record the review")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    page.check("input[name=outcome][value=action_required]")
    submit(page, "Record the review")
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # a note is needed
    page.fill("#id_note", "Reassess the risk before the warrant.")
    submit(page, "Record the review")
    check_accessibility(page)
    assert OversightReview.objects.get().outcome == "action_required"

    # Reassess before enforcement.
    page.click("text=Reassess the risk")
    check_accessibility(page)
    page.check("input[name=trigger][value=before_enforcement]")
    for question, answer in LOW.items():
        page.check(f"input[name=q_{question}][value={answer}]")
    submit(page, "Record the reassessment")
    check_accessibility(page)
    assert Reassessment.objects.get().trigger == "before_enforcement"

    # Arrest.
    page.click("text=Record a decision")
    check_accessibility(page)
    page.check("input[name=kind][value=arrest]")
    page.fill("#id_rationale", "Access to children; devices to seize.")
    page.check("input[name=welfare_assessment][value=no_indication]")
    submit(page, "Record the decision")
    check_accessibility(page)
    page.click("text=Record progress")
    check_accessibility(page)
    page.check("input[name=to_state][value=post_arrest]")
    submit(page, "Record progress")
    check_accessibility(page)

    # Release under investigation: refused for a sergeant, naming the rank needed.
    page.click("text=Record a decision")
    page.check("input[name=kind][value=rui]")
    page.fill("#id_rationale", "Forensic examination of devices outstanding.")
    page.fill("#id_exceptional_rationale", "Suspect working abroad.")
    submit(page, "Record the decision")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("authorised by the rank of inspector or above")
    check_accessibility(page)
    assert not EnforcementDecision.objects.filter(kind="rui").exists()
    assert EnforcementDecision.objects.get().kind == "arrest"
