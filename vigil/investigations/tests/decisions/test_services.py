"""Enforcement decisions (point E) and the reassessment before enforcement (point B)."""

import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Rank, Role, Scope
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user
from vigil.duties.models import Duty
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import services
from vigil.investigations.choices import DecisionKind, State
from vigil.investigations.models import DecisionPoint, EnforcementDecision
from vigil.investigations.tests.helpers import make_investigation, reassess

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _arrest(investigation, actor, **kwargs):
    kind = kwargs.pop("kind", DecisionKind.ARREST)
    if kind in (DecisionKind.ARREST, DecisionKind.VOLUNTARY_ATTENDANCE):
        kwargs.setdefault("welfare_assessment", "no_indication")
    return services.enforcement_decision_record(
        actor=actor,
        investigation=investigation,
        kind=kind,
        rationale=kwargs.pop("rationale", "Risk to children in the household"),
        **kwargs,
    )


def _post_arrest(team, officer):
    investigation = make_investigation(team, officer=officer)
    reassess(investigation, officer)
    _arrest(investigation, officer)
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.POST_ARREST
    )
    return investigation


@pytest.mark.parametrize(
    ("elapsed", "allowed"),
    [
        (dt.timedelta(days=7), True),
        (dt.timedelta(days=7, seconds=1), False),
    ],
)
def test_it_needs_a_reassessment_within_the_window_before_enforcement(
    team, officer, elapsed, allowed
):
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, officer=officer)
        reassess(investigation, officer)
    with time_machine.travel(T0 + elapsed, tick=False):
        if allowed:
            decision = _arrest(investigation, officer)
            assert decision.reassessed_in_window and decision.reassessment_window_days == 7
            assert decision.preceding_reassessment is not None
        else:
            with pytest.raises(ValidationFailed) as exc:
                _arrest(investigation, officer)
            assert "within the 7 days before" in str(exc.value.message)
            assert not EnforcementDecision.objects.exists()
            investigation.refresh_from_db()
            assert investigation.state == State.RESEARCH


def test_it_takes_the_window_from_the_policy_in_force(team, officer):
    admin = make_user(Role.ADMIN, team)
    policy_override_create(
        allow_past=True,  # a past date, to test the history
        actor=admin,
        key="investigations.reassessment_before_enforcement_days",
        value=3,
        effective_from=T0 - dt.timedelta(days=30),
        reason="Force decision",
    )
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, officer=officer)
        reassess(investigation, officer)
    with time_machine.travel(T0 + dt.timedelta(days=4), tick=False):
        with pytest.raises(ValidationFailed) as exc:
            _arrest(investigation, officer)
        assert "within the 3 days" in str(exc.value.message)


def test_it_lets_a_supervisor_override_with_a_reason_but_not_an_officer(team, officer, sergeant):
    investigation = make_investigation(team, officer=officer)
    with pytest.raises(PermissionDenied):
        _arrest(investigation, officer, override_rationale="Urgent: live abuse")
    decision = _arrest(investigation, sergeant, override_rationale="Urgent: live abuse")
    assert decision.override_by == sergeant and not decision.reassessed_in_window
    from vigil.audit.models import AuditEvent

    assert AuditEvent.objects.get(action="investigation.decision").reason == "Urgent: live abuse"


def test_it_requires_a_rationale(team, officer):
    investigation = make_investigation(team, officer=officer)
    reassess(investigation, officer)
    with pytest.raises(ValidationFailed) as exc:
        _arrest(investigation, officer, rationale="  ")
    assert exc.value.errors[0][0] == "rationale"


def test_it_refuses_a_decision_not_possible_in_the_state(team, officer):
    investigation = make_investigation(team, officer=officer)
    with pytest.raises(ValidationFailed) as exc:
        _arrest(investigation, officer, kind=DecisionKind.CHARGE)
    assert "cannot be recorded while the investigation is research" in str(exc.value.message)


