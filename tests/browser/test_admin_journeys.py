"""Setting up and running accounts, and reading the audit log, through the pages.

- A fresh installation: the system administrator adds the force (Welsh pages).
- A force administrator sets a temporary password for a user who forgot theirs; the user
  must choose their own before anything else, then reads the token notice.
- An auditor opens an event and sees what changed; a supervisor ends an address.
axe-core runs on every page.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, cy, sign_in
from vigil.accounts.choices import Role, Scope
from vigil.accounts.models import Force, User
from vigil.audit.models import AuditEvent
from vigil.core.testing import PASSWORD, make_team, make_user
from vigil.people import services as people

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_system_administrator_adds_the_first_force_in_welsh(page):
    root = User.objects.create_superuser(
        email="root@vigil.test", password=PASSWORD, full_name="Gweinyddwr System"
    )
    sign_in(page, root)
    page.click("a:has-text('Cymraeg')")
    page.goto("/account/forces/")
    expect(page.locator("h1")).to_have_text(cy("Forces"))
    check_accessibility(page)
    # A bad code is refused with the error summary, and nothing is added.
    page.fill("#id_code", "Dyfed Powys!")
    page.fill("#id_name", "Dyfed-Powys Police")
    page.get_by_role("button", name=cy("Add the force")).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    assert not Force.objects.exists()
    page.fill("#id_code", "dyfed-powys")
    page.fill("#id_name", "Dyfed-Powys Police")
    page.fill("#id_name_cy", "Heddlu Dyfed-Powys")
    page.get_by_role("button", name=cy("Add the force")).click()
    expect(
        page.get_by_text(cy("The force has been added. Now add its teams, then its users."))
    ).to_be_visible()
    check_accessibility(page)
    force = Force.objects.get()
    assert (force.code, force.name_cy) == ("dyfed-powys", "Heddlu Dyfed-Powys")
    assert AuditEvent.objects.filter(action="force.create", actor_id=root.pk).exists()


def test_a_temporary_password_must_be_changed_before_anything_else(page, browser, live_server):
    team = make_team()
    admin = make_user(Role.ADMIN, team, scope=Scope.FORCE, full_name="Iwan Morris")
    officer = make_user(Role.OFFICER, team, full_name="Rhys Pritchard")
    sign_in(page, admin)
    page.goto(f"/account/users/{officer.uuid}/")
    check_accessibility(page)
    page.fill("#id_password", "Temporary-Hiraeth-2026")
    page.click("button:has-text('Set the temporary password')")
    expect(page.get_by_text("The temporary password has been set.")).to_be_visible()
    check_accessibility(page)
    officer.refresh_from_db()
    assert officer.must_change_password

    # The officer signs in with it and is sent to choose their own, whatever they open.
    other = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=officer, name="phone", defaults={"confirmed": True}
    )
    other.goto("/account/sign-in/")
    other.fill("#id_email", officer.email)
    other.fill("#id_password", "Temporary-Hiraeth-2026")
    other.click("button:has-text('Continue')")
    other.fill("#id_code", f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
    other.click("button:has-text('Continue')")
    other.wait_for_url("**/account/password/**")
    other.goto("/people/")
    assert "/account/password/" in other.url
    expect(other.locator("h1")).to_have_text("Change your password")
    check_accessibility(other)
    # Mismatched confirmation: refused, error summary, password unchanged.
    other.fill("#id_current_password", "Temporary-Hiraeth-2026")
    other.fill("#id_new_password", "My-own-cwtch-password-9")
    other.fill("#id_confirm_password", "Something-else-entirely-9")
    other.click("button:has-text('Change the password')")
    expect(other.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(other)
    officer.refresh_from_db()
    assert officer.check_password("Temporary-Hiraeth-2026") and officer.must_change_password
    other.fill("#id_current_password", "Temporary-Hiraeth-2026")
    other.fill("#id_new_password", "My-own-cwtch-password-9")
    other.fill("#id_confirm_password", "My-own-cwtch-password-9")
    other.click("button:has-text('Change the password')")
    expect(other.get_by_text("Your password has been changed.")).to_be_visible()
    officer.refresh_from_db()
    assert officer.check_password("My-own-cwtch-password-9") and not officer.must_change_password
    other.goto("/people/")
    expect(other.locator("h1")).to_have_text("People")
    assert AuditEvent.objects.filter(action="auth.password_change", actor_id=officer.pk).exists()
    other.context.close()


def test_an_auditor_sees_what_a_supervisor_changed_when_ending_an_address(page):
    team = make_team()
    supervisor = make_user(Role.SUPERVISOR, team, full_name="Carys Howells")
    auditor = make_user(Role.AUDITOR, team, scope=Scope.FORCE, full_name="Emyr Watkins")
    person = people.person_create(
        actor=supervisor,
        team=team,
        given_name="Alun",
        family_name="Bevan",
        date_of_birth=dt.date(1979, 3, 4),
        confirm_not_duplicate=True,
    )
    address = people.address_add(
        actor=supervisor,
        person=person,
        line1="1 Stryd Fawr",
        town="Aberystwyth",
        postcode="SY23 1AA",
        valid_from=dt.date(2020, 1, 1),
    )
    sign_in(page, supervisor)
    page.goto(f"/people/{person.uuid}/")
    page.locator("a[href*='/addresses/'][href$='/end/']").click()
    expect(page.locator("h1")).to_have_text("End this address")
    check_accessibility(page)
    page.click("button:has-text('End this address')")  # no date: refused
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    address.refresh_from_db()
    assert address.valid_to is None
    page.fill("#id_valid_to", "2026-09-01")
    page.click("button:has-text('End this address')")
    expect(page.get_by_text("The address has been ended.")).to_be_visible()
    check_accessibility(page)
    address.refresh_from_db()
    assert address.valid_to == dt.date(2026, 9, 1)

    page.context.clear_cookies()
    sign_in(page, auditor)
    page.goto("/audit/?action=person.address_end")
    check_accessibility(page)
    page.locator("table a[href^='/audit/events/']").first.click()
    expect(page.locator("h1")).to_contain_text("Audit event")
    expect(page.get_by_role("cell", name="2026-09-01")).to_be_visible()
    check_accessibility(page)
    page.click("a:has-text('Cymraeg')")
    expect(page.locator("h1")).to_contain_text(cy("Audit event %(id)s").split("%")[0].strip())
    check_accessibility(page)
