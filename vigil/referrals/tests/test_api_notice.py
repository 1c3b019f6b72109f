"""The offender notice on a referral through the API (the managing team reads and
acknowledges it), and the investigation id a referral's answer carries."""

import pytest
from django.test import Client

from vigil.accounts.choices import Role, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.duties.models import Duty
from vigil.investigations.models import Investigation
from vigil.referrals import duty_kinds
from vigil.referrals.tests.helpers import graded, make_person, receive

pytestmark = pytest.mark.django_db
BASE = "/api/v1/referrals"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def notice(polit, other_team):
    manager = make_user(Role.OFFICER, other_team, full_name="Rhodri Manager")
    rso = make_person(other_team, manager, register_reference="01/000999")
    referral = receive(polit.officer, polit.team, suspect=rso)
    assert referral.suspect_is_rso
    return referral, manager


def test_anonymous_callers_are_refused(notice):
    referral, _manager = notice
    client = Client()
    assert client.get(f"{BASE}/{referral.uuid}/rso-notice").status_code == 401
    response = _post(client, f"{BASE}/{referral.uuid}/rso-notice/acknowledgement")
    assert response.status_code == 401
    referral.refresh_from_db()
    assert referral.rso_notice_acknowledged_at is None


def test_a_role_without_casework_is_refused(notice, other_team):
    referral, _manager = notice
    for role in (Role.ASSURANCE, Role.ADMIN):
        client = verified_client(make_user(role, other_team))
        assert client.get(f"{BASE}/{referral.uuid}/rso-notice").status_code == 403
        response = _post(client, f"{BASE}/{referral.uuid}/rso-notice/acknowledgement")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    referral.refresh_from_db()
    assert referral.rso_notice_acknowledged_at is None


def test_the_investigating_team_and_another_force_do_not_see_the_notice(notice, polit):
    referral, _manager = notice
    gwent = make_team(make_force("gwent", "Gwent Police"), name="MOSOVO G", kind=TeamKind.MOSOVO)
    for user in (polit.officer, make_user(Role.OFFICER, gwent)):
        client = verified_client(user)
        assert client.get(f"{BASE}/{referral.uuid}/rso-notice").status_code == 404
        response = _post(client, f"{BASE}/{referral.uuid}/rso-notice/acknowledgement")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    # A referral not about a registered offender has no notice.
    plain = receive(polit.officer, polit.team)
    assert verified_client(polit.officer).get(f"{BASE}/{plain.uuid}/rso-notice").status_code == 404
    referral.refresh_from_db()
    assert referral.rso_notice_acknowledged_at is None
    assert not AuditEvent.objects.filter(action="referral.rso_acknowledge").exists()


def test_the_managing_team_reads_and_acknowledges_the_notice(notice, polit):
    referral, manager = notice
    assert Duty.objects.filter(
        kind=duty_kinds.RSO_NOTICE, subject_id=referral.uuid, completed_at__isnull=True
    ).exists()
    client = verified_client(manager)
    body = client.get(f"{BASE}/{referral.uuid}/rso-notice").json()
    assert body["id"] == str(referral.uuid)
    assert body["offender"]["id"] == str(referral.suspect.uuid)
    assert body["register_reference"] == "01/000999"
    assert body["investigating_team"]["id"] == str(polit.team.uuid)
    assert body["acknowledged_at"] is None and body["acknowledged_by"] is None
    assert AuditEvent.objects.filter(
        action="referral.rso_notice_view", actor_id=manager.pk, target_id=str(referral.uuid)
    ).exists()
    response = _post(client, f"{BASE}/{referral.uuid}/rso-notice/acknowledgement")
    assert response.status_code == 200, response.content
    assert response.json()["acknowledged_by"]["id"] == str(manager.uuid)
    referral.refresh_from_db()
    assert referral.rso_notice_acknowledged_by == manager
    assert referral.rso_notice_acknowledged_at is not None
    assert AuditEvent.objects.filter(
        action="referral.rso_acknowledge", actor_id=manager.pk, target_id=str(referral.uuid)
    ).exists()
    assert not Duty.objects.filter(
        kind=duty_kinds.RSO_NOTICE, subject_id=referral.uuid, completed_at__isnull=True
    ).exists()
    again = _post(client, f"{BASE}/{referral.uuid}/rso-notice/acknowledgement")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    assert AuditEvent.objects.filter(action="referral.rso_acknowledge").count() == 1


def test_a_referral_answer_carries_its_investigation_id(polit, force):
    referral = graded(polit.officer, polit.team)
    client = verified_client(polit.supervisor)
    assert client.get(f"{BASE}/{referral.uuid}").json()["investigation"] is None
    cid = make_team(force, name="CID Aberystwyth", kind=TeamKind.OTHER)
    allocated = _post(client, f"{BASE}/{referral.uuid}/allocation", {"team": str(cid.uuid)})
    assert allocated.status_code == 200, allocated.content
    investigation = Investigation.objects.get(referral=referral)
    assert allocated.json()["investigation"] == str(investigation.uuid)
    assert client.get(f"{BASE}/{referral.uuid}").json()["investigation"] == str(investigation.uuid)
    # The queue carries it too (joined in the list's own query).
    other = receive(polit.officer, polit.team)
    queue = client.get(BASE, {"status": "all"}).json()["items"]
    assert {r["id"]: r["investigation"] for r in queue} == {
        str(referral.uuid): str(investigation.uuid),
        str(other.uuid): None,
    }
