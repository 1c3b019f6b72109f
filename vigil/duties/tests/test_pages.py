import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.choices import Role, Scope
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.duties import messages
from vigil.duties.choices import RiskLevel
from vigil.duties.models import Duty, Notification
from vigil.duties.tests.helpers import NOON, VISIT, open_duty

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")


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
    return open_duty(team=team, assignee=people["officer"], days_overdue=12, risk=RiskLevel.HIGH)


def _urls(duty):
    return {
        "my-work": reverse("duties:my-work"),
        "team-work": reverse("duties:team-work"),
        "reassign": reverse("duties:reassign", args=[duty.uuid]),
        "outstanding": reverse("duties:outstanding"),
        "cell": reverse("duties:outstanding-cell", args=["high", "1_30"]),
        "notifications": reverse("duties:notifications"),
    }


@pytest.mark.parametrize(
    "name", ["my-work", "team-work", "reassign", "outstanding", "cell", "notifications"]
)
def test_it_sends_anonymous_users_to_sign_in(duty, name):
    response = Client().get(_urls(duty)[name])
    assert response.status_code == 302 and response.url.startswith(SIGN_IN)


@pytest.mark.parametrize("role", ["auditor", "assurance"])
@pytest.mark.parametrize("name", ["my-work", "team-work", "reassign", "outstanding", "cell"])
def test_it_refuses_roles_without_casework(people, duty, role, name):
    assert verified_client(people[role]).get(_urls(duty)[name]).status_code == 403


@pytest.mark.parametrize("name", ["team-work", "reassign", "outstanding", "cell"])
def test_it_refuses_supervisor_pages_to_an_officer(people, duty, name):
    assert verified_client(people["officer"]).get(_urls(duty)[name]).status_code == 403