def test_it_settles_the_decision_point_and_its_duty_and_marks_the_referral_actioned(team, officer):
    investigation = make_investigation(team, officer=officer)
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.AWAITING_ENFORCEMENT
    )
    reassess(investigation, officer, trigger="before_enforcement")
    decision = _arrest(investigation, officer, kind=DecisionKind.VOLUNTARY_ATTENDANCE)
    point = DecisionPoint.objects.get(investigation=investigation)
    assert point.decided_at == decision.decided_at and decision.decision_point == point
    assert Duty.objects.get(kind=kinds.ENFORCEMENT_DECISION).completed_at is not None
    investigation.referral.refresh_from_db()
    assert investigation.referral.actioned_at is not None
    assert investigation.state == State.ENFORCEMENT


def test_it_opens_the_decision_after_arrest_due_by_policy(team, officer):
    with time_machine.travel(T0, tick=False):
        investigation = _post_arrest(team, officer)
    point = DecisionPoint.objects.get(investigation=investigation, kind="post_arrest")
    assert point.due_at == T0 + dt.timedelta(days=1)
    duty = Duty.objects.get(kind=kinds.POST_ARREST_DECISION, subject_id=investigation.uuid)
    assert duty.due_at == point.due_at


RUI = {"kind": DecisionKind.RUI, "exceptional_rationale": "Complex device examination"}


def test_it_refuses_rui_below_inspector_naming_the_rank(team, officer, sergeant):
    investigation = _post_arrest(team, officer)
    with pytest.raises(PermissionDenied) as exc:
        _arrest(investigation, sergeant, **RUI)
    assert "authorised by the rank of inspector or above" in str(exc.value.message)
    assert "Your rank is sergeant" in str(exc.value.message)
    assert not EnforcementDecision.objects.filter(kind=DecisionKind.RUI).exists()
    investigation.refresh_from_db()
    assert investigation.state == State.POST_ARREST


@pytest.mark.parametrize("rank", [Rank.INSPECTOR, Rank.CHIEF_INSPECTOR, Rank.STAFF_MANAGER])
def test_it_accepts_rui_at_or_above_inspector(team, officer, rank):
    investigation = _post_arrest(team, officer)
    authoriser = make_user(Role.MANAGER, team, rank=rank)
    decision = _arrest(investigation, authoriser, **RUI)
    assert decision.authorised_by == authoriser and decision.authorising_rank == "inspector"
    assert decision.exceptional_rationale == "Complex device examination"
    investigation.refresh_from_db()
    assert investigation.state == State.RUI


def test_it_needs_exceptional_circumstances_for_rui(team, officer, inspector):
    investigation = _post_arrest(team, officer)
    with pytest.raises(ValidationFailed) as exc:
        _arrest(investigation, inspector, kind=DecisionKind.RUI)
    assert exc.value.errors[0][0] == "exceptional_rationale"


def test_it_takes_the_rui_rank_from_policy(team, officer, inspector):
    admin = make_user(Role.ADMIN, team, scope=Scope.FORCE)
    policy_override_create(
        actor=admin,
        key="investigations.rui_authorising_rank",
        value=5,
        effective_from=None,
        reason="Superintendent authority",
    )
    investigation = _post_arrest(team, officer)
    with pytest.raises(PermissionDenied) as exc:
        _arrest(investigation, inspector, **RUI)
    assert "rank of superintendent" in str(exc.value.message)


def test_it_asks_for_a_reassessment_on_return_from_bail(team, officer, sergeant):
    investigation = _post_arrest(team, officer)
    _arrest(investigation, sergeant, kind=DecisionKind.PRE_CHARGE_BAIL)
    assert investigation.state == State.ON_BAIL
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.POST_ARREST
    )
    assert investigation.event_reassessment_trigger == "bail_return"
    assert DecisionPoint.objects.filter(
        investigation=investigation, kind="post_arrest", decided_at=None
    ).exists()
