"""Bail and family-support pages: anonymous → sign-in, wrong role → 403, out of scope →
404, permitted works (database and audit asserted); lists in a fixed number of queries."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.investigations.models import (
    BailCondition,
    BailConditionCheck,
    EnforcementDecision,
    FamilySupportOffer,
    SupportOrganisation,
    VictimViews,
)
from vigil.investigations.tests.helpers import bail, make_investigation, to_post_arrest

pytestmark = pytest.mark.django_db

FORM_PAGES = ["bail-extend", "bail-conditions", "bail-victim-views", "bail-check"]
READ_PAGES = ["bail", "family-support", "family-support-leaflet", "family-support-leaflet-pdf"]


@pytest.fixture
def inv(team, officer, sergeant):
    investigation = make_investigation(team, officer=officer, actor=sergeant)
    to_post_arrest(investigation, officer)
    bail(investigation, sergeant)
    return investigation


@pytest.mark.parametrize("name", FORM_PAGES + READ_PAGES)
def test_it_sends_anonymous_users_to_sign_in(client, inv, name):
    response = client.get(reverse(f"investigations:{name}", args=[inv.uuid]))
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize("name", ["bail-board", "organisations", "organisation-create"])
def test_it_sends_anonymous_users_to_sign_in_from_lists(client, name):
    assert client.get(reverse(f"investigations:{name}")).status_code == 302


def test_it_sends_anonymous_users_to_sign_in_from_a_directory_entry(client, directory):
    url = reverse("investigations:organisation-edit", args=[directory["dyfed"].uuid])
    response = client.get(url)
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize("name", FORM_PAGES + READ_PAGES)
def test_it_hides_the_pages_from_another_team(inv, other_team, name):
    outsider = make_user(Role.SUPERVISOR, other_team, rank=Rank.INSPECTOR)
    response = verified_client(outsider).get(reverse(f"investigations:{name}", args=[inv.uuid]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", FORM_PAGES)
def test_it_refuses_the_forms_to_an_analyst(inv, team, name):
    analyst = make_user(Role.ANALYST, team)
    response = verified_client(analyst).get(reverse(f"investigations:{name}", args=[inv.uuid]))
    assert response.status_code == 403


@pytest.mark.parametrize("name", FORM_PAGES + READ_PAGES)
def test_it_shows_the_pages_to_the_officer_in_the_case(inv, officer, name):
    response = verified_client(officer).get(reverse(f"investigations:{name}", args=[inv.uuid]))
    assert response.status_code == 200


def test_the_auditor_has_no_access(inv, team):
    auditor = make_user(Role.AUDITOR, team)
    client = verified_client(auditor)
    assert client.get(reverse("investigations:bail", args=[inv.uuid])).status_code in (403, 404)
    assert client.get(reverse("investigations:bail-board")).status_code == 403


def test_the_decision_page_records_bail_with_conditions_and_views(team, officer, sergeant):
    investigation = make_investigation(team, officer=officer, actor=sergeant)
    to_post_arrest(investigation, officer)
    url = reverse("investigations:decide", args=[investigation.uuid])
    data = {
        "kind": "pre_charge_bail",
        "rationale": "Protect children",
        "bail_conditions": "No contact with children\nLive at home",
    }
    response = verified_client(sergeant).post(url, data)
    assert response.status_code == 200 and "alleged victims" in response.content.decode()
    response = verified_client(officer).post(url, {**data, "victim_views": "Agrees"})
    assert response.status_code == 200 and "rank of sergeant" in response.content.decode()
    response = verified_client(sergeant).post(url, {**data, "victim_views": "Agrees"})
    assert response.status_code == 302
    assert BailCondition.objects.count() == 2 and VictimViews.objects.get().views == "Agrees"


def test_the_decision_page_asks_the_welfare_question_at_arrest(team, officer):
    from vigil.investigations.tests.helpers import reassess

    investigation = make_investigation(team, officer=officer)
    reassess(investigation, officer)
    url = reverse("investigations:decide", args=[investigation.uuid])
    client = verified_client(officer)
    assert "self-harm and suicide" in client.get(url).content.decode()
    response = client.post(url, {"kind": "arrest", "rationale": "r"})
    assert response.status_code == 200 and "self-harm" in response.content.decode()
    response = client.post(
        url, {"kind": "arrest", "rationale": "r", "welfare_assessment": "no_indication"}
    )
    assert response.status_code == 302
    assert EnforcementDecision.objects.get().welfare_assessment == "no_indication"


def test_a_condition_check_is_recorded_through_the_page(inv, officer):
    url = reverse("investigations:bail-check", args=[inv.uuid])
    today = dt.date.today()
    client = verified_client(officer)
    response = client.post(
        url,
        {
            "checked_on": today.isoformat(),
            "checked_time": "00:00",
            "method": "phone",
            "outcome": "breach",
        },
    )
    assert response.status_code == 200 and "action taken on the breach" in response.content.decode()
    assert not BailConditionCheck.objects.exists()


def test_an_extension_by_a_sergeant_is_refused_naming_the_rank(inv, sergeant, inspector):
    url = reverse("investigations:bail-extend", args=[inv.uuid])
    response = verified_client(sergeant).post(url, {"rationale": "Lab"})
    assert response.status_code == 200
    assert "rank of inspector or above" in response.content.decode()
    response = verified_client(inspector).post(url, {"rationale": "Lab"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="bail.extend").exists()


def test_the_family_support_page_records_the_offer(inv, officer, team):
    url = reverse("investigations:family-support", args=[inv.uuid])
    response = verified_client(officer).post(url, {"status": "not_applicable"})
    assert response.status_code == 200 and "reason" in response.content.decode()
    response = verified_client(officer).post(url, {"status": "offered", "leaflet_language": "cy"})
    assert response.status_code == 302
    assert FamilySupportOffer.objects.get().leaflet_language == "cy"
    analyst = make_user(Role.ANALYST, team)
    assert verified_client(analyst).post(url, {"status": "declined"}).status_code == 403


def test_the_leaflet_is_in_the_language_asked_for_and_audited(inv, officer):
    url = reverse("investigations:family-support-leaflet", args=[inv.uuid])
    response = verified_client(officer).get(url + "?language=cy")
    body = response.content.decode()
    assert 'lang="cy"' in body and "data-vigil-print" in body and "Safer Lives" in body
    from django.utils import translation

    with translation.override("cy"):
        unconfirmed = translation.gettext(
            "Contact details to be confirmed by the force before this leaflet is given out."
        )
    assert "confirmed by the force" not in unconfirmed and unconfirmed in body
    assert "Llinell gymorth gyfrinachol" in body  # the organisations' own Welsh text
    assert AuditEvent.objects.get(action="family_support.leaflet").changes == {
        "language": "cy",
        "document": "html",
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Support for families and friends"), ("cy", "Llinell gymorth gyfrinachol")],
)
def test_the_leaflet_pdf_is_in_the_language_asked_for_and_audited(
    inv, officer, seeded_directory, language, expected
):
    url = reverse("investigations:family-support-leaflet-pdf", args=[inv.uuid])
    response = verified_client(officer).get(f"{url}?language={language}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert expected in " ".join(text.split())
    assert "Safer Lives" in text and "www.saferlives.co.uk" in text  # the organisations' details
    # The suspect is named nowhere in it: the leaflet goes to the family.
    assert inv.suspect.family_name not in text
    event = AuditEvent.objects.get(action="family_support.leaflet")
    assert event.changes == {"language": language, "document": "pdf"}
    assert event.person_id == str(inv.suspect.uuid)


def test_the_leaflet_pdf_is_refused_to_the_assurance_role(inv, team):
    user = make_user(Role.ASSURANCE, team)
    url = reverse("investigations:family-support-leaflet-pdf", args=[inv.uuid])
    assert verified_client(user).get(url).status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="family_support.leaflet").exists()


def test_the_directory_pages_are_for_managers_and_admins(team, officer):
    manager = make_user(Role.MANAGER, team)
    assert verified_client(officer).get(reverse("investigations:organisations")).status_code == 200
    url = reverse("investigations:organisation-create")
    assert verified_client(officer).get(url).status_code == 403
    response = verified_client(manager).post(
        url,
        {
            "name_en": "Local",
            "description_en": "Help",
            "website": "https://l.example.org",
            "active": "on",
        },
    )
    assert response.status_code == 302
    org = SupportOrganisation.objects.get(name_en="Local")
    edit = reverse("investigations:organisation-edit", args=[org.uuid])
    admin = make_user(Role.ADMIN, team)
    response = verified_client(admin).post(
        edit, {"name_en": "Local support", "description_en": "Help", "active": "on"}
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name_en == "Local support"


def test_the_bail_board_is_for_supervisors_and_the_officer_in_the_case(inv, officer, team):
    url = reverse("investigations:bail-board")
    other_officer = make_user(Role.OFFICER, team)
    supervisor = make_user(Role.SUPERVISOR, team)
    name = inv.suspect.family_name.upper()
    assert name in verified_client(officer).get(url + "?all=1").content.decode()
    assert name in verified_client(supervisor).get(url + "?all=1").content.decode()
    assert name not in verified_client(other_officer).get(url + "?all=1").content.decode()


def test_the_bail_board_costs_the_same_whatever_the_rows(team, officer, sergeant):
    supervisor = make_user(Role.SUPERVISOR, team)
    client = verified_client(supervisor)
    url = reverse("investigations:bail-board") + "?all=1"

    def add():
        investigation = make_investigation(team, officer=officer, actor=sergeant)
        to_post_arrest(investigation, officer)
        bail(investigation, sergeant)

    add()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(five) == len(one)


def test_the_bail_page_costs_the_same_whatever_the_history(inv, officer):
    client = verified_client(officer)
    url = reverse("investigations:bail", args=[inv.uuid])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    from vigil.investigations import services

    b = inv.bails.get()
    for _ in range(3):
        services.bail_condition_check_record(
            actor=officer, bail=b, method="phone", outcome="complied"
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# --- one directory per force ------------------------------------------------------------------


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


DYFED_ENTRY, GWENT_ENTRY = "Dyfed-Powys family support", "Gwent family support"


@pytest.mark.parametrize(
    ("who", "own", "other", "force_name"),
    [
        ("dyfed", DYFED_ENTRY, GWENT_ENTRY, "Dyfed-Powys Police"),
        ("gwent", GWENT_ENTRY, DYFED_ENTRY, "Gwent Police"),
    ],
)
def test_each_force_sees_its_own_and_the_national_entries(
    team, gwent_team, directory, who, own, other, force_name
):
    user = make_user(Role.OFFICER, team if who == "dyfed" else gwent_team)
    body = verified_client(user).get(reverse("investigations:organisations")).content.decode()
    assert own in body and "Nationwide helpline" in body and other not in body
    assert ">National</strong>" in body  # the national entry is labelled as such
    assert f'<td class="govuk-table__cell">{force_name}</td>' in body  # and the force's own


def test_the_directory_labels_are_in_welsh(team, directory):
    user = make_user(Role.OFFICER, team)
    client = verified_client(user)
    client.cookies["django_language"] = "cy"
    body = client.get(reverse("investigations:organisations"), HTTP_ACCEPT_LANGUAGE="cy").content
    body = body.decode()
    from django.utils import translation

    with translation.override("cy"):
        national = translation.gettext("National")
        listed_for = translation.gettext("Listed for")
    assert national != "National" and f">{national}</strong>" in body
    assert listed_for != "Listed for" and listed_for in body
    assert "Heddlu Dyfed-Powys" in body  # the force's Welsh name


def test_only_editable_entries_are_linked(team, directory):
    manager = make_user(Role.MANAGER, team)
    body = verified_client(manager).get(reverse("investigations:organisations")).content.decode()
    edit = reverse("investigations:organisation-edit", args=[directory["dyfed"].uuid])
    national = reverse("investigations:organisation-edit", args=[directory["national"].uuid])
    assert f'href="{edit}"' in body and f'href="{national}"' not in body
    admin = make_user(Role.ADMIN, team)
    body = verified_client(admin).get(reverse("investigations:organisations")).content.decode()
    assert f'href="{edit}"' in body and f'href="{national}"' in body


def test_another_forces_entry_is_not_found(team, directory):
    url = reverse("investigations:organisation-edit", args=[directory["gwent"].uuid])
    for user in (make_user(Role.MANAGER, team, scope="force"), make_user(Role.ADMIN, team)):
        client = verified_client(user)
        assert client.get(url).status_code == 404
        data = {"name_en": "Taken over", "description_en": "Help", "action": "save"}
        assert client.post(url, data).status_code == 404
        assert client.post(url, {"action": "delete"}).status_code == 404
    directory["gwent"].refresh_from_db()
    assert directory["gwent"].name_en == "Gwent family support"
    assert not AuditEvent.objects.filter(action__startswith="support_organisation.").exists()


def test_a_manager_cannot_add_or_change_a_national_entry(team, directory):
    manager = make_user(Role.MANAGER, team)
    client = verified_client(manager)
    create = reverse("investigations:organisation-create")
    page = client.get(create).content.decode()
    assert 'value="national"' not in page and "Listed for Dyfed-Powys Police only." in page
    # Only one force to choose from: the entry is the manager's force's.
    data = {"name_en": "Local", "description_en": "Help", "active": "on"}
    assert client.post(create, {**data, "force": "national"}).status_code == 302
    assert SupportOrganisation.objects.get(name_en="Local").force == team.force
    national = reverse("investigations:organisation-edit", args=[directory["national"].uuid])
    assert client.get(national).status_code == 403
    response = client.post(national, {"name_en": "Changed", "description_en": "Help"})
    assert response.status_code == 403
    directory["national"].refresh_from_db()
    assert directory["national"].name_en == "Nationwide helpline"


def test_an_administrator_adds_a_national_entry_through_the_page(team, directory):
    admin = make_user(Role.ADMIN, team)
    client = verified_client(admin)
    create = reverse("investigations:organisation-create")
    page = client.get(create).content.decode()
    assert 'value="national"' in page and 'value="dyfed-powys"' in page
    assert 'value="gwent"' not in page
    data = {"name_en": "National line", "description_en": "Help", "active": "on"}
    response = client.post(create, data)
    assert response.status_code == 200 and "Choose the force the organisation is for" in (
        response.content.decode()
    )
    assert client.post(create, {**data, "force": "gwent"}).status_code == 200
    assert not SupportOrganisation.objects.filter(name_en="National line").exists()
    assert client.post(create, {**data, "force": "national"}).status_code == 302
    assert SupportOrganisation.objects.get(name_en="National line").national
    edit = reverse("investigations:organisation-edit", args=[directory["national"].uuid])
    response = client.post(
        edit, {"name_en": "Nationwide line", "description_en": "Help", "force": "national"}
    )
    assert response.status_code == 302
    directory["national"].refresh_from_db()
    assert directory["national"].name_en == "Nationwide line" and directory["national"].national


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_leaflet_pdf_lists_the_owning_forces_and_the_national_entries(
    team, gwent_team, directory, language
):
    for owning, own, other in (
        (team, "Dyfed-Powys family support", "Gwent family support"),
        (gwent_team, "Gwent family support", "Dyfed-Powys family support"),
    ):
        officer = make_user(Role.OFFICER, owning)
        investigation = make_investigation(owning, officer=officer)
        url = reverse("investigations:family-support-leaflet-pdf", args=[investigation.uuid])
        text = _pdf_text(verified_client(officer).get(f"{url}?language={language}"))
        assert own in text and "Nationwide helpline" in text and other not in text


def test_the_directory_costs_the_same_whatever_the_rows(team, gwent, directory):
    client = verified_client(make_user(Role.MANAGER, team))
    url = reverse("investigations:organisations")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    confirmer = make_user(Role.MANAGER, team)
    for n in range(4):
        for entry_force in (None, team.force, gwent):
            SupportOrganisation.objects.create(
                force=entry_force,
                name_en=f"Extra {n}",
                description_en="Help",
                details_confirmed_by=confirmer,
                details_confirmed_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.content.decode().count("Extra 3") == 2  # national and Dyfed-Powys
    assert len(after) == len(before)
