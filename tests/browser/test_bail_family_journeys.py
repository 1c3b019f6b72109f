"""Bail and family-support journey in a real browser, each page checked with axe-core:
arrest (welfare prompt) → pre-charge bail with conditions and the alleged victims' views →
condition check → family support offered → the leaflet in Welsh, on screen and as a PDF."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import check_accessibility, cy, sign_in
from vigil.accounts.choices import Rank, Role
from vigil.core.testing import make_team, make_user
from vigil.investigations.models import BailConditionCheck, FamilySupportOffer, SupportOrganisation
from vigil.investigations.tests.helpers import LOW, make_investigation

pytestmark = pytest.mark.django_db(transaction=True)


def submit(page, label: str) -> None:
    with page.expect_navigation():
        page.click(f"button:has-text('{label}')")


def test_a_sergeant_bails_with_conditions_checks_them_and_offers_family_support(page):
    # Browser tests empty the database between tests, seeded rows included: seed again.
    SupportOrganisation.objects.get_or_create(
        name_en="Safer Lives",
        defaults={
            "name_cy": "Safer Lives",
            "description_en": "Support for families.",
            "description_cy": "Cymorth i deuluoedd.",
            "website": "https://www.saferlives.co.uk/",
        },
    )
    team = make_team()
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT, full_name="Carys Howells")
    investigation = make_investigation(team, actor=sergeant, officer=sergeant)
    suspect = investigation.suspect
    suspect.language = "cy"
    suspect.save(update_fields=["language"])

    sign_in(page, sergeant)
    page.goto(f"/investigations/{investigation.uuid}/")
    check_accessibility(page)

    # Reassess before enforcement, then arrest with the welfare prompt.
    page.click("text=Reassess the risk")
    page.check("input[name=trigger][value=before_enforcement]")
    for question, answer in LOW.items():
        page.check(f"input[name=q_{question}][value={answer}]")
    submit(page, "Record the reassessment")
    page.click("text=Record a decision")
    check_accessibility(page)
    page.check("input[name=kind][value=arrest]")
    page.fill("#id_rationale", "Access to children; devices to seize.")
    submit(page, "Record the decision")
    expect(page.locator(".govuk-error-summary")).to_contain_text("self-harm")
    check_accessibility(page)
    page.check("input[name=welfare_assessment][value=no_indication]")
    submit(page, "Record the decision")
    page.click("text=Record progress")
    page.check("input[name=to_state][value=post_arrest]")
    submit(page, "Record progress")

    # Pre-charge bail with conditions: the victims' views are asked for first.
    page.click("text=Record a decision")
    page.check("input[name=kind][value=pre_charge_bail]")
    page.fill("#id_rationale", "Conditions needed to protect children.")
    page.fill("#id_bail_conditions", "No unsupervised contact with children\nLive at the address")
    submit(page, "Record the decision")
    expect(page.locator(".govuk-error-summary")).to_contain_text("alleged victims")
    check_accessibility(page)
    page.fill("#id_victim_views", "The child's mother wants no contact.")
    submit(page, "Record the decision")
    check_accessibility(page)

    # The bail page, from the side navigation.
    with page.expect_navigation():
        page.click("nav.moj-side-navigation >> text=Bail")
    check_accessibility(page)
    expect(page.locator("main")).to_contain_text("No unsupervised contact with children")
    page.click("text=Record a condition check")
    check_accessibility(page)
    page.check("input[name=method][value=home_visit]")
    page.check("input[name=outcome][value=complied]")
    submit(page, "Record the check")
    check_accessibility(page)
    assert BailConditionCheck.objects.get().outcome == "complied"

    # Family support, then the leaflet in Welsh (the suspect's language).
    with page.expect_navigation():
        page.click("nav.moj-side-navigation >> text=Family support")
    check_accessibility(page)
    page.check("input[name=status][value=offered]")
    submit(page, "Save the offer")
    check_accessibility(page)
    assert FamilySupportOffer.objects.get().status == "offered"
    with page.expect_navigation():
        page.click("text=Preview the leaflet")
    check_accessibility(page)
    assert page.locator("article.vigil-leaflet").get_attribute("lang") == "cy"
    expect(page.locator("button[data-vigil-print]")).to_be_visible()
    expect(page.locator("article")).to_contain_text("Safer Lives")
    # The PDF the family is given, in Welsh.
    pdf_link = page.locator("a:has-text('Download the leaflet (PDF)')")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert cy("Support for families and friends") in text  # the leaflet is in Welsh
    assert "Safer Lives" in text and "www.saferlives.co.uk" in text, text


def test_each_force_keeps_its_directory_beside_the_national_entries(page, second_page):
    """An administrator adds a national organisation and one for their force; a manager of
    another force, in Welsh, sees the national one (labelled) but not the first force's,
    and adds their own force's entry (no national choice for them)."""
    from vigil.accounts.models import Force

    dyfed_team = make_team()
    gwent = Force.objects.create(code="gwent", name="Gwent Police", name_cy="Heddlu Gwent")
    gwent_team = make_team(gwent, name="POLIT Gwent")
    admin = make_user(Role.ADMIN, dyfed_team, full_name="Alys Price")
    gwent_manager = make_user(Role.MANAGER, gwent_team, scope="force", full_name="Iwan Lloyd")

    sign_in(page, admin)
    page.goto("/investigations/support-organisations/")
    check_accessibility(page)
    for name, choice in (("Family helpline", "national"), ("Powys family group", "dyfed-powys")):
        with page.expect_navigation():
            page.click("text=Add an organisation")
        check_accessibility(page)
        page.check(f"input[name=force][value={choice}]")
        page.fill("#id_name_en", name)
        page.fill("#id_description_en", "Support for families.")
        submit(page, "Save")
    check_accessibility(page)
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows.filter(has_text="Family helpline")).to_contain_text("National")
    expect(rows.filter(has_text="Powys family group")).to_contain_text("Dyfed-Powys Police")
    assert SupportOrganisation.objects.get(name_en="Family helpline").force is None

    sign_in(second_page, gwent_manager)
    second_page.goto("/investigations/support-organisations/")
    with second_page.expect_navigation():
        second_page.click("a:has-text('Cymraeg')")
    check_accessibility(second_page)
    main = second_page.locator("main")
    expect(main).to_contain_text("Family helpline")
    expect(main).not_to_contain_text("Powys family group")
    expect(main.locator("strong.govuk-tag", has_text=cy("National"))).to_be_visible()
    assert second_page.locator("a:has-text('Family helpline')").count() == 0  # not theirs
    with second_page.expect_navigation():
        second_page.click(f"text={cy('Add an organisation')}")
    check_accessibility(second_page)
    assert second_page.locator("input[name=force]").count() == 0  # one force: nothing to ask
    expect(second_page.locator("main")).to_contain_text("Heddlu Gwent")
    second_page.fill("#id_name_en", "Gwent family group")
    second_page.fill("#id_description_en", "Support for families.")
    submit(second_page, cy("Save"))
    assert SupportOrganisation.objects.get(name_en="Gwent family group").force == gwent
    page.reload()
    expect(page.locator("main")).not_to_contain_text("Gwent family group")
