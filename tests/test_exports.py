"""CSV downloads: scoped like the page they come from, and audited."""

import datetime as dt

import pytest
from django.test import Client

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_team, make_user, verified_client
from vigil.people import services as people

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def data(team, other_team):
    supervisor = make_user(Role.SUPERVISOR, team)
    mine = people.person_create(
        actor=supervisor,
        team=team,
        given_name="Siân",
        family_name="Rowlands",
        date_of_birth=dt.date(1970, 1, 1),
        confirm_not_duplicate=True,
    )
    hidden = people.person_create(
        actor=supervisor,
        team=team,
        given_name="Eira",
        family_name="Hidden",
        date_of_birth=dt.date(1971, 1, 1),
        confirm_not_duplicate=True,
    )
    people.person_restrict(actor=supervisor, person=hidden, users=[], reason="Relative")
    other_sup = make_user(Role.SUPERVISOR, other_team)
    people.person_create(
        actor=other_sup,
        team=other_team,
        given_name="Out",
        family_name="Ofscope",
        date_of_birth=dt.date(1972, 1, 1),
        confirm_not_duplicate=True,
    )
    return {"supervisor": supervisor, "mine": mine, "officer": make_user(Role.OFFICER, team)}


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("auditor", 403), ("assurance", 403)])
def test_people_export_refused(role, status, data):
    client = Client() if role is None else verified_client(make_user(role))
    assert client.get("/people/export.csv").status_code == status


def test_people_export_is_scoped_and_audited(data):
    body = _body(verified_client(data["officer"]).get("/people/export.csv", {"q": ""}))
    assert "Rowlands,Siân" in body
    assert "Hidden" not in body and "Ofscope" not in body
    event = AuditEvent.objects.get(action="people.export")
    assert event.actor_id == data["officer"].pk


def test_team_work_export_masks_restricted_people_and_is_audited(data):
    officer = data["officer"]
    body = _body(verified_client(data["supervisor"]).get("/work/team/export.csv"))
    assert body.splitlines()[0].startswith("Work,Person,Team")
    assert "Review a restricted record,Eira Hidden" in body  # the supervisor is named on it
    other_supervisor = make_user(Role.SUPERVISOR, make_team())
    assert verified_client(other_supervisor).get("/work/team/export.csv").status_code == 200
    assert "Eira" not in _body(verified_client(other_supervisor).get("/work/team/export.csv"))
    assert verified_client(officer).get("/work/team/export.csv").status_code == 403
    assert AuditEvent.objects.filter(action="duties.export").count() == 3


def test_exports_in_welsh_have_welsh_headings(data):
    client = verified_client(data["officer"])
    client.cookies["vigil_language"] = "cy"
    assert _body(client.get("/people/export.csv")).splitlines()[0].startswith("Cyfenw")
