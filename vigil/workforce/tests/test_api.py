"""The workforce API: access, behaviour, database state and audit."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.duties.models import Duty
from vigil.workforce.models import Abstraction, Establishment, StaffHours, StaffRecord
from vigil.workforce.tests import helpers

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workforce"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def officer(east, manager):
    record = helpers.staff(east, actor=manager)
    helpers.investigation(east, record.user, priority="high")
    return record


def _reads(east, officer):
    return [
        f"{BASE}/teams",
        f"{BASE}/teams/{east.uuid}/workload",
        f"{BASE}/staff/{officer.uuid}",
        f"{BASE}/teams/{east.uuid}/abstractions",
    ]


def test_anonymous_callers_get_401(client, east, officer):
    for url in _reads(east, officer):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.AUDITOR, Role.ASSURANCE, Role.WELLBEING, Role.ADMIN]
)
def test_other_roles_get_403(east, officer, role):
    client = verified_client(make_user(role, east))
    for url in _reads(east, officer):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "forbidden"


def test_another_teams_supervisor_gets_404(west, east, officer):
    client = verified_client(make_user(Role.SUPERVISOR, west, rank=Rank.SERGEANT))
    for url in _reads(east, officer)[1:]:
        assert client.get(url).status_code == 404, url
    assert [t["name"] for t in client.get(f"{BASE}/teams").json()] == [west.name]


def test_the_workload_is_listed_and_audited(east, officer, sergeant):
    client = verified_client(sergeant)
    rows = client.get(f"{BASE}/teams/{east.uuid}/workload").json()
    assert [(r["officer"], r["points"], r["investigations"]) for r in rows] == [
        (officer.user.full_name, 10, 1)
    ]
    assert rows[0]["capacity"] == 120.0
    assert AuditEvent.objects.filter(
        action="workforce.workload_view", actor_id=sergeant.pk
    ).exists()


def test_the_workload_list_makes_a_fixed_number_of_queries(east, manager, sergeant):
    client = verified_client(sergeant)
    url = f"{BASE}/teams/{east.uuid}/workload"
    helpers.staff(east, actor=manager)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        helpers.nominal(east, helpers.staff(east, actor=manager).user)
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(url).json()) == 4
    assert len(more) == len(one)


def test_a_manager_adds_staff_and_sets_the_establishment(east, manager):
    newcomer = make_user(Role.OFFICER, east)
    client = verified_client(manager)
    response = _post(
        client,
        f"{BASE}/teams/{east.uuid}/staff",
        {
            "user": str(newcomer.uuid),
            "role": "officer",
            "grade": "constable",
            "started_on": "2026-10-01",
            "fte": "0.6",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["capacity"] == pytest.approx(72.0)
    record = StaffRecord.objects.get(user=newcomer)
    assert str(StaffHours.objects.get(staff=record).fte) == "0.60"
    response = _post(
        client, f"{BASE}/teams/{east.uuid}/establishment", {"posts": "4", "reason": "Budget"}
    )
    assert response.status_code == 200
    assert response.json()["posts"] == 4.0
    assert response.json()["vacancies"] == pytest.approx(3.4)
    assert Establishment.objects.filter(team=east).count() == 1


def test_bad_staff_input_is_422_and_changes_nothing(east, manager):
    newcomer = make_user(Role.OFFICER, east)
    client = verified_client(manager)
    response = _post(
        client,
        f"{BASE}/teams/{east.uuid}/staff",
        {
            "user": str(newcomer.uuid),
            "role": "officer",
            "grade": "constable",
            "started_on": "2026-10-01",
            "fte": "1.5",
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "fte"
    assert not StaffRecord.objects.exists()


def test_a_supervisor_may_not_manage_staff(east, officer, sergeant):
    client = verified_client(sergeant)
    response = _post(client, f"{BASE}/staff/{officer.uuid}/hours", {"fte": "0.5", "reason": "x"})
    assert response.status_code == 404
    assert StaffHours.objects.filter(staff=officer).count() == 1


def test_hours_and_leaving_through_the_api(officer, manager):
    client = verified_client(manager)
    response = _post(
        client, f"{BASE}/staff/{officer.uuid}/hours", {"fte": "0.5", "reason": "Part-time"}
    )
    assert response.status_code == 200
    assert response.json()["fte"] == 0.5
    response = _post(client, f"{BASE}/staff/{officer.uuid}/leave", {"left_on": "2026-11-01"})
    assert response.json()["left_on"] == "2026-11-01"


def test_recording_and_reviewing_an_abstraction(east, officer, sergeant, manager):
    client = verified_client(sergeant)
    response = _post(
        client,
        f"{BASE}/abstractions",
        {
            "staff": str(officer.uuid),
            "starts_on": "2026-10-20",
            "ends_on": "2026-10-21",
            "hours": "16",
            "reason": "court",
            "authorised_by": str(manager.uuid),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    row = Abstraction.objects.get(uuid=body["id"])
    assert row.review_due_at.date().isoformat() == "2026-11-04"
    assert Duty.objects.filter(
        kind="workforce.abstraction_review", subject_id=row.uuid, completed_at__isnull=True
    ).exists()
    response = _post(
        client, f"{BASE}/abstractions/{row.uuid}/review", {"note": "Unavoidable court warning."}
    )
    assert response.status_code == 200
    assert response.json()["reviewed_by"] == sergeant.email
    assert not Duty.objects.filter(
        kind="workforce.abstraction_review", completed_at__isnull=True
    ).exists()
    assert AuditEvent.objects.filter(
        action="workforce.abstraction_review", actor_id=sergeant.pk
    ).exists()
    listed = client.get(f"{BASE}/teams/{east.uuid}/abstractions").json()
    assert listed["count"] == 1


def test_an_abstraction_needs_an_authoriser_of_the_team(west, officer, sergeant):
    stranger = make_user(Role.MANAGER, west, rank=Rank.INSPECTOR)
    client = verified_client(sergeant)
    response = _post(
        client,
        f"{BASE}/abstractions",
        {
            "staff": str(officer.uuid),
            "starts_on": "2026-10-20",
            "ends_on": "2026-10-21",
            "hours": "16",
            "reason": "court",
            "authorised_by": str(stranger.uuid),
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "authorised_by"
    assert not Abstraction.objects.exists()
