import pytest
import time_machine
from django.test import Client

from vigil.accounts.choices import Role, Scope
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.duties.choices import RiskLevel
from vigil.duties.models import Duty, Notification
from vigil.duties.tests.helpers import NOON, VISIT, open_duty

pytestmark = pytest.mark.django_db

API = "/api/v1/duties"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def people(team, other_team):
    return {
        "officer": make_user(Role.OFFICER, team, full_name="Olive Officer"),
        "colleague": make_user(Role.OFFICER, team, full_name="Colin Colleague"),
        "supervisor": make_user(Role.SUPERVISOR, team, rank="sergeant"),
        "outsider": make_user(Role.SUPERVISOR, other_team, rank="sergeant"),
        "auditor": make_user(Role.AUDITOR, team),
        "assurance": make_user(Role.ASSURANCE, team),
    }


@pytest.fixture
def duty(team, people):
    return open_duty(
        team=team, assignee=people["officer"], days_overdue=40, risk=RiskLevel.VERY_HIGH
    )


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


READS = ["/mine", "/team", "/outstanding", "/notifications"]


@pytest.mark.parametrize("path", READS)
def test_it_refuses_anonymous_reads(duty, path):
    response = Client().get(API + path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_it_refuses_anonymous_writes(people, duty):
    assert (
        _post(
            Client(), f"{API}/{duty.uuid}/reassign", {"assignee": str(people["colleague"].uuid)}
        ).status_code
        == 401
    )
    notification = Notification.objects.get(user=people["officer"])
    assert _post(Client(), f"{API}/notifications/{notification.uuid}/read").status_code == 401


@pytest.mark.parametrize("role", ["auditor", "assurance"])
@pytest.mark.parametrize("path", ["/mine", "/team", "/outstanding"])
def test_it_refuses_roles_without_casework(people, duty, role, path):
    response = verified_client(people[role]).get(API + path)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("path", ["/team", "/outstanding"])
def test_it_refuses_supervisor_reads_to_an_officer(people, duty, path):
    assert verified_client(people["officer"]).get(API + path).status_code == 403


def test_it_refuses_reassignment_to_an_officer(people, duty):
    client = verified_client(people["officer"])
    response = _post(
        client, f"{API}/{duty.uuid}/reassign", {"assignee": str(people["colleague"].uuid)}
    )
    assert response.status_code == 403
    assert Duty.objects.get(pk=duty.pk).assignee == people["officer"]


def test_it_lists_my_work(people, duty):
    body = verified_client(people["officer"]).get(API + "/mine").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == str(duty.uuid)
    assert item["days_overdue"] == 40
    assert item["risk_level"] == "very_high"
    assert item["kind_label"] == "Test review"
    assert item["subject_url"] == f"/test/reviews/{duty.subject_id}/"
    assert item["assignee_name"] == "Olive Officer"


def test_it_lists_team_work_only_in_reach(people, duty, team):
    assert verified_client(people["supervisor"]).get(API + "/team").json()["count"] == 1
    outsider = verified_client(people["outsider"])
    assert outsider.get(API + "/team").json()["count"] == 0
    response = outsider.get(API + "/team", {"team": str(team.uuid)})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "team"


def test_it_filters_team_work_by_officer(people, duty, team):
    open_duty(team=team, assignee=people["colleague"])
    client = verified_client(people["supervisor"])
    body = client.get(API + "/team", {"assignee": str(people["colleague"].uuid)}).json()
    assert body["count"] == 1 and body["items"][0]["assignee_name"] == "Colin Colleague"
    assert client.get(API + "/team", {"assignee": "unassigned"}).json()["count"] == 0


def test_it_gives_the_matrix(people, duty):
    body = verified_client(people["supervisor"]).get(API + "/outstanding").json()
    assert body["total"] == 1
    very_high = next(r for r in body["rows"] if r["risk"] == "very_high")
    assert very_high["cells"] == [
        {"band": "not_due", "count": 0},
        {"band": "1_30", "count": 0},
        {"band": "31_90", "count": 1},
        {"band": "91_180", "count": 0},
        {"band": "over_180", "count": 0},
    ]
    assert verified_client(people["outsider"]).get(API + "/outstanding").json()["total"] == 0


def test_it_reassigns(people, duty):
    client = verified_client(people["supervisor"])
    response = _post(
        client, f"{API}/{duty.uuid}/reassign", {"assignee": str(people["colleague"].uuid)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["assignee_name"] == "Colin Colleague"
    assert Duty.objects.get(pk=duty.pk).assignee == people["colleague"]
    assert AuditEvent.objects.filter(action="duty.reassign").count() == 1


def test_it_gives_404_for_another_teams_duty(people, duty):
    client = verified_client(people["outsider"])
    response = _post(
        client, f"{API}/{duty.uuid}/reassign", {"assignee": str(people["colleague"].uuid)}
    )
    assert response.status_code == 404
    assert Duty.objects.get(pk=duty.pk).assignee == people["officer"]


def test_it_explains_a_bad_assignee(people, duty, other_team):
    stranger = make_user(Role.OFFICER, other_team)
    client = verified_client(people["supervisor"])
    response = _post(client, f"{API}/{duty.uuid}/reassign", {"assignee": str(stranger.uuid)})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "assignee", "message": "Choose an officer who works in POLIT West"}
    ]
    assert Duty.objects.get(pk=duty.pk).assignee == people["officer"]


def test_it_lets_a_force_wide_manager_reassign(people, duty, other_team):
    manager = make_user(Role.MANAGER, other_team, scope=Scope.FORCE)
    client = verified_client(manager)
    response = _post(
        client, f"{API}/{duty.uuid}/reassign", {"assignee": str(people["colleague"].uuid)}
    )
    assert response.status_code == 200


def test_it_lists_and_reads_the_users_notifications(people, duty):
    client = verified_client(people["officer"])
    body = client.get(API + "/notifications").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == "Work assigned to you: Test review" and item["duty_id"] == str(
        duty.uuid
    )
    response = _post(client, f"{API}/notifications/{item['id']}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert Notification.objects.get(uuid=item["id"]).read_at is not None


def test_it_gives_404_for_someone_elses_notification(people, duty):
    notification = Notification.objects.get(user=people["officer"])
    client = verified_client(people["colleague"])
    assert client.get(API + "/notifications").json()["count"] == 0
    assert _post(client, f"{API}/notifications/{notification.uuid}/read").status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_it_gives_the_matrix_for_chosen_kinds(people, duty, team):
    open_duty(team=team, assignee=people["officer"], days_overdue=3, kind=VISIT)
    client = verified_client(people["supervisor"])
    assert client.get(API + "/outstanding").json()["total"] == 2
    body = client.get(API + "/outstanding", {"kind": [VISIT]}).json()
    assert body["total"] == 1
    low = next(r for r in body["rows"] if r["risk"] == "low")
    assert low["cells"][1] == {"band": "1_30", "count": 1}
    both = client.get(API + "/outstanding", {"kind": [VISIT, "duties_test.review"]}).json()
    assert both["total"] == 2
    assert client.get(API + "/team", {"kind": VISIT}).json()["count"] == 1


def test_it_refuses_an_unknown_kind(people, duty):
    response = verified_client(people["supervisor"]).get(API + "/outstanding", {"kind": "nope"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "kind"


def test_it_names_teams_in_the_readers_language(people, duty, team, settings):
    from vigil.duties import services

    team.name_cy = "POLIT Gorllewin"
    team.save(update_fields=["name_cy"])
    services.sweep()
    client = verified_client(people["supervisor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    rows = client.get(f"{API}/team").json()["items"]
    assert [r["team_name"] for r in rows] == ["POLIT Gorllewin"]
    bodies = [n["body"] for n in client.get(f"{API}/notifications").json()["items"]]
    assert bodies and all("POLIT Gorllewin" in b and "POLIT West" not in b for b in bodies)
