"""Reassessment on events and on a schedule (point B), with band changes."""

import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Role
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import services
from vigil.investigations.choices import DecisionKind, EscalationTrigger, State
from vigil.investigations.models import EscalationLogEntry, Reassessment
from vigil.investigations.tests.helpers import HIGH, MEDIUM, make_investigation, reassess

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def test_it_records_the_reassessment_with_trigger_and_band_change(team, officer):
    investigation = make_investigation(team, officer=officer, risk_band="low")
    r = reassess(investigation, officer, answers=MEDIUM, trigger="new_intelligence")
    assert (r.previous_band, r.band, r.band_changed) == ("low", "medium", True)
    assert r.assessment.instrument_code == "referral-risk"
    assert r.assessment.subject_id == investigation.uuid
    investigation.refresh_from_db()
    assert investigation.risk_band == "medium"
    again = reassess(investigation, officer, answers=MEDIUM, trigger="scheduled")
    assert not again.band_changed


def test_it_reschedules_the_reassessment_duty_by_policy(team, officer):
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, officer=officer)
        assert investigation.reassessment_due_at == T0 + dt.timedelta(days=28)
    policy_override_create(
        allow_past=True,  # a past date, to test the history
        actor=make_user(Role.ADMIN, team),
        key="investigations.reassessment_interval_days",
        value=14,
        effective_from=T0,
        reason="More often",
    )
    with time_machine.travel(T0 + dt.timedelta(days=10), tick=False):
        reassess(investigation, officer)
    due = T0 + dt.timedelta(days=24)
    assert investigation.reassessment_due_at == due
    open_duty = Duty.objects.get(kind=kinds.REASSESSMENT, completed_at=None)
    assert open_duty.due_at == due
    assert Duty.objects.filter(kind=kinds.REASSESSMENT).count() == 2


def test_it_asks_for_a_reassessment_after_arrest_and_closes_it_when_done(team, officer):
    investigation = make_investigation(team, officer=officer)
    reassess(investigation, officer)
    services.enforcement_decision_record(
        actor=officer,
        investigation=investigation,
        kind=DecisionKind.ARREST,
        rationale="r",
        welfare_assessment="no_indication",
    )
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.POST_ARREST
    )
    duty = Duty.objects.get(kind=kinds.EVENT_REASSESSMENT)
    assert duty.completed_at is None
    assert duties_check(kinds=[kinds.EVENT_REASSESSMENT, kinds.REASSESSMENT]) == []
    reassess(investigation, officer, trigger="after_arrest")
    duty.refresh_from_db()
    assert duty.completed_at is not None
    assert investigation.event_reassessment_due_at is None


def test_it_escalates_a_band_raised_to_high(team, officer):
    investigation = make_investigation(team, officer=officer, risk_band="medium")
    reassess(investigation, officer, answers=HIGH)
    entry = EscalationLogEntry.objects.get()
    assert entry.trigger == EscalationTrigger.BAND_RAISED and entry.level == 1
    assert entry.team == team and entry.investigation == investigation
    assert Duty.objects.filter(kind=kinds.ESCALATION_ACKNOWLEDGE, completed_at=None).exists()
    reassess(investigation, officer, answers=HIGH)  # no change, no second entry
    assert EscalationLogEntry.objects.count() == 1


def test_it_does_not_escalate_a_band_raise_the_policy_turns_off(team, officer):
    policy_override_create(
        actor=make_user(Role.ADMIN, team),
        key="investigations.escalation_level.band_raised",
        value=0,
        effective_from=None,
        reason="Off",
    )
    investigation = make_investigation(team, officer=officer, risk_band="low")
    reassess(investigation, officer, answers=HIGH)
    assert not EscalationLogEntry.objects.exists()


def test_it_refuses_a_bad_trigger_and_a_closed_investigation(team, officer):
    investigation = make_investigation(team, officer=officer)
    with pytest.raises(ValidationFailed):
        reassess(investigation, officer, trigger="initial")
    services.enforcement_decision_record(
        actor=officer, investigation=investigation, kind=DecisionKind.NFA, rationale="No evidence"
    )
    with pytest.raises(Conflict):
        reassess(investigation, officer)
    assert Reassessment.objects.count() == 0


def test_duties_check_is_clean_through_a_lifecycle(team, unit, officer, sergeant):
    investigation = make_investigation(team, allocated_team=unit, officer=officer)
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.AWAITING_ENFORCEMENT
    )
    assert [d for d in duties_check() if d.kind.startswith("investigations.")] == []
    reassess(investigation, officer, answers=HIGH)
    services.enforcement_decision_record(
        actor=officer,
        investigation=investigation,
        kind=DecisionKind.ARREST,
        rationale="r",
        welfare_assessment="no_indication",
    )
    services.oversight_review_record(
        actor=sergeant, investigation=investigation, outcome="satisfactory"
    )
    assert [d for d in duties_check() if d.kind.startswith("investigations.")] == []
