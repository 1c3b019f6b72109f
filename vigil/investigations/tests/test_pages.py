"""Every page: anonymous → sign-in, wrong role → 403, out of scope → 404, permitted works
(including an officer of the unit the investigation is allocated to); lists in a fixed
number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.choices import Rank, Role
from vigil.core.testing import make_user, verified_client
from vigil.investigations import services
from vigil.investigations.choices import DecisionKind, EscalationTrigger, State
from vigil.investigations.models import EnforcementDecision, OversightReview, Reassessment
from vigil.investigations.tests.helpers import LOW, make_investigation, reassess

pytestmark = pytest.mark.django_db

DETAIL_PAGES = ["detail", "move", "reassess", "decide"]
SUPERVISOR_PAGES = ["allocate", "oversight-review"]


@pytest.fixture
def inv(team, unit, sergeant, unit_officer):
    return make_investigation(team, allocated_team=unit, officer=unit_officer, actor=sergeant)


@pytest.mark.parametrize("name", DETAIL_PAGES + SUPERVISOR_PAGES)
def test_it_sends_anonymous_users_to_sign_in(client, inv, name):
    response = client.get(reverse(f"investigations:{name}", args=[inv.uuid]))
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize("name", ["list", "board", "escalations"])
def test_it_sends_anonymous_users_to_sign_in_from_lists(client, name):
    response = client.get(reverse(f"investigations:{name}"))
    assert response.status_code == 302


@pytest.mark.parametrize("name", DETAIL_PAGES + SUPERVISOR_PAGES)
def test_it_hides_an_investigation_from_another_team(inv, other_team, name):
    outsider = make_user(Role.SUPERVISOR, other_team)
    response = verified_client(outsider).get(reverse(f"investigations:{name}", args=[inv.uuid]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", DETAIL_PAGES + SUPERVISOR_PAGES)
def test_it_refuses_a_role_without_casework(inv, team, name):
    auditor = make_user(Role.AUDITOR, team)
    response = verified_client(auditor).get(reverse(f"investigations:{name}", args=[inv.uuid]))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("name", DETAIL_PAGES)
def test_it_lets_the_allocated_unit_officer_work_it(inv, unit_officer, name):
    response = verified_client(unit_officer).get(reverse(f"investigations:{name}", args=[inv.uuid]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", SUPERVISOR_PAGES)
def test_it_keeps_oversight_pages_to_the_owning_team_supervisors(inv, unit_officer, sergeant, name):
    url = reverse(f"investigations:{name}", args=[inv.uuid])
    assert verified_client(unit_officer).get(url).status_code == 403
    assert verified_client(sergeant).get(url).status_code == 200


@pytest.mark.parametrize("name", ["board", "escalations"])
def test_it_keeps_the_board_and_log_to_supervisors(officer, sergeant, name):
    url = reverse(f"investigations:{name}")
    assert verified_client(officer).get(url).status_code == 403
    assert verified_client(sergeant).get(url).status_code == 200


def test_the_detail_page_shows_the_timeline_and_audits_the_view(inv, sergeant):
    from vigil.audit.models import AuditEvent

    reassess(inv, sergeant)
    response = verified_client(sergeant).get(reverse("investigations:detail", args=[inv.uuid]))
    body = response.content.decode()
    assert "moj-side-navigation" in body and "moj-timeline" in body
    assert "Risk assessed: Low (New intelligence)" in body
    assert AuditEvent.objects.filter(action="investigation.view").count() == 1


def test_the_move_page_records_progress(inv, unit_officer):
    client = verified_client(unit_officer)
    url = reverse("investigations:move", args=[inv.uuid])
    response = client.post(url, {"to_state": State.AWAITING_ENFORCEMENT, "note": "Ready"})
    assert response.status_code == 302
    inv.refresh_from_db()
    assert inv.state == State.AWAITING_ENFORCEMENT
    response = client.post(url, {})
    assert "Choose what has happened" in response.content.decode()


def test_the_reassess_page_records_an_assessment(inv, unit_officer):
    client = verified_client(unit_officer)
    url = reverse("investigations:reassess", args=[inv.uuid])
    data = {"trigger": "new_intelligence", **{f"q_{k}": v for k, v in LOW.items()}}
    assert client.post(url, data).status_code == 302
    assert Reassessment.objects.get().trigger == "new_intelligence"
    response = client.post(url, {"trigger": "scheduled"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert Reassessment.objects.count() == 1


def test_the_decide_page_shows_the_rui_refusal(inv, unit_officer, sergeant):
    reassess(inv, unit_officer)
    services.enforcement_decision_record(
        actor=unit_officer,
        investigation=inv,
        kind=DecisionKind.ARREST,
        rationale="r",
        welfare_assessment="no_indication",
    )
    services.investigation_transition(actor=unit_officer, investigation=inv, to_state="post_arrest")
    response = verified_client(sergeant).post(
        reverse("investigations:decide", args=[inv.uuid]),
        {"kind": "rui", "rationale": "Awaiting forensics", "exceptional_rationale": "Devices"},
    )
    assert response.status_code == 200
    assert "authorised by the rank of inspector or above" in response.content.decode()
    assert not EnforcementDecision.objects.filter(kind="rui").exists()
    inspector = make_user(Role.MANAGER, inv.owning_team, rank=Rank.INSPECTOR)
    response = verified_client(inspector).post(
        reverse("investigations:decide", args=[inv.uuid]),
        {"kind": "rui", "rationale": "Awaiting forensics", "exceptional_rationale": "Devices"},
    )
    assert response.status_code == 302
    assert EnforcementDecision.objects.get(kind="rui").authorised_by == inspector


def test_the_review_and_allocation_pages_write(inv, sergeant, team):
    client = verified_client(sergeant)
    response = client.post(
        reverse("investigations:oversight-review", args=[inv.uuid]), {"outcome": "satisfactory"}
    )
    assert response.status_code == 302 and OversightReview.objects.count() == 1
    response = client.post(reverse("investigations:allocate", args=[inv.uuid]), {"team": team.pk})
    assert response.status_code == 302
    inv.refresh_from_db()
    assert not inv.is_external


def test_the_escalation_page_acknowledges_and_resolves(inv, sergeant, other_team):
    entry = services.escalation_raise(
        actor=None, trigger=EscalationTrigger.DECISION_OVERDUE, investigation=inv
    )
    url = reverse("investigations:escalation", args=[entry.uuid])
    outsider = make_user(Role.SUPERVISOR, other_team)
    assert verified_client(outsider).get(url).status_code == 404
    client = verified_client(sergeant)
    assert client.post(url, {"action": "acknowledge"}).status_code == 302
    response = client.post(url, {"action": "resolve", "outcome": ""})
    assert "Enter the outcome" in response.content.decode()
    assert client.post(url, {"action": "resolve", "outcome": "Done"}).status_code == 302
    entry.refresh_from_db()
    assert entry.acknowledged_by == sergeant and entry.outcome == "Done"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["list", "board", "escalations"])
def test_lists_take_a_fixed_number_of_queries(team, unit, sergeant, name):
    client = verified_client(sergeant)
    url = reverse(f"investigations:{name}")

    def add():
        inv = make_investigation(team, allocated_team=unit, actor=sergeant)
        services.escalation_raise(
            actor=None, trigger=EscalationTrigger.DECISION_OVERDUE, investigation=inv
        )
        services.oversight_review_record(actor=sergeant, investigation=inv, outcome="satisfactory")

    add()
    _queries(client, url)  # the first request of a session loads more (its warm-up)
    first = _queries(client, url)
    for _ in range(4):
        add()
    assert _queries(client, url) == first


def test_the_list_filters(team, unit, sergeant, officer):
    mine = make_investigation(team, officer=officer, actor=sergeant)
    external = make_investigation(team, allocated_team=unit, actor=sergeant)
    client = verified_client(officer)
    body = client.get(reverse("investigations:list") + "?mine=on").content.decode()
    assert mine.suspect.given_name in body and external.suspect.given_name not in body
    body = client.get(reverse("investigations:list") + "?external=on").content.decode()
    assert external.suspect.given_name in body and mine.suspect.given_name not in body
