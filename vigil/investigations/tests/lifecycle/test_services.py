"""The state machine: allowed moves, refusals, transitions recorded, decision points."""

import pytest

from vigil.audit.models import AuditEvent
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.duties.models import Duty
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import lifecycle, services
from vigil.investigations.choices import DecisionKind, State
from vigil.investigations.models import DecisionPoint, Transition
from vigil.investigations.tests.helpers import make_investigation, reassess

pytestmark = pytest.mark.django_db


def test_it_decisions_only_make_moves_of_the_table():
    for kind, (sources, target) in lifecycle.DECISIONS.items():
        for source in sources:
            assert lifecycle.move(source, target).how == lifecycle.DECISION, (kind, source)


def test_it_opens_in_research_with_a_transition_and_a_reassessment_duty(team, officer):
    investigation = make_investigation(team, officer=officer)
    assert investigation.state == State.RESEARCH
    assert Transition.objects.get(investigation=investigation).to_state == State.RESEARCH
    duty = Duty.objects.get(kind=kinds.REASSESSMENT, subject_id=investigation.uuid)
    assert duty.assignee == officer and duty.team == team
    assert not Duty.objects.filter(kind=kinds.OVERSIGHT_REVIEW).exists()


def test_it_records_a_manual_move_with_actor_time_and_audit(team, officer):
    investigation = make_investigation(team, officer=officer)
    services.investigation_transition(
        actor=officer,
        investigation=investigation,
        to_state=State.AWAITING_ENFORCEMENT,
        note="Research done",
    )
    investigation.refresh_from_db()
    assert investigation.state == State.AWAITING_ENFORCEMENT
    t = Transition.objects.filter(investigation=investigation).last()
    assert (t.from_state, t.to_state, t.actor, t.note) == (
        State.RESEARCH,
        State.AWAITING_ENFORCEMENT,
        officer,
        "Research done",
    )
    event = AuditEvent.objects.filter(action="investigation.transition").get()
    assert event.changes["state"] == [State.RESEARCH, State.AWAITING_ENFORCEMENT]
    point = DecisionPoint.objects.get(investigation=investigation)
    assert point.kind == "enforcement" and point.decided_at is None
    assert Duty.objects.filter(
        kind=kinds.ENFORCEMENT_DECISION, subject_id=investigation.uuid, completed_at=None
    ).exists()


def test_it_refuses_a_move_not_in_the_table(team, officer):
    investigation = make_investigation(team, officer=officer)
    with pytest.raises(ValidationFailed) as exc:
        services.investigation_transition(
            actor=officer, investigation=investigation, to_state=State.CHARGED
        )
    assert "cannot move from “Research” to “Charged”" in str(exc.value.message)
    assert Transition.objects.filter(investigation=investigation).count() == 1


def test_it_refuses_by_hand_a_move_only_a_decision_makes(team, officer):
    investigation = make_investigation(team, officer=officer)
    with pytest.raises(ValidationFailed) as exc:
        services.investigation_transition(
            actor=officer, investigation=investigation, to_state=State.NFA
        )
    assert "needs an enforcement decision" in str(exc.value.message)


def test_it_withdraws_the_decision_point_when_going_back_to_research(team, officer):
    investigation = make_investigation(team, officer=officer)
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.AWAITING_ENFORCEMENT
    )
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.RESEARCH
    )
    point = DecisionPoint.objects.get(investigation=investigation)
    assert point.withdrawn_at is not None
    assert not Duty.objects.filter(
        kind=kinds.ENFORCEMENT_DECISION, completed_at=None, subject_id=investigation.uuid
    ).exists()


def test_it_goes_through_a_whole_lifecycle_and_stops_the_schedules_at_the_end(
    team, officer, inspector
):
    investigation = make_investigation(team, officer=officer)
    reassess(investigation, officer)
    services.enforcement_decision_record(
        actor=officer,
        investigation=investigation,
        kind=DecisionKind.ARREST,
        rationale="Risk",
        welfare_assessment="no_indication",
    )
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.POST_ARREST
    )
    assert investigation.event_reassessment_trigger == "after_arrest"
    services.enforcement_decision_record(
        actor=officer, investigation=investigation, kind=DecisionKind.CHARGE, rationale="CPS"
    )
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.CLOSED
    )
    investigation.refresh_from_db()
    assert investigation.state == State.CLOSED and investigation.closed_at is not None
    assert investigation.reassessment_due_at is None
    assert not Duty.objects.filter(subject_id=investigation.uuid, completed_at=None).exists()
    states = list(
        Transition.objects.filter(investigation=investigation).values_list("to_state", flat=True)
    )
    assert states == ["research", "enforcement", "post_arrest", "charged", "closed"]


def test_it_refuses_an_analyst_and_hides_it_from_another_team(team, other_team):
    from vigil.accounts.choices import Role
    from vigil.core.testing import make_user

    investigation = make_investigation(team)
    with pytest.raises(PermissionDenied):
        services.investigation_transition(
            actor=make_user(Role.ANALYST, team),
            investigation=investigation,
            to_state=State.AWAITING_ENFORCEMENT,
        )
    with pytest.raises(NotFound):
        services.investigation_transition(
            actor=make_user(Role.OFFICER, other_team),
            investigation=investigation,
            to_state=State.AWAITING_ENFORCEMENT,
        )


def test_it_lets_an_officer_of_the_allocated_unit_work_it(team, unit, unit_officer):
    investigation = make_investigation(team, allocated_team=unit, officer=unit_officer)
    reassessment = reassess(investigation, unit_officer)
    services.investigation_transition(
        actor=unit_officer, investigation=investigation, to_state=State.AWAITING_ENFORCEMENT
    )
    assert reassessment.assessment.person is None  # the suspect's record is POLIT's
    assert investigation.state == State.AWAITING_ENFORCEMENT
