"""An investigation's lifecycle: opening it from an allocated referral and moving it
through its states (see `vigil.investigations.lifecycle`), with the decision points,
reassessments and oversight each state calls for.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.exceptions import ValidationFailed
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties import services as duties
from vigil.duties.choices import RiskLevel
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import lifecycle
from vigil.investigations.choices import OPEN_STATES, DecisionPointKind, ReassessmentTrigger, State
from vigil.investigations.models import DecisionPoint, Investigation, Reassessment, Transition
from vigil.investigations.services.bail import BAIL_END_REASON, _bail_end
from vigil.investigations.services.common import (
    _check_can_work,
    _days,
    _lock,
    _mark_referral_actioned,
    _open_duty,
    _refresh,
    _schedule_oversight,
    _schedule_reassessment,
    _stop_oversight,
)


@transaction.atomic
def investigation_open(*, actor, referral, allocated_team, allocated_officer=None) -> Investigation:
    """Open the investigation of a referral's suspect when the referral is allocated.

    The referral's receiving team owns it; `allocated_team` may be another unit. Opening an
    investigation that already exists for the referral returns it unchanged.

    Steps: create it in research with the referral's band; link the referral's assessment
    as the first in its history; schedule the first reassessment (policy interval after
    the referral's assessment, or after opening); if allocated outside the owning team,
    schedule the owning team's oversight review; audit.
    """
    existing = Investigation.objects.filter(referral=referral).first()
    if existing is not None:
        return existing
    now = clock.now()
    values = policy_values(
        ["investigations.reassessment_interval_days", "investigations.oversight_review_days"],
        at=now,
    )
    assessment = getattr(referral, "assessment", None)
    assessed_at = assessment.completed_at if assessment is not None else None
    investigation = Investigation.objects.create(
        referral=referral,
        suspect=referral.suspect,
        owning_team=referral.team,
        allocated_team=allocated_team,
        allocated_officer=allocated_officer,
        state=State.RESEARCH,
        opened_at=now,
        risk_band=referral.risk_band or "",
        last_assessed_at=assessed_at,
    )
    Transition.objects.create(
        investigation=investigation, from_state="", to_state=State.RESEARCH, actor=actor, at=now
    )
    if assessment is not None and assessment.final_band in RiskLevel.values:
        Reassessment.objects.create(
            investigation=investigation,
            assessment=assessment,
            trigger=ReassessmentTrigger.INITIAL,
            band=assessment.final_band,
            assessed_at=assessment.completed_at,
            assessed_by_id=assessment.assessor_id,
        )
    interval = _days(values["investigations.reassessment_interval_days"])
    _schedule_reassessment(actor, investigation, (assessed_at or now) + interval)
    if investigation.is_external:
        _schedule_oversight(
            actor, investigation, now + _days(values["investigations.oversight_review_days"])
        )
    investigation.save(update_fields=["reassessment_due_at", "oversight_due_at", "updated_at"])
    audit.record(
        actor,
        "investigation.open",
        investigation,
        person=referral.suspect,
        changes={"referral": str(referral.uuid), "allocated_team": str(allocated_team.uuid)},
    )
    return investigation


def _open_decision_point(actor, investigation: Investigation, kind: str, now) -> DecisionPoint:
    key = (
        "investigations.enforcement_decision_days"
        if kind == DecisionPointKind.ENFORCEMENT
        else "investigations.post_arrest_decision_days"
    )
    due_at = now + _days(policy_value(key, at=now))
    point = DecisionPoint.objects.create(
        investigation=investigation, kind=kind, reached_at=now, due_at=due_at
    )
    _open_duty(actor, kinds.DECISION_DUTY[kind], investigation, due_at)
    return point


def _withdraw_decision_points(actor, investigation: Investigation, now) -> None:
    """Leaving a decision point undecided (by hand) withdraws it and its duty."""
    for point in DecisionPoint.objects.filter(
        investigation=investigation, decided_at__isnull=True, withdrawn_at__isnull=True
    ):
        point.withdrawn_at = now
        point.save(update_fields=["withdrawn_at", "updated_at"])
        duties.duty_complete(
            actor=actor, kind=kinds.DECISION_DUTY[point.kind], subject=investigation
        )


def _request_event_reassessment(actor, investigation: Investigation, trigger: str, now) -> None:
    due_at = now + _days(policy_value("investigations.event_reassessment_days", at=now))
    investigation.event_reassessment_due_at = due_at
    investigation.event_reassessment_trigger = trigger
    _open_duty(actor, kinds.EVENT_REASSESSMENT, investigation, due_at)


def _move(actor, investigation: Investigation, to_state: str, *, note: str, now, manual: bool):
    """Make one move of the table and its consequences (the investigation is locked).

    Steps: refuse a move not in the table (or, by hand, a move only a decision makes);
    record the Transition; withdraw an undecided decision point being left; open the
    decision point of the state entered; ask for a reassessment after an arrest or a
    return from bail; stop the schedules when the investigation ends, restart them when
    it is reopened; save; audit.
    """
    from_state = investigation.state
    move = lifecycle.move(from_state, to_state)
    if to_state not in State.values:
        raise ValidationFailed(_("Choose the state to move the investigation to"), field="to_state")
    if move is None:
        raise ValidationFailed(
            _(
                "An investigation cannot move from “%(from)s” to “%(to)s”. Choose one of the "
                "moves offered."
            )
            % {"from": State(from_state).label, "to": State(to_state).label},
            field="to_state",
        )
    if manual and move.how == lifecycle.DECISION:
        raise ValidationFailed(
            _(
                "Moving to “%(to)s” needs an enforcement decision with its rationale. Record "
                "the decision instead."
            )
            % {"to": State(to_state).label},
            field="to_state",
        )
    Transition.objects.create(
        investigation=investigation,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        at=now,
        note=note,
    )
    if manual:
        _withdraw_decision_points(actor, investigation, now)
    if from_state == State.ON_BAIL:
        _bail_end(actor, investigation, now, BAIL_END_REASON[to_state])
    investigation.state = to_state
    point_kind = lifecycle.DECISION_POINT_ON_ENTRY.get(to_state)
    if point_kind is not None:
        _open_decision_point(actor, investigation, point_kind, now)
    if to_state == State.POST_ARREST:
        trigger = (
            ReassessmentTrigger.BAIL_RETURN
            if from_state == State.ON_BAIL
            else ReassessmentTrigger.AFTER_ARREST
        )
        _request_event_reassessment(actor, investigation, trigger, now)
    was_open, is_open = from_state in OPEN_STATES, to_state in OPEN_STATES
    if was_open and not is_open:
        for kind in (kinds.REASSESSMENT, kinds.EVENT_REASSESSMENT, kinds.FAMILY_SUPPORT):
            duties.duty_complete(actor=actor, kind=kind, subject=investigation)
        investigation.reassessment_due_at = None
        investigation.event_reassessment_due_at = None
        investigation.event_reassessment_trigger = ""
        _stop_oversight(actor, investigation)
    elif is_open and not was_open:
        # Reopened: reassess soon, on the new intelligence, and resume oversight.
        due_at = now + _days(policy_value("investigations.event_reassessment_days", at=now))
        _schedule_reassessment(actor, investigation, due_at)
        if investigation.is_external:
            _schedule_oversight(
                actor,
                investigation,
                now + _days(policy_value("investigations.oversight_review_days", at=now)),
            )
    investigation.closed_at = now if to_state == State.CLOSED else None
    investigation.save()
    audit.record(
        actor,
        "investigation.transition",
        investigation,
        person=investigation.suspect,
        changes={"state": [from_state, to_state], "how": move.how},
        reason=note,
    )


@transaction.atomic
def investigation_transition(*, actor, investigation: Investigation, to_state: str, note: str = ""):
    """Move an investigation by hand along the lifecycle table (lifecycle.MOVES).

    Refused with a clear message when the move is not in the table, or when only an
    enforcement decision makes it. Every move is a Transition with actor and time, audited.
    """
    _check_can_work(actor, investigation)
    locked = _lock(investigation)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationFailed(_("The note must be 2,000 characters or fewer"), field="note")
    now = clock.now()
    _move(actor, locked, to_state, note=note, now=now, manual=True)
    _mark_referral_actioned(actor, locked, now)
    _refresh(investigation, locked)
    return investigation
