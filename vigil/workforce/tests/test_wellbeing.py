"""Wellbeing screening: recording, the annual duty, the R metrics, and the restriction:
appointment dates are seen by the wellbeing role and the person only."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from vigil.accounts.choices import Rank, Role, Scope
from vigil.assurance.metrics import compute, get_metric, window_for
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.testing import make_team, make_user, verified_client
from vigil.duties.models import Duty
from vigil.workforce.choices import StaffRole
from vigil.workforce.models import ScreeningAppointment, SupportReferral
from vigil.workforce.services import wellbeing as services
from vigil.workforce.tests import helpers

pytestmark = pytest.mark.django_db

# A date that appears nowhere else in the scenario, in every form a page might print it.
SECRET = dt.date(2026, 3, 17)
SECRET_FORMS = ("2026-03-17", "17 Mar", "17 March", "17 Mawrth", "17/03/2026", "March 17")
SUPPORT = dt.date(2026, 3, 24)
SUPPORT_FORMS = ("2026-03-24", "24 Mar", "24 March", "24 Mawrth")


@pytest.fixture
def ppu(force):
    return make_team(force, name="Public Protection Unit", kind="other")


@pytest.fixture
def oh(ppu):
    return make_user(Role.WELLBEING, ppu, scope=Scope.FORCE, rank=Rank.STAFF)


@pytest.fixture
def person(east, manager, oh):
    return helpers.staff(east, actor=manager)


@pytest.fixture
def screened(person, oh):
    with time_machine.travel("2026-03-10 10:00:00+00:00", tick=False):
        row = services.screening_book(actor=oh, staff=person, appointment_on=SECRET)
    # Recorded the next day (the audit log shows when things were recorded).
    with time_machine.travel("2026-03-18 15:00:00+00:00", tick=False):
        services.screening_attendance(actor=oh, screening=row, attendance="attended")
        services.support_refer(
            actor=oh, screening=row, referred_on=SECRET, first_appointment_on=SUPPORT
        )
    return row


def test_a_staff_record_opens_the_screening_duty_on_the_wellbeing_team(person, ppu):
    duty = Duty.objects.get(kind="workforce.screening", subject_id=person.uuid)
    assert duty.team_id == ppu.pk  # never the person's own team's work list
    assert duty.completed_at is None


def test_attending_completes_the_duty_and_opens_the_next_one_due_in_12_months(screened, person):
    duties = Duty.objects.filter(kind="workforce.screening", subject_id=person.uuid)
    assert duties.filter(completed_at__isnull=False).count() == 1
    # Due at the end of the month, so that the due date does not give the day away.
    assert duties.get(completed_at__isnull=True).due_at.date() == dt.date(2027, 3, 31)


def test_the_audit_log_holds_no_date_attendance_or_person(screened, person):
    events = AuditEvent.objects.filter(
        action__startswith="workforce.screening"
    ) | AuditEvent.objects.filter(action__startswith="workforce.support")
    assert events.count() == 3
    for event in events:
        text = json.dumps(event.changes) + event.target_label + event.reason
        hidden = (
            SECRET_FORMS + SUPPORT_FORMS + ("attended", str(person.uuid), person.user.full_name)
        )
        assert not any(f in text for f in hidden), text
        assert event.person_id == ""


def test_only_the_wellbeing_role_records(person, manager, sergeant):
    from vigil.core.exceptions import NotFound

    for actor in (manager, sergeant):
        with pytest.raises(NotFound):
            services.screening_book(actor=actor, staff=person, appointment_on=SECRET)
    assert not ScreeningAppointment.objects.exists()


def test_the_wellbeing_officer_books_and_records_through_the_pages(person, oh):
    client = verified_client(oh)
    assert client.get("/").url == reverse("workforce:screening")
    listing = client.get(reverse("workforce:screening")).content.decode()
    assert person.user.full_name in listing and "Screening due" in listing
    page = reverse("workforce:screening-staff", args=[person.uuid])
    assert client.get(page).status_code == 200
    assert AuditEvent.objects.filter(action="workforce.screening_view", actor_id=oh.pk).exists()
    response = client.post(
        reverse("workforce:screening-book", args=[person.uuid]), {"appointment_on": "2026-10-30"}
    )
    assert response.status_code == 302
    row = ScreeningAppointment.objects.get()
    response = client.post(
        reverse("workforce:screening-attendance", args=[row.uuid]), {"attendance": "attended"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.attendance == "attended"
    response = client.post(
        reverse("workforce:support-refer", args=[row.uuid]), {"referred_on": "2026-10-31"}
    )
    assert response.status_code == 302
    referral = SupportReferral.objects.get()
    response = client.post(
        reverse("workforce:support-attendance", args=[referral.uuid]),
        {"attendance": "attended", "first_appointment_on": "2026-11-01"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.attendance, referral.first_appointment_on) == (
        "attended",
        dt.date(2026, 11, 1),
    )
    assert "In date" in client.get(reverse("workforce:screening")).content.decode()


def test_a_future_appointment_cannot_be_attended(person, oh):
    client = verified_client(oh)
    client.post(
        reverse("workforce:screening-book", args=[person.uuid]), {"appointment_on": "2026-12-30"}
    )
    row = ScreeningAppointment.objects.get()
    response = client.post(
        reverse("workforce:screening-attendance", args=[row.uuid]), {"attendance": "attended"}
    )
    assert response.status_code == 422
    row.refresh_from_db()
    assert row.attendance == "booked"


def test_another_forces_wellbeing_officer_sees_nothing(person, screened):
    from vigil.core.testing import make_force

    other = make_force("gwent", "Gwent Police")
    stranger = make_user(
        Role.WELLBEING, make_team(other, name="OH", kind="other"), scope=Scope.FORCE
    )
    client = verified_client(stranger)
    assert client.get(reverse("workforce:screening-staff", args=[person.uuid])).status_code == 404
    assert person.user.full_name not in client.get(reverse("workforce:screening")).content.decode()
    assert client.get(f"/api/v1/workforce/screening/staff/{person.uuid}").status_code == 404


def test_the_person_sees_their_own_dates(person, screened):
    client = verified_client(person.user)
    body = client.get(reverse("workforce:my-screening")).content.decode()
    assert "17 March 2026" in body and "24 March 2026" in body
    assert (
        client.get("/api/v1/workforce/screening/mine").json()[0]["appointment_on"] == "2026-03-17"
    )


def test_every_page_links_a_member_of_staff_to_their_own_dates(person):
    body = verified_client(person.user).get(reverse("duties:my-work")).content.decode()
    assert f'href="{reverse("workforce:my-screening")}"' in body


def test_the_wellbeing_api(person, oh):
    client = verified_client(oh)
    post = lambda url, body: client.post(url, json.dumps(body), content_type="application/json")  # noqa: E731
    response = post(
        f"/api/v1/workforce/screening/staff/{person.uuid}/appointments",
        {"appointment_on": "2026-10-01"},
    )
    assert response.status_code == 201
    sid = response.json()["id"]
    assert (
        post(
            f"/api/v1/workforce/screening/{sid}/attendance", {"attendance": "nonsense"}
        ).status_code
        == 422
    )
    assert (
        post(f"/api/v1/workforce/screening/{sid}/attendance", {"attendance": "attended"}).json()[
            "attendance"
        ]
        == "attended"
    )
    response = post(f"/api/v1/workforce/screening/{sid}/support", {"referred_on": "2026-10-02"})
    assert response.status_code == 201
    rid = response.json()["id"]
    response = post(
        f"/api/v1/workforce/support/{rid}/attendance",
        {"attendance": "dna", "first_appointment_on": "2026-10-09"},
    )
    assert response.json()["attendance"] == "dna"
    rows = client.get("/api/v1/workforce/screening").json()["items"]
    assert rows[0]["last_screened_on"] == "2026-10-01" and rows[0]["in_date"] is True


def test_the_screening_list_makes_a_fixed_number_of_queries(east, manager, oh):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    helpers.staff(east, actor=manager)
    client = verified_client(oh)
    url = reverse("workforce:screening")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        record = helpers.staff(east, actor=manager)
        services.screening_book(actor=oh, staff=record, appointment_on=clock.today())
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(one)


def test_the_r_metrics_as_of_a_date(east, manager, oh, person, screened):
    sup = helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR)
    staff_metric = get_metric("staff_screened_annually")
    sup_metric = get_metric("supervisors_screened_annually")
    now = compute(staff_metric, window_for(clock.today()))
    assert (now.numerator, now.denominator) == (1, 2)
    assert compute(sup_metric, window_for(clock.today())).numerator == 0
    # Before the attendance was recorded, nobody had been screened.
    before = compute(staff_metric, window_for(dt.date(2026, 3, 16)))
    assert before.numerator == 0
    # Thirteen months on, the screening is out of date.
    with time_machine.travel("2027-04-20 10:00:00+00:00", tick=False):
        later = compute(staff_metric, window_for(clock.today()))
    assert (later.numerator, later.denominator) == (0, 2)
    del sup


# --- nobody else ever sees an appointment date --------------------------------------------


def _probe_urls(east, person, screened):
    return [
        "/",
        reverse("workforce:index"),
        reverse("workforce:team", args=[east.uuid]),
        reverse("workforce:team-csv", args=[east.uuid]),
        reverse("workforce:staff", args=[person.uuid]),
        reverse("workforce:screening"),
        reverse("workforce:screening-staff", args=[person.uuid]),
        reverse("workforce:my-screening"),
        reverse("assurance:dashboard"),
        reverse("assurance:point", args=["R"]),
        reverse("assurance:gap", args=["staff_screened_annually"]),
        reverse("assurance:gap", args=["supervisors_screened_annually"]),
        reverse("audit:search"),
        reverse("audit:export"),
        reverse("duties:team-work"),
        reverse("duties:outstanding"),
        "/api/v1/assurance",
        "/api/v1/audit/events",
        "/api/v1/duties/team",
        "/api/v1/workforce/teams",
        f"/api/v1/workforce/teams/{east.uuid}/workload",
        f"/api/v1/workforce/staff/{person.uuid}",
        "/api/v1/workforce/screening",
        f"/api/v1/workforce/screening/staff/{person.uuid}",
        "/api/v1/workforce/screening/mine",
    ]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize(
    "who",
    [
        "supervisor",
        "manager_force",
        "analyst",
        "auditor",
        "assurance",
        "admin",
        "colleague",
        "superuser",
    ],
)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_other_role_ever_sees_an_appointment_date(
    who, language, east, ppu, person, screened, sergeant
):
    users = {
        "supervisor": lambda: sergeant,
        "manager_force": lambda: make_user(
            Role.MANAGER, east, scope=Scope.FORCE, rank=Rank.INSPECTOR
        ),
        "analyst": lambda: make_user(Role.ANALYST, ppu, scope=Scope.FORCE),
        "auditor": lambda: make_user(Role.AUDITOR, ppu, scope=Scope.FORCE),
        "assurance": lambda: make_user(Role.ASSURANCE, ppu, scope=Scope.FORCE),
        "admin": lambda: make_user(Role.ADMIN, ppu, scope=Scope.FORCE),
        "colleague": lambda: make_user(Role.OFFICER, east),
        "superuser": lambda: _superuser(),
    }
    user = users[who]()
    client = verified_client(user)
    client.cookies["django_language"] = language
    seen = 0
    for url in _probe_urls(east, person, screened):
        response = client.get(url, follow=False)
        if response.status_code != 200:
            continue
        seen += 1
        body = _body(response)
        for form in SECRET_FORMS + SUPPORT_FORMS:
            assert form not in body, (who, url, form)
    assert seen >= 2  # each role reached some of them


def _superuser():
    from vigil.accounts.models import User

    return User.objects.create_superuser(
        "root@example.police.uk", "x-long-password-123", full_name="Root"
    )


def test_the_supervisor_sees_in_date_only(east, person, screened, sergeant):
    body = (
        verified_client(sergeant).get(reverse("workforce:team", args=[east.uuid])).content.decode()
    )
    assert "In date" in body
