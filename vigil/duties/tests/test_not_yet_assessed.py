"""Work for a person whose risk is not yet assessed has its own matrix row (never the low
row), and every change to a duty's risk level or due date is kept as a revision."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.core.testing import make_user, verified_client
from vigil.duties import selectors, services
from vigil.duties.choices import DutyRisk, RiskLevel
from vigil.duties.models import Duty, DutyRevision
from vigil.duties.registry import declare_duty_kind, declare_risk_unassessed
from vigil.duties.tests.helpers import NOON, Subject, open_duty
from vigil.people.models import Person

pytestmark = pytest.mark.django_db

ASSESSED_LATER = "duties_test.assessed_later"
declare_duty_kind(ASSESSED_LATER, label="Test work of a person assessed later")
# The test kind's app says: a person is unassessed while their family name says so.
declare_risk_unassessed([ASSESSED_LATER], lambda person: person.family_name == "Unassessed")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def supervisor(team):
    return make_user(Role.SUPERVISOR, team, rank="sergeant")


def _person(team, family_name):
    return Person.objects.create(
        force=team.force,
        team=team,
        given_name="Test",
        family_name=family_name,
        date_of_birth=dt.date(1980, 1, 1),
    )


@pytest.fixture
def unassessed(team):
    person = _person(team, "Unassessed")
    return open_duty(
        team=team, kind=ASSESSED_LATER, person=person, days_overdue=12, risk=RiskLevel.LOW
    )


def test_the_work_of_an_unassessed_person_is_not_counted_as_low(team, supervisor, unassessed):
    assessed = open_duty(
        team=team, kind=ASSESSED_LATER, person=_person(team, "Assessed"), days_overdue=12
    )
    assert Duty.objects.get(pk=unassessed.pk).risk_level == DutyRisk.UNASSESSED
    assert Duty.objects.get(pk=assessed.pk).risk_level == RiskLevel.LOW
    matrix = selectors.outstanding_work_matrix(user=supervisor)
    rows = {row["risk"]: row for row in matrix.rows}
    assert [row["risk"] for row in matrix.rows][-1] == DutyRisk.UNASSESSED
    assert [c["count"] for c in rows[DutyRisk.UNASSESSED]["cells"]] == [0, 1, 0, 0, 0]
    assert rows[RiskLevel.LOW]["total"] == 1
    assert matrix.total == 2


def test_the_matrix_page_drill_down_and_api_show_the_not_yet_assessed_row(supervisor, unassessed):
    client = verified_client(supervisor)
    html = client.get(reverse("duties:outstanding")).content.decode()
    assert "Not yet assessed" in html
    cell = reverse("duties:outstanding-cell", args=["unassessed", "1_30"])
    assert f'href="{cell}">1</a>' in html
    listed = client.get(cell)
    assert listed.status_code == 200
    assert str(unassessed.uuid) in listed.content.decode()
    assert "Not yet assessed" in listed.content.decode()
    body = client.get("/api/v1/duties/outstanding").json()
    row = next(r for r in body["rows"] if r["risk"] == "unassessed")
    assert row["total"] == 1 and body["total"] == 1
    export = client.get(reverse("duties:team-work-export"))
    assert "Not yet assessed" in b"".join(export.streaming_content).decode()


def test_the_risk_once_assessed_moves_the_work_to_its_row(team, supervisor, unassessed):
    changed = services.duty_set_risk_level(
        actor=supervisor, person=unassessed.person, risk_level=RiskLevel.HIGH
    )
    assert changed == 1
    assert Duty.objects.get(pk=unassessed.pk).risk_level == RiskLevel.HIGH
    rows = {r["risk"]: r for r in selectors.outstanding_work_matrix(user=supervisor).rows}
    assert rows[DutyRisk.UNASSESSED]["total"] == 0 and rows[RiskLevel.HIGH]["total"] == 1


def test_every_change_of_risk_or_due_date_is_kept_as_a_revision(frozen, team, supervisor):
    person = _person(team, "Assessed")
    subject = Subject()
    duty = open_duty(team=team, kind=ASSESSED_LATER, person=person, subject=subject)
    first_due = duty.due_at
    frozen.shift(dt.timedelta(days=2))
    later = first_due + dt.timedelta(days=30)
    services.duty_reschedule(actor=supervisor, kind=ASSESSED_LATER, subject=subject, due_at=later)
    frozen.shift(dt.timedelta(days=2))
    services.duty_set_risk_level(actor=supervisor, person=person, risk_level=RiskLevel.VERY_HIGH)
    revisions = list(
        DutyRevision.objects.filter(duty=duty).values_list("effective_at", "risk_level", "due_at")
    )
    assert revisions == [
        (duty.created_at, RiskLevel.LOW, first_due),
        (NOON + dt.timedelta(days=2), RiskLevel.LOW, later),
        (NOON + dt.timedelta(days=4), RiskLevel.VERY_HIGH, later),
    ]


def test_an_unknown_risk_cell_is_still_404(supervisor):
    client = verified_client(supervisor)
    assert client.get(reverse("duties:outstanding-cell", args=["none", "1_30"])).status_code == 404
