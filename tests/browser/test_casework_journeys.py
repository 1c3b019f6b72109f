"""Main journeys in a real browser, each page checked with axe-core."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from vigil.accounts.choices import Role
from vigil.core.models import PolicyOverride
from vigil.core.testing import make_team, make_user
from vigil.duties.models import Duty
from vigil.people import services as people
from vigil.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_creates_a_person_and_is_warned_of_a_possible_duplicate(page):
    team = make_team()
    officer = make_user(Role.OFFICER, team, full_name="Ffion Rowlands")
    people.person_create(
        actor=officer,
        team=team,
        given_name="Dafydd",
        family_name="Evans",
        date_of_birth=dt.date(1975, 2, 3),
        confirm_not_duplicate=True,
    )
    sign_in(page, officer)
    page.click("nav >> text=People")
    check_accessibility(page)
    page.click("text=Create a record")
    check_accessibility(page)
    page.click("button:has-text('Check and create the record')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    page.fill("#id_given_name", "Dafydd")
    page.fill("#id_family_name", "EVANS")
    page.fill("#id_date_of_birth", "1975-02-03")
    page.click("button:has-text('Check and create the record')")
    expect(page.locator("h1")).to_contain_text("may already hold a record")
    check_accessibility(page)
    page.check("#decision-different")
    page.click("button:has-text('Continue')")
    expect(page.locator("h1")).to_have_text("EVANS, Dafydd")
    check_accessibility(page)
    assert Person.objects.filter(family_name__iexact="evans").count() == 2


def test_a_supervisor_follows_overdue_work_from_the_matrix_and_reassigns_it(page):
    team = make_team()
    supervisor = make_user(Role.SUPERVISOR, team, full_name="Carys Howells")
    officer = make_user(Role.OFFICER, team, full_name="Rhys Pritchard")
    person = people.person_create(
        actor=supervisor,
        team=team,
        given_name="Alun",
        family_name="Bevan",
        date_of_birth=dt.date(1980, 1, 1),
        confirm_not_duplicate=True,
    )
    people.person_restrict(
        actor=supervisor, person=person, users=[officer], reason="Relative of an officer"
    )
    Duty.objects.update(due_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=40))
    sign_in(page, supervisor)
    page.click("nav >> text=Outstanding work")
    check_accessibility(page)
    page.click("table >> a:has-text('1') >> nth=0")
    check_accessibility(page)
    page.click("text=Reassign")
    check_accessibility(page)
    page.select_option("select", label="Rhys Pritchard")
    page.click("button:has-text('Reassign')")
    check_accessibility(page)
    assert Duty.objects.get().assignee == officer

    # The same work in Welsh.
    page.click("a:has-text('Cymraeg')")
    page.goto("/work/outstanding/")
    expect(page.locator("h1")).to_have_text("Gwaith heb ei gwblhau")
    check_accessibility(page)


def test_an_administrator_changes_a_policy_with_a_reason(page):
    admin = make_user(Role.ADMIN, make_team())
    sign_in(page, admin)
    page.goto("/policies/")
    check_accessibility(page)
    page.click("text=Failed sign-in attempts before the account is locked")
    check_accessibility(page)
    page.fill("#id_value", "4")
    page.click("button:has-text('Change the value')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    page.fill("#id_value", "4")
    page.fill("#id_reason", "Information security review, November 2026")
    page.click("button:has-text('Change the value')")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    check_accessibility(page)
    assert PolicyOverride.objects.get().value == 4
