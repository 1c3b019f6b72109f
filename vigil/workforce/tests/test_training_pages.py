"""Training pages: every page as anonymous, wrong role, out of scope and permitted; the
journeys (add a course, schedule a session, record attendance for several at once,
withdraw a record) with database state and audit; bad input; fixed query counts; the CSV
export; and the links that make each page reachable."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.choices import Rank, Role, Scope
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.workforce.choices import StaffRole
from vigil.workforce.models import Course, TrainingCompletion, TrainingSession
from vigil.workforce.tests import helpers
from vigil.workforce.tests import training_helpers as th

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(east, manager):
    return helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR, user=None)


@pytest.fixture
def course(force, manager):
    return th.course(force, actor=manager)


@pytest.fixture
def held(east, manager, course):
    return th.session(east, actor=manager, course=course, held_on=th.day("2026-10-20"))


@pytest.fixture
def record(held, supervisor, manager):
    (row,) = th.attended(held, [supervisor], actor=manager)
    return row


def _pages(east, course, held, record, supervisor):
    return [
        reverse("workforce:training"),
        reverse("workforce:training-course", args=[course.uuid]),
        reverse("workforce:training-session", args=[held.uuid]),
        reverse("workforce:training-team", args=[east.uuid]),
        reverse("workforce:training-team-csv", args=[east.uuid]),
        reverse("workforce:training-staff", args=[supervisor.uuid]),
    ]


def _manager_pages(course, record):
    return [
        reverse("workforce:training-course-new"),
        reverse("workforce:training-course-edit", args=[course.uuid]),
        reverse("workforce:training-session-new"),
        reverse("workforce:training-withdraw", args=[record.uuid]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, east, course, held, record, supervisor):
    urls = _pages(east, course, held, record, supervisor) + _manager_pages(course, record)
    urls.append(reverse("workforce:my-training"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response.url, url


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR, Role.ASSURANCE, Role.WELLBEING])
def test_other_roles_are_refused(east, course, held, record, supervisor, role):
    client = verified_client(make_user(role, east, scope=Scope.FORCE))
    for url in _pages(east, course, held, record, supervisor)[:-1] + _manager_pages(course, record):
        assert client.get(url).status_code == 403, url
    # A person's record is theirs and their supervisors': anyone else gets "not found".
    assert client.get(_pages(east, course, held, record, supervisor)[-1]).status_code == 404


def test_another_forces_manager_finds_nothing(east, course, held, record, supervisor):
    gwent = make_force("gwent", "Gwent Police")
    stranger = make_user(Role.MANAGER, helpers.mosovo(gwent, "Gwent MOSOVO"), rank=Rank.INSPECTOR)
    client = verified_client(stranger)
    for url in (
        _pages(east, course, held, record, supervisor)[1:]
        + _manager_pages(course, record)[1:2]
        + _manager_pages(course, record)[3:]
    ):
        assert client.get(url).status_code == 404, url
    body = client.get(reverse("workforce:training")).content.decode()
    assert course.title not in body


def test_another_teams_supervisor_sees_the_force_catalogue_but_not_the_people(
    west, east, course, held, record, supervisor
):
    client = verified_client(make_user(Role.SUPERVISOR, west, rank=Rank.SERGEANT))
    assert course.title in client.get(reverse("workforce:training")).content.decode()
    body = client.get(reverse("workforce:training-session", args=[held.uuid])).content.decode()
    assert supervisor.user.full_name not in body
    assert "And 1 person from teams you do not see." in body
    assert client.get(reverse("workforce:training-team", args=[east.uuid])).status_code == 404
    url = reverse("workforce:training-staff", args=[supervisor.uuid])
    assert client.get(url).status_code == 404
    assert client.get(reverse("workforce:training-withdraw", args=[record.uuid])).status_code == 404
    # ... nor may they edit the catalogue (managers keep it).
    edit = reverse("workforce:training-course-edit", args=[course.uuid])
    assert client.get(edit).status_code == 404


def test_every_page_works_for_the_teams_manager(manager, east, course, held, record, supervisor):
    client = verified_client(manager)
    for url in _pages(east, course, held, record, supervisor) + _manager_pages(course, record):
        assert client.get(url).status_code == 200, url
    assert AuditEvent.objects.filter(action="workforce.training_view", actor_id=manager.pk).exists()
    assert AuditEvent.objects.filter(action="workforce.training_export").exists()


def test_the_pages_are_linked_from_the_workforce_pages(manager, east, course, held, supervisor):
    client = verified_client(manager)
    index = client.get(reverse("workforce:index")).content.decode()
    assert f'href="{reverse("workforce:training")}"' in index
    team = client.get(reverse("workforce:team", args=[east.uuid])).content.decode()
    assert f'href="{reverse("workforce:training-team", args=[east.uuid])}"' in team
    staff = client.get(reverse("workforce:staff", args=[supervisor.uuid])).content.decode()
    assert f'href="{reverse("workforce:training-staff", args=[supervisor.uuid])}"' in staff
    catalogue = client.get(reverse("workforce:training")).content.decode()
    for name, args in [
        ("workforce:training-course", [course.uuid]),
        ("workforce:training-session", [held.uuid]),
        ("workforce:training-team", [east.uuid]),
        ("workforce:training-course-new", []),
        ("workforce:training-session-new", []),
    ]:
        assert f'href="{reverse(name, args=args)}' in catalogue, name
    detail = client.get(reverse("workforce:training-course", args=[course.uuid])).content.decode()
    assert reverse("workforce:training-course-edit", args=[course.uuid]) in detail
    # Every member of staff reaches their own record from the footer.
    body = verified_client(supervisor.user).get(reverse("duties:my-work")).content.decode()
    assert f'href="{reverse("workforce:my-training")}"' in body


def test_a_manager_adds_and_changes_a_course(manager, force):
    client = verified_client(manager)
    response = client.post(
        reverse("workforce:training-course-new"),
        {
            "title": "Trauma-informed practice",
            "title_cy": "Ymarfer sy'n ystyriol o drawma",
            "trauma_informed": "on",
            "refresh_months": "24",
        },
    )
    course = Course.objects.get()
    assert response.status_code == 302
    assert (course.force_id, course.trauma_informed, course.refresh_months) == (force.pk, True, 24)
    response = client.post(
        reverse("workforce:training-course-edit", args=[course.uuid]),
        {"title": course.title, "title_cy": course.title_cy, "trauma_informed": "on"},
    )
    course.refresh_from_db()
    assert response.status_code == 302 and course.refresh_months is None
    assert AuditEvent.objects.filter(action="workforce.course_edit").exists()


def test_bad_course_input_shows_the_message_and_changes_nothing(manager):
    response = verified_client(manager).post(
        reverse("workforce:training-course-new"),
        {"title": "Course", "title_cy": "", "refresh_months": "0"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter the course title in Welsh" in body
    assert "Enter the refresh period as a whole number of months from 1 to 120" in body
    assert not Course.objects.exists()


def test_a_supervisor_schedules_a_session_and_records_several_at_once(
    east, course, supervisor, manager
):
    sergeant = supervisor.user
    officer = helpers.staff(east, actor=manager)
    client = verified_client(sergeant)
    page = client.get(reverse("workforce:training-session-new") + f"?course={course.uuid}")
    assert page.status_code == 200
    response = client.post(
        reverse("workforce:training-session-new"),
        {
            "kind": "training",
            "course": course.pk,
            "held_on": "2026-10-28",
            "facilitator": "Force learning and development",
            "team": east.pk,
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and session.facilitator.startswith("Force")
    url = reverse("workforce:training-session", args=[session.uuid])
    body = client.get(url).content.decode()
    assert 'type="checkbox"' in body and officer.user.full_name in body
    response = client.post(url, {"staff": [supervisor.pk, officer.pk]})
    assert response.status_code == 302
    rows = TrainingCompletion.objects.filter(session=session)
    assert {r.staff_id for r in rows} == {supervisor.pk, officer.pk}
    assert {r.expires_on for r in rows} == {th.day("2028-10-28")}
    assert AuditEvent.objects.filter(action="workforce.training_record").count() == 2


def test_bad_session_and_attendance_input_changes_nothing(east, held, supervisor, manager):
    client = verified_client(manager)
    response = client.post(
        reverse("workforce:training-session-new"),
        {"kind": "knowledge_sharing", "held_on": "2026-11-30", "facilitator": "", "team": east.pk},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter the topic of the knowledge-sharing session" in body
    assert TrainingSession.objects.count() == 1
    url = reverse("workforce:training-session", args=[held.uuid])
    response = client.post(url, {})
    assert response.status_code == 422
    assert "Choose at least one person who attended" in response.content.decode()
    response = client.post(url, {"staff": [supervisor.pk], "completed_on": "2026-10-01"})
    assert response.status_code == 422
    assert "from the session&#x27;s date to today" in response.content.decode()
    assert not TrainingCompletion.objects.exists()


def test_a_record_is_withdrawn_with_a_reason(manager, record, supervisor):
    client = verified_client(manager)
    url = reverse("workforce:training-withdraw", args=[record.uuid])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422
    assert "Enter why the record is withdrawn" in response.content.decode()
    record.refresh_from_db()
    assert record.withdrawn_at is None
    assert client.post(url, {"reason": "Wrong person"}).status_code == 302
    record.refresh_from_db()
    assert record.withdrawal_reason == "Wrong person" and record.withdrawn_by_id == manager.pk
    body = client.get(reverse("workforce:training-staff", args=[supervisor.uuid])).content.decode()
    assert "Withdrawn" in body and "Wrong person" in body


def test_each_person_sees_their_own_record(record, supervisor, east, manager):
    client = verified_client(supervisor.user)
    body = client.get(reverse("workforce:my-training")).content.decode()
    assert "In date until 20 October 2028" in body and record.session.course.title in body
    own = client.get(reverse("workforce:training-staff", args=[supervisor.uuid]))
    assert own.status_code == 200
    colleague = helpers.staff(east, actor=manager)
    other = reverse("workforce:training-staff", args=[colleague.uuid])
    assert verified_client(colleague.user).get(other).status_code == 200
    assert (
        client.get(reverse("workforce:training-staff", args=[colleague.uuid])).status_code == 200
    )  # the supervisor sees their team's
    officer_client = verified_client(colleague.user)
    url = reverse("workforce:training-staff", args=[supervisor.uuid])
    assert officer_client.get(url).status_code == 404


def test_the_team_table_sorts_and_exports(manager, east, record, supervisor):
    untrained = helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR)
    client = verified_client(manager)
    url = reverse("workforce:training-team", args=[east.uuid])
    body = client.get(url, {"sort": "-valid_until"}).content.decode()
    assert body.index(supervisor.user.full_name) < body.index(untrained.user.full_name)
    assert "None recorded" in body and "In date" in body
    response = client.get(reverse("workforce:training-team-csv", args=[east.uuid]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == [
        "Name",
        "Role",
        "In scope for supervisor training",
        "Trauma-informed training",
    ]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name[supervisor.user.full_name][3:5] == ["In date", "2028-10-20"]
    assert by_name[untrained.user.full_name][3] == "None recorded"


def test_the_csv_neutralises_formulas_in_names(manager, east):
    from vigil.accounts.models import User

    person = helpers.staff(east, actor=manager)
    User.objects.filter(pk=person.user_id).update(full_name='=HYPERLINK("http://x")')
    response = verified_client(manager).get(
        reverse("workforce:training-team-csv", args=[east.uuid])
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_the_lists_make_a_fixed_number_of_queries(force, east, manager, course):
    client = verified_client(manager)
    session = th.session(east, actor=manager, course=course, held_on=clock.today())
    urls = [
        reverse("workforce:training"),
        reverse("workforce:training-course", args=[course.uuid]),
        reverse("workforce:training-team", args=[east.uuid]),
        reverse("workforce:training-session", args=[session.uuid]),
    ]
    th.attended(session, [helpers.staff(east, actor=manager)], actor=manager)
    for url in urls:
        client.get(url)
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        before[url] = len(q)
    for n in range(3):
        people = [helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR) for _ in range(2)]
        more = th.session(east, actor=manager, course=course, held_on=clock.today())
        th.attended(more, people, actor=manager)
        th.attended(session, people, actor=manager)
        th.course(force, actor=manager, title=f"Course {n}", ti=False)
    for url in urls:
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        assert len(q) == before[url], url


def test_the_wellbeing_officer_and_auditor_see_no_training_pages(east, course):
    ppu = make_team(east.force, name="PPU", kind="other")
    for role in (Role.WELLBEING, Role.AUDITOR):
        client = verified_client(make_user(role, ppu, scope=Scope.FORCE))
        assert client.get(reverse("workforce:training")).status_code == 403