def test_it_shows_my_work_with_days_overdue_and_risk(people, duty):
    response = verified_client(people["officer"]).get(reverse("duties:my-work"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Overdue by 12 days" in html
    assert "govuk-tag--orange" in html and "High" in html
    assert "2 Jan 2026" in html
    assert f"/test/reviews/{duty.subject_id}/" in html  # the kind gives its subject a link


def test_it_does_not_show_someone_elses_work_as_mine(people, duty):
    html = verified_client(people["colleague"]).get(reverse("duties:my-work")).content.decode()
    assert "Nothing is assigned to you" in html


def _query_count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name,persona",
    [
        ("my-work", "officer"),
        ("team-work", "supervisor"),
        ("cell", "supervisor"),
        ("outstanding", "supervisor"),
    ],
)
def test_it_uses_the_same_number_of_queries_however_many_rows(team, people, duty, name, persona):
    client = verified_client(people[persona])
    url = _urls(duty)[name]
    _query_count(client, url)  # warm the session
    few = _query_count(client, url)
    for n in range(8):
        open_duty(team=team, assignee=people["officer"], days_overdue=5 + n, risk=RiskLevel.HIGH)
    assert _query_count(client, url) == few


def test_it_shows_team_work_to_the_teams_supervisor(people, duty):
    response = verified_client(people["supervisor"]).get(reverse("duties:team-work"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Olive Officer" in html and reverse("duties:reassign", args=[duty.uuid]) in html


def test_it_hides_team_work_from_another_teams_supervisor(people, duty, team):
    client = verified_client(people["outsider"])
    html = client.get(reverse("duties:team-work")).content.decode()
    assert str(duty.uuid) not in html
    # Asking for a team out of reach is an error, not a way in.
    response = client.get(reverse("duties:team-work"), {"team": str(team.uuid)})
    assert "Choose a team from the list" in response.content.decode()
    assert str(duty.uuid) not in response.content.decode()


def test_it_filters_team_work_by_officer(team, people, duty):
    other = open_duty(team=team, assignee=people["colleague"])
    client = verified_client(people["supervisor"])
    html = client.get(
        reverse("duties:team-work"), {"assignee": str(people["colleague"].uuid)}
    ).content.decode()
    assert str(other.uuid) in html and str(duty.uuid) not in html


def test_it_gives_404_for_another_teams_duty_to_reassign(people, duty):
    client = verified_client(people["outsider"])
    url = reverse("duties:reassign", args=[duty.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, {"assignee": str(people["colleague"].uuid)}).status_code == 404
    assert Duty.objects.get(pk=duty.pk).assignee == people["officer"]


def test_it_reassigns_a_duty(people, duty):
    client = verified_client(people["supervisor"])
    url = reverse("duties:reassign", args=[duty.uuid])
    page = client.get(url).content.decode()
    assert "Colin Colleague" in page
    response = client.post(url, {"assignee": str(people["colleague"].uuid)})
    assert response.status_code == 302 and response.url == reverse("duties:team-work")
    assert Duty.objects.get(pk=duty.pk).assignee == people["colleague"]
    assert AuditEvent.objects.filter(
        action="duty.reassign", actor_email=people["supervisor"].email
    ).exists()


@pytest.mark.parametrize("choice", ["", "not-an-officer", "same"])
def test_it_explains_a_bad_reassignment_and_changes_nothing(people, duty, choice):
    client = verified_client(people["supervisor"])
    value = str(people["officer"].uuid) if choice == "same" else choice
    response = client.post(reverse("duties:reassign", args=[duty.uuid]), {"assignee": value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and 'href="#id_assignee"' in html
    assert Duty.objects.get(pk=duty.pk).assignee == people["officer"]
    assert not AuditEvent.objects.filter(action="duty.reassign").exists()


def test_it_shows_the_matrix_with_cells_linking_to_their_duties(people, duty):
    client = verified_client(people["supervisor"])
    html = client.get(reverse("duties:outstanding")).content.decode()
    cell = reverse("duties:outstanding-cell", args=["high", "1_30"])
    assert f'href="{cell}">1</a>' in html
    listed = client.get(cell).content.decode()
    assert str(duty.uuid) in listed


def test_it_counts_nothing_for_another_teams_supervisor(people, duty):
    client = verified_client(people["outsider"])
    assert "0 open duties" in client.get(reverse("duties:outstanding")).content.decode()
    cell = client.get(reverse("duties:outstanding-cell", args=["high", "1_30"])).content.decode()
    assert str(duty.uuid) not in cell


def test_it_gives_404_for_a_cell_that_does_not_exist(people):
    client = verified_client(people["supervisor"])
    assert (
        client.get(reverse("duties:outstanding-cell", args=["extreme", "1_30"])).status_code == 404
    )
    assert client.get(reverse("duties:outstanding-cell", args=["high", "1_2"])).status_code == 404


def test_it_lists_and_marks_read_the_users_notifications(people, duty):
    client = verified_client(people["officer"])
    html = client.get(reverse("duties:notifications")).content.decode()
    assert "Work assigned to you: Test review" in html
    notification = Notification.objects.get(user=people["officer"], message_key=messages.ASSIGNED)
    response = client.post(reverse("duties:notification-read", args=[notification.uuid]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_it_gives_404_for_someone_elses_notification(people, duty):
    notification = Notification.objects.get(user=people["officer"])
    client = verified_client(people["colleague"])
    assert (
        client.post(reverse("duties:notification-read", args=[notification.uuid])).status_code
        == 404
    )
    assert Notification.objects.get(pk=notification.pk).read_at is None
    assert "Test review" not in client.get(reverse("duties:notifications")).content.decode()


def test_it_marks_all_notifications_read(people, duty, team):
    open_duty(team=team, assignee=people["officer"])
    client = verified_client(people["officer"])
    client.post(reverse("duties:notifications-read-all"))
    assert not Notification.objects.filter(user=people["officer"], read_at__isnull=True).exists()


def test_a_force_wide_manager_reaches_every_team(team, other_team, people, duty):
    manager = make_user(Role.MANAGER, other_team, scope=Scope.FORCE)
    html = verified_client(manager).get(reverse("duties:team-work")).content.decode()
    assert str(duty.uuid) in html


def test_it_counts_only_the_chosen_kinds_and_carries_them_to_the_cells(people, duty, team):
    visit = open_duty(team=team, assignee=people["officer"], days_overdue=12, kind=VISIT)
    client = verified_client(people["supervisor"])
    everything = client.get(reverse("duties:outstanding")).content.decode()
    assert "2 open duties" in everything
    assert 'name="kind" type="checkbox" value="duties_test.visit"' in everything
    response = client.get(reverse("duties:outstanding"), {"kind": VISIT})
    html = response.content.decode()
    assert "1 open duty" in html and "Counting only: Test visit" in html
    assert 'value="duties_test.visit" checked' in html
    cell = reverse("duties:outstanding-cell", args=["low", "1_30"])
    assert f'href="{cell}?kind=duties_test.visit">1</a>' in html
    listed = client.get(cell, {"kind": VISIT}).content.decode()
    assert str(visit.uuid) in listed and str(duty.uuid) not in listed
    assert "Counting only: Test visit" in listed


def test_it_explains_an_unknown_kind_and_counts_nothing(people, duty):
    client = verified_client(people["supervisor"])
    html = client.get(reverse("duties:outstanding"), {"kind": "nonsense"}).content.decode()
    assert "govuk-error-summary" in html and 'href="#id_kind"' in html
    assert "Choose kinds of work from the list" in html
    assert "open duties" not in html


def test_team_names_follow_the_readers_language(team, people, duty, settings):
    from vigil.duties import services

    team.name_cy = "POLIT Gorllewin"
    team.save(update_fields=["name_cy"])
    services.sweep()  # escalates the duty to the supervisor, with the team's names
    client = verified_client(people["supervisor"])
    urls = [
        reverse("duties:team-work"),
        reverse("duties:reassign", args=[duty.uuid]),
        reverse("duties:notifications"),
    ]
    for url in urls:
        assert "POLIT West" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    for url in urls:
        html = client.get(url).content.decode()
        assert "POLIT Gorllewin" in html and "POLIT West" not in html, url
    csv = b"".join(client.get(reverse("duties:team-work-export")).streaming_content).decode()
    assert "POLIT Gorllewin" in csv and "POLIT West" not in csv
    # The team's name is the one it has now: a Welsh name given later is used too.
    notification = Notification.objects.get(
        user=people["supervisor"], message_key=messages.ESCALATED_SUPERVISOR
    )
    assert notification.params["team_id"] == str(team.uuid)
    team.name_cy = "Tîm POLIT y Gorllewin"
    team.save(update_fields=["name_cy"])
    assert "Tîm POLIT y Gorllewin" in client.get(urls[2]).content.decode()
