"""The training API: every endpoint as anonymous, wrong role, out of scope and permitted;
behaviour, database state and audit; bad input; fixed query counts on the lists."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.testing import make_force, make_user, verified_client
from vigil.workforce.choices import StaffRole
from vigil.workforce.models import Course, TrainingCompletion, TrainingSession
from vigil.workforce.tests import helpers
from vigil.workforce.tests import training_helpers as th

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workforce"


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def supervisor(east, manager):
    return helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR)


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


def _reads(east, course, held):
    return [
        f"{BASE}/training/courses",
        f"{BASE}/training/courses/{course.uuid}",
        f"{BASE}/training/sessions",
        f"{BASE}/training/sessions/{held.uuid}",
        f"{BASE}/training/sessions/{held.uuid}/completions",
        f"{BASE}/teams/{east.uuid}/training",
    ]


def _writes(east, course, held, record, supervisor):
    return [
        (f"{BASE}/training/courses", {"title": "X", "title_cy": "Y"}, "post"),
        (
            f"{BASE}/training/courses/{course.uuid}",
            {"title": "X", "title_cy": "Y", "trauma_informed": True},
            "put",
        ),
        (
            f"{BASE}/training/sessions",
            {
                "kind": "training",
                "course": str(course.uuid),
                "held_on": "2026-10-30",
                "facilitator": "F",
                "team": str(east.uuid),
            },
            "post",
        ),
        (
            f"{BASE}/training/sessions/{held.uuid}/completions",
            {"staff": [str(supervisor.uuid)]},
            "post",
        ),
        (f"{BASE}/training/completions/{record.uuid}/withdraw", {"reason": "Wrong"}, "post"),
    ]


def test_anonymous_callers_get_401(client, east, course, held, record, supervisor):
    for url in _reads(east, course, held) + [f"{BASE}/training/mine"]:
        assert client.get(url).status_code == 401, url
    for url, body, method in _writes(east, course, held, record, supervisor):
        assert _post(client, url, body, method).status_code == 401, url


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR, Role.ASSURANCE, Role.WELLBEING])
def test_other_roles_get_403_and_change_nothing(east, course, held, record, supervisor, role):
    client = verified_client(make_user(role, east))
    for url in _reads(east, course, held):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "forbidden"
    for url, body, method in _writes(east, course, held, record, supervisor):
        assert _post(client, url, body, method).status_code == 403, url
    assert Course.objects.count() == 1 and TrainingSession.objects.count() == 1
    record.refresh_from_db()
    assert record.withdrawn_at is None


def test_another_forces_manager_gets_404(east, course, held, record, supervisor):
    gwent = make_force("gwent", "Gwent Police")
    client = verified_client(
        make_user(Role.MANAGER, helpers.mosovo(gwent, "Gwent MOSOVO"), rank=Rank.INSPECTOR)
    )
    for url in _reads(east, course, held)[1:2] + _reads(east, course, held)[3:]:
        assert client.get(url).status_code == 404, url
    assert client.get(f"{BASE}/training/courses").json()["items"] == []
    for url, body, method in _writes(east, course, held, record, supervisor)[1:]:
        assert _post(client, url, body, method).status_code == 404, url
    record.refresh_from_db()
    assert record.withdrawn_at is None


def test_another_teams_supervisor_cannot_record_or_withdraw(west, held, record, supervisor):
    client = verified_client(make_user(Role.SUPERVISOR, west, rank=Rank.SERGEANT))
    rows = client.get(f"{BASE}/training/sessions/{held.uuid}/completions").json()["items"]
    assert rows == []  # the east supervisor's record is not theirs to see
    response = _post(client, f"{BASE}/training/completions/{record.uuid}/withdraw", {"reason": "x"})
    assert response.status_code == 404
    # A course is the managers' to edit.
    course = held.course
    response = _post(
        client,
        f"{BASE}/training/courses/{course.uuid}",
        {"title": "X", "title_cy": "Y", "trauma_informed": True},
        "put",
    )
    assert response.status_code == 404


def test_the_catalogue_sessions_and_completions_through_the_api(manager, east, supervisor):
    client = verified_client(manager)
    response = _post(
        client,
        f"{BASE}/training/courses",
        {
            "title": "Trauma-informed supervision",
            "title_cy": "Goruchwylio",
            "trauma_informed": True,
            "refresh_months": 24,
        },
    )
    assert response.status_code == 201
    course = response.json()
    assert (course["title_cy"], course["refresh_months"]) == ("Goruchwylio", 24)
    response = _post(
        client,
        f"{BASE}/training/sessions",
        {
            "kind": "training",
            "course": course["id"],
            "held_on": "2026-10-30",
            "facilitator": "Force learning and development",
            "team": str(east.uuid),
        },
    )
    assert response.status_code == 201
    session = response.json()
    assert session["kind"] == "training" and session["course"] == course["id"]
    response = _post(
        client,
        f"{BASE}/training/sessions/{session['id']}/completions",
        {"staff": [str(supervisor.uuid)]},
    )
    assert response.status_code == 201
    (row,) = response.json()
    assert (row["completed_on"], row["expires_on"], row["trauma_informed"]) == (
        "2026-10-30",
        "2028-10-30",
        True,
    )
    assert TrainingCompletion.objects.get().staff_id == supervisor.pk
    status = client.get(f"{BASE}/teams/{east.uuid}/training").json()
    mine = next(s for s in status if s["staff"] == str(supervisor.uuid))
    assert (mine["in_scope"], mine["trauma_informed_in_date"], mine["in_date_until"]) == (
        True,
        True,
        "2028-10-30",
    )
    assert AuditEvent.objects.filter(action="workforce.training_view").exists()
    response = _post(
        client, f"{BASE}/training/completions/{row['id']}/withdraw", {"reason": "Wrong"}
    )
    assert response.status_code == 200 and response.json()["withdrawal_reason"] == "Wrong"
    mine_now = verified_client(supervisor.user).get(f"{BASE}/training/mine").json()
    assert mine_now[0]["withdrawn_at"] is not None


def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(manager, east, held, supervisor):
    client = verified_client(manager)
    response = _post(client, f"{BASE}/training/courses", {"title": "X", "title_cy": " "})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "title_cy"
    response = _post(
        client, f"{BASE}/training/courses", {"title": "X", "title_cy": "Y", "refresh_months": 0}
    )
    assert response.status_code == 422
    assert Course.objects.count() == 1
    response = _post(
        client,
        f"{BASE}/training/sessions",
        {"kind": "webinar", "held_on": "2026-10-30", "facilitator": "F", "team": str(east.uuid)},
    )
    assert response.status_code == 422
    assert TrainingSession.objects.count() == 1
    response = _post(
        client, f"{BASE}/training/sessions/{held.uuid}/completions", {"staff": [str(east.uuid)]}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "staff"
    assert client.get(f"{BASE}/training/sessions?kind=webinar").status_code == 422
    assert not TrainingCompletion.objects.exists()


def test_the_lists_make_a_fixed_number_of_queries(force, east, manager, course, held):
    client = verified_client(manager)
    urls = [
        f"{BASE}/training/courses",
        f"{BASE}/training/sessions",
        f"{BASE}/training/sessions/{held.uuid}/completions",
        f"{BASE}/teams/{east.uuid}/training",
    ]
    th.attended(held, [helpers.staff(east, actor=manager)], actor=manager)
    for url in urls:
        client.get(url)
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        before[url] = len(q)
    for n in range(3):
        people = [helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR) for _ in range(2)]
        th.attended(held, people, actor=manager)
        th.session(east, actor=manager, course=course, held_on=clock.today())
        th.course(force, actor=manager, title=f"Course {n}", ti=False)
    for url in urls:
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        assert len(q) == before[url], url
