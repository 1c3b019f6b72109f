"""Workforce pages: teams, team workload (and CSV), a staff record and its forms."""

import pytest
from django.urls import reverse

from vigil.accounts.choices import Rank, Role, Scope
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.workforce.models import Establishment, StaffHours, StaffRecord
from vigil.workforce.tests import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(east, manager):
    record = helpers.staff(east, actor=manager)
    helpers.nominal(east, record.user, risk="high")
    return record


def _pages(east, officer):
    return [
        reverse("workforce:index"),
        reverse("workforce:team", args=[east.uuid]),
        reverse("workforce:team-csv", args=[east.uuid]),
        reverse("workforce:staff", args=[officer.uuid]),
        reverse("workforce:abstractions", args=[east.uuid]),
        reverse("workforce:abstractions-csv", args=[east.uuid]),
    ]


def test_anonymous_users_are_sent_to_sign_in(client, east, officer):
    for url in _pages(east, officer):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/account/sign-in" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.AUDITOR, Role.ASSURANCE, Role.PROBATION, Role.WELLBEING, Role.ADMIN]
)
def test_other_roles_are_refused(east, officer, role):
    client = verified_client(make_user(role, east))
    for url in _pages(east, officer):
        assert client.get(url).status_code == 403, url


def test_a_supervisor_of_another_team_sees_neither_the_team_nor_its_people(west, east, officer):
    client = verified_client(make_user(Role.SUPERVISOR, west, rank=Rank.SERGEANT))
    for url in _pages(east, officer)[1:]:
        assert client.get(url).status_code == 404, url
    assert east.name not in client.get(reverse("workforce:index")).content.decode()


def test_a_supervisor_sees_the_team_workload(east, officer, sergeant):
    client = verified_client(sergeant)
    response = client.get(reverse("workforce:team", args=[east.uuid]))
    assert response.status_code == 200
    body = response.content.decode()
    assert officer.user.full_name in body
    assert ">8<" in body  # a high-risk nominal in active management
    # A supervisor does not manage staff records.
    assert reverse("workforce:staff-new", args=[east.uuid]) not in body


def test_the_team_table_sorts_by_points(east, manager, sergeant):
    light = helpers.staff(east, actor=manager)
    heavy = helpers.staff(east, actor=manager)
    helpers.nominal(east, heavy.user, risk="very_high")
    client = verified_client(sergeant)
    body = client.get(
        reverse("workforce:team", args=[east.uuid]) + "?sort=-points"
    ).content.decode()
    assert body.index(heavy.user.full_name) < body.index(light.user.full_name)
    body = client.get(reverse("workforce:team", args=[east.uuid]) + "?sort=points").content.decode()
    assert body.index(light.user.full_name) < body.index(heavy.user.full_name)


def test_the_team_page_makes_a_fixed_number_of_queries(
    east, manager, sergeant, django_assert_max_num_queries
):
    client = verified_client(sergeant)
    url = reverse("workforce:team", args=[east.uuid])
    helpers.staff(east, actor=manager)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        record = helpers.staff(east, actor=manager)
        helpers.nominal(east, record.user)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


def test_the_index_makes_a_fixed_number_of_queries(force, east, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    analyst = make_user(Role.ANALYST, east, scope=Scope.FORCE)
    client = verified_client(analyst)
    url = reverse("workforce:index")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        team = helpers.polit(force, f"POLIT {n}")
        helpers.staff(team, actor=manager)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(more) == len(one)
    assert "POLIT 2" in response.content.decode()


def test_the_workload_csv_is_audited(east, officer, sergeant):
    client = verified_client(sergeant)
    response = client.get(reverse("workforce:team-csv", args=[east.uuid]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert officer.user.full_name in body
    assert AuditEvent.objects.filter(
        action="workforce.workload_export", actor_id=sergeant.pk
    ).exists()


def test_viewing_a_staff_record_is_audited(officer, sergeant):
    client = verified_client(sergeant)
    response = client.get(reverse("workforce:staff", args=[officer.uuid]))
    assert response.status_code == 200
    assert "Nominals in active management" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="workforce.staff_view", target_id=str(officer.uuid)
    ).exists()


def test_a_manager_adds_a_staff_record(east, manager):
    newcomer = make_user(Role.OFFICER, east)
    client = verified_client(manager)
    url = reverse("workforce:staff-new", args=[east.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "user": newcomer.pk,
            "role": "officer",
            "grade": "constable",
            "started_on": "2026-10-01",
            "fte": "0.8",
            "protected_percent": "10",
            "screening_in_scope": "on",
        },
    )
    record = StaffRecord.objects.get(user=newcomer)
    assert response.status_code == 302
    hours = StaffHours.objects.get(staff=record)
    assert (str(hours.fte), hours.protected_percent, hours.screening_in_scope) == ("0.80", 10, True)
    assert AuditEvent.objects.filter(action="workforce.staff_create", actor_id=manager.pk).exists()


def test_a_bad_staff_record_shows_the_errors_and_changes_nothing(east, manager):
    client = verified_client(manager)
    response = client.post(reverse("workforce:staff-new", args=[east.uuid]), {"fte": "2"})
    assert response.status_code == 422
    assert "govuk-error-summary" in response.content.decode()
    assert not StaffRecord.objects.exists()


def test_a_supervisor_cannot_use_the_managers_forms(east, officer, sergeant):
    client = verified_client(sergeant)
    assert client.get(reverse("workforce:staff-new", args=[east.uuid])).status_code == 404
    assert client.get(reverse("workforce:establishment", args=[east.uuid])).status_code == 404
    response = client.post(
        reverse("workforce:staff-hours", args=[officer.uuid]),
        {"fte": "0.5", "protected_percent": "0", "reason": "Part-time"},
    )
    assert response.status_code == 404
    assert StaffHours.objects.filter(staff=officer).count() == 1


def test_a_manager_changes_hours_and_establishment(east, officer, manager):
    client = verified_client(manager)
    response = client.post(
        reverse("workforce:staff-hours", args=[officer.uuid]),
        {"fte": "0.5", "protected_percent": "0", "screening_in_scope": "on", "reason": "Part-time"},
    )
    assert response.status_code == 302
    assert StaffHours.objects.filter(staff=officer).count() == 2
    response = client.post(
        reverse("workforce:establishment", args=[east.uuid]), {"posts": "6.5", "reason": "Budget"}
    )
    assert response.status_code == 302
    assert str(Establishment.objects.get(team=east).posts) == "6.50"
    assert AuditEvent.objects.filter(action="workforce.establishment_set").exists()
    assert AuditEvent.objects.filter(action="workforce.staff_hours").exists()


def test_a_manager_records_a_leaving_date(officer, manager):
    client = verified_client(manager)
    response = client.post(
        reverse("workforce:staff-leave", args=[officer.uuid]), {"left_on": "2026-11-01"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.left_on.isoformat() == "2026-11-01"


def test_the_menu_shows_workforce_to_supervisors_only(east, sergeant):
    # The exact link: every member of staff has a footer link to their own screening
    # dates, under /workforce/ too.
    link = f'href="{reverse("workforce:index")}"'
    assert link in verified_client(sergeant).get("/work/").content.decode()
    officer = make_user(Role.OFFICER, east)
    assert link not in verified_client(officer).get("/work/").content.decode()
