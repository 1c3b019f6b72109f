"""Writes for investigations: opening, the lifecycle's moves, reassessment, enforcement
decisions, oversight of work allocated outside the team, and the central escalation log.

Every service locks the investigation, checks role and scope (a user who cannot see the
investigation gets NotFound, as if it did not exist), makes the change, and in the same
transaction records the audit event and opens or completes the duties it implies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, RANK_LEVEL, SUPERVISORY_ROLES, Rank, Role
from vigil.accounts.models import Force
from vigil.core import clock
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties import services as duties
from vigil.duties.choices import RISK_ORDER, EscalationLevel, RiskLevel
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import lifecycle, selectors
from vigil.investigations.choices import (
    ENFORCEMENT_KINDS,
    NEXT_STAGE,
    OPEN_STATES,
    BailEndReason,
    BailStage,
    CheckOutcome,
    CourtOutcome,
    DecisionKind,
    DecisionPointKind,
    EscalationTrigger,
    ReassessmentTrigger,
    ReviewOutcome,
    State,
    SupportOfferStatus,
    WelfareAssessment,
)
from vigil.investigations.models import (
    Bail,
    BailCondition,
    BailConditionCheck,
    BailCourtApplication,
    BailPeriod,
    DecisionPoint,
    EnforcementDecision,
    EscalationLogEntry,
    FamilySupportOffer,
    Investigation,
    OversightReview,
    Reassessment,
    SupportOrganisation,
    Transition,
    VictimViews,
)
from vigil.investigations.policies import BAIL_STAGE_POLICIES, trigger_level_key

INSTRUMENT = "referral-risk"
# Roles that work an investigation (analysts read it; they do not move it or decide).
WORK_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.MANAGER})
# Police ranks by authorisation level, for naming the rank a decision needs.
POLICE_RANK_AT_LEVEL = {
    RANK_LEVEL[r]: r
    for r in (
        Rank.SERGEANT,
        Rank.INSPECTOR,
        Rank.CHIEF_INSPECTOR,
        Rank.SUPERINTENDENT,
        Rank.CHIEF_SUPERINTENDENT,
        Rank.CHIEF_OFFICER,
    )
}
HIGH_BANDS = frozenset({RiskLevel.HIGH, RiskLevel.VERY_HIGH})


def _days(n) -> dt.timedelta:
    return dt.timedelta(days=int(n))


def _not_found() -> NotFound:
    return NotFound(_("There is no investigation with that id, or you do not have access to it."))


# --- access ------------------------------------------------------------------------------


def reaches(user, team, roles) -> bool:
    """Whether `user` reaches `team` through a membership with one of `roles`."""
    team_ids, force_ids = access.team_scope(user, roles)
    return team.pk in team_ids or team.force_id in force_ids


def reaches_investigation(user, investigation: Investigation, roles=CASEWORK_ROLES) -> bool:
    """Scope of an investigation: its owning team OR the team it is allocated to."""
    return reaches(user, investigation.owning_team, roles) or reaches(
        user, investigation.allocated_team, roles
    )


def _suspect_visible(user, investigation: Investigation) -> bool:
    suspect = investigation.suspect
    if not suspect.is_restricted:
        return True
    return suspect.restricted_to.filter(pk=user.pk).exists()


def _check_can_work(actor, investigation: Investigation) -> None:
    """Role first (403), then scope and need-to-know (404, as if missing)."""
    if not (access.has_role(actor, *WORK_ROLES)):
        raise PermissionDenied(_("Only officers, supervisors and managers can work a case."))
    if not reaches_investigation(actor, investigation, WORK_ROLES) or not _suspect_visible(
        actor, investigation
    ):
        raise _not_found()


def _check_owning_supervisor(actor, investigation: Investigation) -> None:
    if not access.is_supervisor(actor):
        raise PermissionDenied(_("Only a supervisor or manager of the owning team can do this."))
    if not reaches(actor, investigation.owning_team, SUPERVISORY_ROLES):
        if reaches_investigation(actor, investigation):
            raise PermissionDenied(
                _("Only a supervisor or manager of %(team)s can do this.")
                % {"team": investigation.owning_team.name}
            )
        raise _not_found()


def _lock(investigation: Investigation) -> Investigation:
    return (
        Investigation.objects.select_for_update(of=("self",))
        .select_related("owning_team", "allocated_team", "suspect", "referral", "allocated_officer")
        .get(pk=investigation.pk)
    )


def _refresh(target: Investigation, source: Investigation) -> None:
    """Copy the saved fields onto the caller's instance so that it sees the change."""
    for field in Investigation._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _mark_referral_actioned(actor, investigation: Investigation, at) -> None:
    """Point A: the referral's first action is the investigation's first recorded work."""
    if investigation.referral_id is None:
        return
    from vigil.referrals.services import referral_mark_actioned

    referral_mark_actioned(actor=actor, referral=investigation.referral, at=at)


def rank_label(level: int) -> str:
    rank = POLICE_RANK_AT_LEVEL.get(int(level), Rank.INSPECTOR)
    return str(Rank(rank).label).lower()


# --- duties ------------------------------------------------------------------------------


def _open_duty(actor, kind: str, investigation: Investigation, due_at, *, note: str = ""):
    return duties.duty_open(
        actor=actor,
        kind=kind,
        subject=investigation,
        team=investigation.owning_team,
        person=investigation.suspect,
        assignee=investigation.allocated_officer,
        risk_level=investigation.risk_band or RiskLevel.MEDIUM,
        due_at=due_at,
        note=note,
    )


def _schedule_reassessment(actor, investigation: Investigation, due_at) -> None:
    """(Re)start the scheduled reassessment duty due at `due_at`."""
    duties.duty_complete(actor=actor, kind=kinds.REASSESSMENT, subject=investigation)
    investigation.reassessment_due_at = due_at
    _open_duty(actor, kinds.REASSESSMENT, investigation, due_at)


def _schedule_oversight(actor, investigation: Investigation, due_at) -> None:
    duties.duty_complete(actor=actor, kind=kinds.OVERSIGHT_REVIEW, subject=investigation)
    investigation.oversight_due_at = due_at
    _open_duty(actor, kinds.OVERSIGHT_REVIEW, investigation, due_at)


def _stop_oversight(actor, investigation: Investigation) -> None:
    duties.duty_complete(actor=actor, kind=kinds.OVERSIGHT_REVIEW, subject=investigation)
    investigation.oversight_due_at = None


# --- opening -----------------------------------------------------------------------------


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


# --- the lifecycle -----------------------------------------------------------------------


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


# --- reassessment ------------------------------------------------------------------------


@transaction.atomic
def investigation_reassess(
    *,
    actor,
    investigation: Investigation,
    trigger: str,
    answers: Mapping[str, str],
    override_band: str | None = None,
    override_rationale: str = "",
    version: int | None = None,
) -> Reassessment:
    """Reassess the suspect's risk with the referral instrument.

    Steps: check role and scope; the investigation must be open; record the assessment
    (instruments.assessment_record); link it with its trigger and the band before;
    keep the current band; restart the reassessment schedule (policy interval) and close
    the after-an-event duty; a band raised to high or very high raises an escalation;
    audit; the referral counts as actioned.
    """
    from vigil.instruments.services import assessment_record, person_in_scope

    _check_can_work(actor, investigation)
    locked = _lock(investigation)
    if trigger not in ReassessmentTrigger.values or trigger == ReassessmentTrigger.INITIAL:
        raise ValidationFailed(_("Choose why the risk is being reassessed"), field="trigger")
    if locked.state not in OPEN_STATES:
        raise Conflict(
            _("This investigation is %(state)s. Reopen it before reassessing the risk.")
            % {"state": State(locked.state).label.lower()}
        )
    suspect = locked.suspect
    # An officer of the unit the case is allocated to may not reach the suspect's owning
    # team: the assessment is then linked to the person through this investigation only.
    person = suspect if person_in_scope(actor, suspect, CASEWORK_ROLES) else None
    assessment = assessment_record(
        actor=actor,
        code=INSTRUMENT,
        version=version,
        subject=locked,
        person=person,
        answers=answers,
        override_band=override_band,
        override_rationale=override_rationale,
    )
    now = assessment.completed_at
    previous = locked.risk_band
    reassessment = Reassessment.objects.create(
        investigation=locked,
        assessment=assessment,
        trigger=trigger,
        previous_band=previous,
        band=assessment.final_band,
        assessed_at=now,
        assessed_by=actor,
    )
    locked.risk_band = assessment.final_band
    locked.last_assessed_at = now
    interval = policy_value("investigations.reassessment_interval_days", at=now)
    _schedule_reassessment(actor, locked, now + _days(interval))
    duties.duty_complete(actor=actor, kind=kinds.EVENT_REASSESSMENT, subject=locked)
    locked.event_reassessment_due_at = None
    locked.event_reassessment_trigger = ""
    locked.save()
    audit.record(
        actor,
        "investigation.reassess",
        reassessment,
        person=suspect,
        changes={
            "investigation": str(locked.uuid),
            "trigger": trigger,
            "band": [previous or None, assessment.final_band],
            "assessment": str(assessment.uuid),
        },
    )
    raised = RISK_ORDER.get(assessment.final_band, 9) < RISK_ORDER.get(previous, 9)
    if assessment.final_band in HIGH_BANDS and (raised or not previous):
        escalation_raise(
            actor=actor,
            trigger=EscalationTrigger.BAND_RAISED,
            investigation=locked,
            detail=_("Band %(before)s → %(after)s")
            % {
                "before": RiskLevel(previous).label if previous else "—",
                "after": RiskLevel(assessment.final_band).label,
            },
        )
    _mark_referral_actioned(actor, locked, now)
    _refresh(investigation, locked)
    return reassessment


# --- enforcement decisions ---------------------------------------------------------------


@transaction.atomic
def enforcement_decision_record(
    *,
    actor,
    investigation: Investigation,
    kind: str,
    rationale: str,
    exceptional_rationale: str = "",
    override_rationale: str = "",
    welfare_assessment: str = "",
    welfare_measures: str = "",
    bail_conditions: list[str] | None = None,
    victim_views: str = "",
    victim_views_not_sought_reason: str = "",
    bail_start_date: dt.date | None = None,
) -> EnforcementDecision:
    """Record an enforcement decision about the suspect and make the move it implies.

    Steps:
    1. Role and scope; lock; the decision must be allowed in the current state
       (lifecycle.DECISIONS); a rationale is mandatory.
    2. Release under investigation: an exceptional-circumstances rationale, and the
       decision maker's rank at least the policy's (default inspector) — they authorise it.
    3. Arrest or voluntary attendance: a reassessment within the policy window before it
       (default 7 days), or a supervisor's override with a reason.
       Both also need the suspect welfare prompt: self-harm and suicide risk considered
       (and the measures taken when a risk is identified).
    4. Pre-charge bail: the decision maker's rank at least the custody officer's (policy,
       sergeant); conditions need the alleged victims' views or the reason they were not
       sought.
    5. Settle the open decision point (or record one reached now) and its duty.
    6. Store the decision; move the state (leaving bail ends it; pre-charge bail starts
       it, with its first period, conditions and duties); the first arrest or voluntary
       attendance opens the family-support duty; audit; the referral counts as actioned.
    """
    _check_can_work(actor, investigation)
    locked = _lock(investigation)
    now = clock.now()
    errors: list[tuple[str, str]] = []
    if kind not in DecisionKind.values:
        raise ValidationFailed(_("Choose the decision"), field="kind")
    sources, target = lifecycle.DECISIONS[kind]
    if locked.state not in sources:
        allowed = ", ".join(
            str(DecisionKind(k).label).lower() for k in lifecycle.decisions_allowed(locked.state)
        )
        message = (
            _(
                "“%(decision)s” cannot be recorded while the investigation is %(state)s. "
                "Decisions possible now: %(allowed)s."
            )
            % {
                "decision": DecisionKind(kind).label,
                "state": State(locked.state).label.lower(),
                "allowed": allowed,
            }
            if allowed
            else _("No decision can be recorded while the investigation is %(state)s.")
            % {"state": State(locked.state).label.lower()}
        )
        raise ValidationFailed(message, field="kind")
    rationale = (rationale or "").strip()
    exceptional_rationale = (exceptional_rationale or "").strip()
    override_rationale = (override_rationale or "").strip()
    if not rationale:
        errors.append(("rationale", _("Enter the rationale for the decision")))
    authorised_by = authorised_at = None
    authorising_rank = ""
    if kind == DecisionKind.RUI:
        if not exceptional_rationale:
            errors.append(
                (
                    "exceptional_rationale",
                    _(
                        "Enter the exceptional circumstances that justify release under investigation"
                    ),
                )
            )
        level = int(policy_value("investigations.rui_authorising_rank", at=now))
        authorising_rank = POLICE_RANK_AT_LEVEL.get(level, Rank.INSPECTOR)
        if not access.rank_at_least(actor, authorising_rank):
            raise PermissionDenied(
                _(
                    "Release under investigation must be authorised by the rank of %(rank)s or "
                    "above. Your rank is %(yours)s: ask an officer of the rank of %(rank)s or "
                    "above to record this decision."
                )
                % {
                    "rank": rank_label(level),
                    "yours": str(Rank(actor.rank).label).lower() if actor.rank else "—",
                }
            )
        authorised_by, authorised_at = actor, now
    welfare_assessment = (welfare_assessment or "").strip()
    welfare_measures = (welfare_measures or "").strip()
    if kind in ENFORCEMENT_KINDS:
        if welfare_assessment not in WelfareAssessment.values:
            errors.append(
                (
                    "welfare_assessment",
                    _("Record whether the suspect's risk of self-harm and suicide was considered"),
                )
            )
        elif welfare_assessment == WelfareAssessment.RISK_IDENTIFIED and not welfare_measures:
            errors.append(
                (
                    "welfare_measures",
                    _("Enter the measures taken for the suspect's risk of self-harm or suicide"),
                )
            )
    else:
        welfare_assessment = welfare_measures = ""
    bail_plan = None
    if kind == DecisionKind.PRE_CHARGE_BAIL:
        bail_plan, bail_errors = _bail_plan(
            locked,
            now,
            conditions=bail_conditions,
            views=victim_views,
            not_sought_reason=victim_views_not_sought_reason,
            start_date=bail_start_date,
        )
        errors.extend(bail_errors)
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    if kind == DecisionKind.PRE_CHARGE_BAIL:
        bail_plan["rank"] = _check_bail_rank(actor, BailStage.INITIAL, now)
    preceding = None
    in_window = False
    window = None
    override_by = None
    if kind in ENFORCEMENT_KINDS:
        window = int(policy_value("investigations.reassessment_before_enforcement_days", at=now))
        preceding = (
            Reassessment.objects.filter(investigation=locked, assessed_at__lte=now)
            .order_by("-assessed_at", "-id")
            .first()
        )
        in_window = preceding is not None and preceding.assessed_at >= now - _days(window)
        if not in_window:
            if not override_rationale:
                raise ValidationFailed(
                    _(
                        "The risk must be reassessed within the %(days)s days before an arrest "
                        "or voluntary attendance. Record a reassessment first, or ask a "
                        "supervisor to override this rule with a reason."
                    )
                    % {"days": window},
                    field="override_rationale",
                )
            if not (
                access.is_supervisor(actor)
                and reaches_investigation(actor, locked, SUPERVISORY_ROLES)
            ):
                raise PermissionDenied(
                    _(
                        "Only a supervisor can record an enforcement decision without a "
                        "reassessment in the last %(days)s days. Record a reassessment first."
                    )
                    % {"days": window}
                )
            override_by = actor
        else:
            override_rationale = ""
    else:
        override_rationale = ""
    point_kind = lifecycle.decision_point_kind(kind, locked.state)
    point = DecisionPoint.objects.filter(
        investigation=locked, kind=point_kind, decided_at__isnull=True, withdrawn_at__isnull=True
    ).first()
    if point is None:
        point = DecisionPoint.objects.create(
            investigation=locked, kind=point_kind, reached_at=now, due_at=now
        )
    point.decided_at = now
    point.save(update_fields=["decided_at", "updated_at"])
    duties.duty_complete(actor=actor, kind=kinds.DECISION_DUTY[point_kind], subject=locked)
    decision = EnforcementDecision.objects.create(
        investigation=locked,
        decision_point=point,
        kind=kind,
        from_state=locked.state,
        rationale=rationale,
        decided_by=actor,
        decided_at=now,
        exceptional_rationale=exceptional_rationale if kind == DecisionKind.RUI else "",
        authorised_by=authorised_by,
        authorised_at=authorised_at,
        authorising_rank=authorising_rank,
        preceding_reassessment=preceding,
        reassessed_in_window=in_window,
        reassessment_window_days=window,
        override_by=override_by,
        override_rationale=override_rationale,
        welfare_assessment=welfare_assessment,
        welfare_measures=welfare_measures,
    )
    _move(actor, locked, target, note=str(DecisionKind(kind).label), now=now, manual=False)
    if bail_plan is not None:
        _bail_begin(actor, locked, decision, now, bail_plan)
    if kind in ENFORCEMENT_KINDS and locked.first_enforcement_at is None:
        _family_support_due(actor, locked, now)
    audit.record(
        actor,
        "investigation.decision",
        decision,
        person=locked.suspect,
        changes={
            "investigation": str(locked.uuid),
            "kind": kind,
            "rationale": rationale,
            "exceptional_rationale": decision.exceptional_rationale or None,
            "authorised_by": actor.email if authorised_by else None,
            "reassessed_in_window": in_window if kind in ENFORCEMENT_KINDS else None,
            "override": bool(override_by),
            "welfare_assessment": welfare_assessment or None,
        },
        reason=override_rationale,
    )
    _mark_referral_actioned(actor, locked, now)
    _refresh(investigation, locked)
    return decision


# --- allocation and oversight (point C) --------------------------------------------------


@transaction.atomic
def investigation_allocate(*, actor, investigation: Investigation, team, officer=None):
    """Allocate the investigation to a team (any unit of the force) and optionally an
    officer of it. Owning-team supervisors and managers only.

    Allocated outside the owning team, it gets an oversight review duty for the owning
    team's supervisors (policy interval); brought back in, the duty is closed.
    """
    from vigil.duties.selectors import assignable_officers

    _check_owning_supervisor(actor, investigation)
    locked = _lock(investigation)
    if team is None or team.force_id != locked.owning_team.force_id:
        raise ValidationFailed(_("Choose a team of this force"), field="team")
    if officer is not None and not assignable_officers(team=team).filter(pk=officer.pk).exists():
        raise ValidationFailed(
            _("Choose an officer who works in %(team)s") % {"team": team.name}, field="officer"
        )
    if locked.allocated_team_id == team.pk and locked.allocated_officer_id == (
        officer.pk if officer else None
    ):
        raise ValidationFailed(
            _("The investigation is already allocated there. Choose a different team or officer."),
            field="team",
        )
    before = {
        "team": str(locked.allocated_team.uuid),
        "officer": locked.allocated_officer.email if locked.allocated_officer_id else None,
    }
    was_external = locked.is_external
    locked.allocated_team = team
    locked.allocated_officer = officer
    now = clock.now()
    if locked.state in OPEN_STATES:
        if locked.is_external and not was_external:
            days = policy_value("investigations.oversight_review_days", at=now)
            _schedule_oversight(actor, locked, now + _days(days))
        elif was_external and not locked.is_external:
            _stop_oversight(actor, locked)
    locked.save()
    audit.record(
        actor,
        "investigation.allocate",
        locked,
        person=locked.suspect,
        changes={
            "team": [before["team"], str(team.uuid)],
            "officer": [before["officer"], officer.email if officer else None],
        },
    )
    _refresh(investigation, locked)
    return investigation


@transaction.atomic
def oversight_review_record(
    *, actor, investigation: Investigation, outcome: str, note: str = ""
) -> OversightReview:
    """An owning-team supervisor reviews an investigation allocated to another unit.

    Steps: owning-team supervisor or manager only; the investigation must be open and
    allocated outside the team; outcome satisfactory or action required (with a note
    saying what); record it with the date it was due; complete the duty and schedule
    the next one (policy interval); audit.
    """
    _check_owning_supervisor(actor, investigation)
    locked = _lock(investigation)
    if not locked.is_external:
        raise Conflict(
            _("This investigation is worked by its own team, so it needs no oversight review.")
        )
    if locked.state not in OPEN_STATES:
        raise Conflict(_("This investigation has ended, so it needs no oversight review."))
    note = (note or "").strip()
    errors = []
    if outcome not in ReviewOutcome.values:
        errors.append(("outcome", _("Choose the outcome of the review")))
    if outcome == ReviewOutcome.ACTION_REQUIRED and not note:
        errors.append(("note", _("Say what action is required")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    now = clock.now()
    review = OversightReview.objects.create(
        investigation=locked,
        allocated_team=locked.allocated_team,
        reviewed_by=actor,
        reviewed_at=now,
        outcome=outcome,
        note=note,
        due_at=locked.oversight_due_at,
    )
    days = policy_value("investigations.oversight_review_days", at=now)
    _schedule_oversight(actor, locked, now + _days(days))
    locked.save(update_fields=["oversight_due_at", "updated_at"])
    audit.record(
        actor,
        "investigation.oversight_review",
        review,
        person=locked.suspect,
        changes={"investigation": str(locked.uuid), "outcome": outcome, "note": note},
    )
    _refresh(investigation, locked)
    return review


# --- the escalation log (point C) --------------------------------------------------------


def _escalation_deadlines(now) -> tuple[dt.datetime, dt.datetime]:
    values = policy_values(
        ["investigations.escalation_acknowledge_days", "investigations.escalation_resolve_days"],
        at=now,
    )
    return (
        now + _days(values["investigations.escalation_acknowledge_days"]),
        now + _days(values["investigations.escalation_resolve_days"]),
    )


@transaction.atomic
def escalation_raise(
    *,
    actor,
    trigger: str,
    investigation: Investigation | None = None,
    referral=None,
    level: int | None = None,
    detail: str = "",
) -> EscalationLogEntry | None:
    """Raise an entry in the escalation log, at the trigger's policy level (or `level`, if
    higher). Returns None when the policy turns the trigger off (level 0).

    An open entry for the same trigger and subject is raised to the higher level instead
    of duplicated. Opens the duty to acknowledge it (owning team's supervisors; when not
    acknowledged in time the sweep raises it to the managers). For other apps too: bail
    (BAIL_EXPIRING) and referrals (PRIORITY_TARGET_MISSED) call it.
    """
    if trigger not in EscalationTrigger.values:
        raise ValueError(f"Unknown escalation trigger {trigger!r}")
    if investigation is None and referral is None:
        raise ValueError("An escalation needs an investigation or a referral")
    now = clock.now()
    policy_level = int(policy_value(trigger_level_key(trigger), at=now))
    if policy_level == 0:
        return None
    level = max(policy_level, int(level or 0))
    if investigation is not None:
        existing = EscalationLogEntry.objects.filter(
            investigation=investigation, trigger=trigger, resolved_at__isnull=True
        )
        team = investigation.owning_team
        person = investigation.suspect
        referral = referral or investigation.referral
    else:
        existing = EscalationLogEntry.objects.filter(
            referral=referral, investigation__isnull=True, trigger=trigger, resolved_at__isnull=True
        )
        team = referral.team
        person = referral.suspect
    entry = existing.select_for_update().first()
    if entry is not None:
        if entry.level < level:
            before = entry.level
            entry.level = level
            entry.save(update_fields=["level", "updated_at"])
            audit.record(
                actor,
                "escalation.level",
                entry,
                person=person,
                changes={"level": [before, level], "trigger": trigger},
            )
        return entry
    acknowledge_by, resolve_by = _escalation_deadlines(now)
    entry = EscalationLogEntry.objects.create(
        team=team,
        investigation=investigation,
        referral=referral,
        trigger=trigger,
        level=level,
        detail=str(detail)[:300],
        raised_at=now,
        acknowledge_by=acknowledge_by,
        resolve_by=resolve_by,
    )
    duties.duty_open(
        actor=actor,
        kind=kinds.ESCALATION_ACKNOWLEDGE,
        subject=entry,
        team=team,
        person=person,
        risk_level=(investigation.risk_band if investigation else "") or RiskLevel.HIGH,
        due_at=acknowledge_by,
        note=str(EscalationTrigger(trigger).label),
    )
    audit.record(
        actor,
        "escalation.raise",
        entry,
        person=person,
        changes={"trigger": trigger, "level": level, "detail": entry.detail},
    )
    return entry


def escalations_from_duties(*, duties, trigger: str, level: int, now) -> int:
    """The sweep's hook: duties of a kind it has just escalated raise (or lift) entries in
    the escalation log. Subjects are investigations or referrals; one query for each."""
    from vigil.referrals.models import Referral

    inv_ids = [d.subject_id for d in duties if d.subject_type == kinds.INVESTIGATION]
    ref_ids = [d.subject_id for d in duties if d.subject_type == "referrals.referral"]
    raised = 0
    for investigation in Investigation.objects.filter(uuid__in=inv_ids).select_related(
        "owning_team", "suspect", "referral"
    ):
        raised += (
            escalation_raise(actor=None, trigger=trigger, investigation=investigation, level=level)
            is not None
        )
    referrals = Referral.objects.filter(uuid__in=ref_ids).select_related("team", "suspect")
    by_referral = {
        i.referral_id: i
        for i in Investigation.objects.filter(referral__uuid__in=ref_ids).select_related(
            "owning_team", "suspect", "referral"
        )
    }
    for referral in referrals:
        raised += (
            escalation_raise(
                actor=None,
                trigger=trigger,
                investigation=by_referral.get(referral.pk),
                referral=referral,
                level=level,
            )
            is not None
        )
    return raised


def escalations_raise_level(*, duties, level: int, now) -> int:
    """The sweep's hook for unacknowledged escalations: their time limit has passed, so
    they rise to the level the sweep reached (managers)."""
    if level < EscalationLevel.MANAGER:
        return 0
    ids = [d.subject_id for d in duties if d.subject_type == kinds.ENTRY]
    entries = list(
        EscalationLogEntry.objects.select_for_update(of=("self",))
        .filter(uuid__in=ids, resolved_at__isnull=True, level__lt=level)
        .select_related("investigation__suspect", "referral")
    )
    for entry in entries:
        before = entry.level
        entry.level = level
        entry.save(update_fields=["level", "updated_at"])
        audit.record(
            None,
            "escalation.level",
            entry,
            person=entry.investigation.suspect if entry.investigation_id else None,
            changes={"level": [before, level], "reason": "not acknowledged in time"},
        )
    return len(entries)


def _check_escalation_access(actor, entry: EscalationLogEntry) -> None:
    if not access.is_supervisor(actor):
        raise PermissionDenied(_("Only a supervisor or manager can deal with an escalation."))
    teams = [entry.team]
    if entry.investigation_id:
        teams.append(entry.investigation.allocated_team)
    if not any(reaches(actor, t, SUPERVISORY_ROLES) for t in teams):
        raise NotFound(_("There is no escalation with that id, or you do not have access to it."))


def _entry_person(entry):
    if entry.investigation_id:
        return entry.investigation.suspect
    return entry.referral.suspect if entry.referral_id else None


@transaction.atomic
def escalation_acknowledge(*, actor, entry: EscalationLogEntry) -> EscalationLogEntry:
    """A supervisor or manager takes an escalation on: who and when are recorded, the
    acknowledgement duty completes and a duty to resolve it by its time limit opens."""
    _check_escalation_access(actor, entry)
    locked = EscalationLogEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    if locked.resolved_at is not None:
        raise Conflict(_("This escalation has been resolved."))
    if locked.acknowledged_at is not None:
        raise Conflict(
            _("This escalation was acknowledged by %(name)s.")
            % {"name": locked.acknowledged_by.full_name}
        )
    now = clock.now()
    locked.acknowledged_by = actor
    locked.acknowledged_at = now
    locked.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
    person = _entry_person(entry)
    duties.duty_complete(actor=actor, kind=kinds.ESCALATION_ACKNOWLEDGE, subject=locked)
    duties.duty_open(
        actor=actor,
        kind=kinds.ESCALATION_RESOLVE,
        subject=locked,
        team=locked.team,
        person=person,
        assignee=actor,
        risk_level=RiskLevel.HIGH,
        due_at=max(locked.resolve_by, now),
        note=str(locked.get_trigger_display()),
    )
    audit.record(actor, "escalation.acknowledge", locked, person=person, changes={})
    for field in ("acknowledged_by", "acknowledged_at"):
        setattr(entry, field, getattr(locked, field))
    return entry


@transaction.atomic
def escalation_resolve(*, actor, entry: EscalationLogEntry, outcome: str) -> EscalationLogEntry:
    """Resolve an escalation with its outcome (acknowledging it too if nobody had)."""
    _check_escalation_access(actor, entry)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationFailed(_("Enter the outcome: what was done about it"), field="outcome")
    locked = EscalationLogEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    if locked.resolved_at is not None:
        raise Conflict(_("This escalation has already been resolved."))
    now = clock.now()
    if locked.acknowledged_at is None:
        locked.acknowledged_by, locked.acknowledged_at = actor, now
    locked.resolved_by = actor
    locked.resolved_at = now
    locked.outcome = outcome
    locked.save()
    for kind in (kinds.ESCALATION_ACKNOWLEDGE, kinds.ESCALATION_RESOLVE):
        duties.duty_complete(actor=actor, kind=kind, subject=locked)
    audit.record(
        actor,
        "escalation.resolve",
        locked,
        person=_entry_person(entry),
        changes={"outcome": outcome, "within_time": now <= locked.resolve_by},
    )
    for field in ("acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at", "outcome"):
        setattr(entry, field, getattr(locked, field))
    return entry


# --- pre-charge bail (point F) -------------------------------------------------------------

# Police ranks (police staff grades do not authorise bail under PACE).
POLICE_RANKS = frozenset({Rank.CONSTABLE, *POLICE_RANK_AT_LEVEL.values()})
BAIL_END_REASON = {
    State.POST_ARREST: BailEndReason.RETURNED,
    State.RUI: BailEndReason.RUI,
    State.CHARGED: BailEndReason.CHARGED,
    State.NFA: BailEndReason.NFA,
    State.CLOSED: BailEndReason.CAUTION,
}
MAX_CONDITIONS = 30


def _bail_not_found() -> NotFound:
    return NotFound(_("There is no bail with that id, or you do not have access to it."))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus calendar months (31 January + 1 month is 28 or 29 February)."""
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=int(months))


def bail_stage_end(start_date: dt.date, stage: str, at) -> dt.datetime:
    """When a police-authorised stage ends: the applicable bail period is the policy's months
    beginning with the bail start date, so it ends at midnight after its last day."""
    from vigil.core.calendar import start_of_day

    months = policy_value(BAIL_STAGE_POLICIES[stage][0], at=at)
    return start_of_day(add_months(start_date, months))


def bail_stage_rank(stage: str, at=None) -> str:
    """The rank (Rank value) a stage needs, from policy."""
    level = int(policy_value(BAIL_STAGE_POLICIES[stage][3], at=at))
    return POLICE_RANK_AT_LEVEL.get(level, Rank.INSPECTOR)


def _check_bail_rank(actor, stage: str, now) -> str:
    """Refuse, naming the rank needed, unless the actor is a police officer of the rank the
    stage needs (policy; PACE: custody officer, inspector, superintendent)."""
    rank = bail_stage_rank(stage, now)
    label = str(Rank(rank).label).lower()
    yours = str(Rank(actor.rank).label).lower() if getattr(actor, "rank", "") else "—"
    if getattr(actor, "rank", "") not in POLICE_RANKS:
        raise PermissionDenied(
            _(
                "Pre-charge bail is authorised by a police officer: your grade (%(yours)s) "
                "cannot authorise it. Ask an officer of the rank of %(rank)s or above."
            )
            % {"yours": yours, "rank": label}
        )
    if access.rank_at_least(actor, rank):
        return rank
    if stage == BailStage.INITIAL:
        message = _(
            "Pre-charge bail must be authorised by a custody officer of the rank of %(rank)s "
            "or above. Your rank is %(yours)s: ask an officer of the rank of %(rank)s or above "
            "to record this decision."
        )
    else:
        message = _(
            "Extending pre-charge bail to %(months)s months must be authorised by the rank of "
            "%(rank)s or above. Your rank is %(yours)s: ask an officer of the rank of %(rank)s "
            "or above to authorise the extension."
        )
    months = policy_value(BAIL_STAGE_POLICIES[stage][0], at=now)
    raise PermissionDenied(message % {"rank": label, "yours": yours, "months": months})


def _clean_conditions(conditions) -> list[str]:
    return [c.strip() for c in (conditions or []) if c and c.strip()]


def _views_errors(conditions, views: str, reason: str) -> list[tuple[str, str]]:
    if views and reason:
        return [
            (
                "victim_views_not_sought_reason",
                _(
                    "Enter either the alleged victims' views or the reason they were not sought, not both"
                ),
            )
        ]
    if conditions and not (views or reason):
        return [
            (
                "victim_views",
                _(
                    "Enter the alleged victims' views on the conditions, or the reason they were "
                    "not sought"
                ),
            )
        ]
    return []


def _default_bail_start_date(investigation: Investigation, now) -> dt.date:
    """PACE: the bail start date is the day after the arrest (the latest move into
    post-arrest); the day after today when that would give a period already ended."""
    from django.utils import timezone

    arrested = (
        Transition.objects.filter(investigation=investigation, to_state=State.POST_ARREST)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    today = timezone.localdate(now)
    if arrested is None:
        return today + dt.timedelta(days=1)
    start = timezone.localdate(arrested) + dt.timedelta(days=1)
    if bail_stage_end(start, BailStage.INITIAL, now) <= now:
        return today + dt.timedelta(days=1)
    return start


def _bail_plan(investigation, now, *, conditions, views, not_sought_reason, start_date):
    """Validate what starting bail needs (before anything is written): (plan, errors)."""
    from django.utils import timezone

    conditions = _clean_conditions(conditions)
    views = (views or "").strip()
    reason = (not_sought_reason or "").strip()
    errors = _views_errors(conditions, views, reason)
    if len(conditions) > MAX_CONDITIONS:
        errors.append(
            ("bail_conditions", _("Enter at most %(n)s conditions") % {"n": MAX_CONDITIONS})
        )
    if start_date is None:
        start_date = _default_bail_start_date(investigation, now)
    elif start_date > timezone.localdate(now) + dt.timedelta(days=1) or (
        bail_stage_end(start_date, BailStage.INITIAL, now) <= now
    ):
        errors.append(
            (
                "bail_start_date",
                _(
                    "Enter a bail start date (the day after the arrest) that gives a bail period "
                    "not yet ended"
                ),
            )
        )
    plan = {"conditions": conditions, "views": views, "reason": reason, "start_date": start_date}
    return plan, errors


def _check_due(starts_at, ends_at, at) -> dt.datetime:
    percent = int(policy_value("investigations.bail_check_due_percent", at=at))
    return starts_at + (ends_at - starts_at) * percent / 100


def _period_create(actor, bail, stage, starts_at, ends_at, now, *, rank="", rationale="", app=None):
    return BailPeriod.objects.create(
        bail=bail,
        stage=stage,
        starts_at=starts_at,
        ends_at=ends_at,
        check_due_at=_check_due(starts_at, ends_at, now),
        authorised_by=actor,
        authorised_at=now,
        rank_required=rank,
        authoriser_rank=getattr(actor, "rank", "") or "",
        rationale=rationale,
        court_application=app,
    )


def _bail_duty(actor, kind: str, bail: Bail, investigation: Investigation, due_at, note=""):
    return duties.duty_open(
        actor=actor,
        kind=kind,
        subject=bail,
        team=investigation.owning_team,
        person=investigation.suspect,
        assignee=investigation.allocated_officer,
        risk_level=investigation.risk_band or RiskLevel.MEDIUM,
        due_at=due_at,
        note=note,
    )


def _open_expiry_duty(actor, bail: Bail, investigation: Investigation, now) -> None:
    """(Re)open the duty to decide before the bail expires, due the policy's days before."""
    duties.duty_complete(actor=actor, kind=kinds.BAIL_EXPIRY, subject=bail)
    days = policy_value("investigations.bail_expiry_warning_days", at=now)
    _bail_duty(actor, kinds.BAIL_EXPIRY, bail, investigation, bail.ends_at - _days(days))


def _sync_check_duty(actor, bail: Bail, investigation: Investigation, now) -> None:
    """Keep the condition-check duty and `bail.check_due_at` in step with the periods.

    A check is owed while the bail is active, has a condition in force, and its latest
    period has no check. It falls due in the first period without a check that has not
    ended (else the latest); a duty already overdue stays as it is until a check is made.
    """
    from django.db.models import Exists, OuterRef

    from vigil.duties.models import Duty

    periods = list(
        bail.periods.filter(withdrawn_at__isnull=True)
        .annotate(has_check=Exists(BailConditionCheck.objects.filter(period=OuterRef("pk"))))
        .order_by("starts_at", "id")
    )
    has_conditions = bail.conditions.filter(removed_at__isnull=True).exists()
    owed = bail.ended_at is None and has_conditions and periods and not periods[-1].has_check
    open_duty = Duty.objects.filter(
        kind=kinds.BAIL_CONDITION_CHECK,
        subject_type=kinds.BAIL,
        subject_id=bail.uuid,
        completed_at__isnull=True,
    ).first()
    if not owed:
        if open_duty is not None:
            duties.duty_complete(actor=actor, kind=kinds.BAIL_CONDITION_CHECK, subject=bail)
        bail.check_due_at = None
        return
    target = next((p for p in periods if not p.has_check and p.effective_end > now), periods[-1])
    due_at = target.check_due_at
    if open_duty is not None:
        if open_duty.due_at <= now or open_duty.due_at == due_at:
            bail.check_due_at = open_duty.due_at
            return
        duties.duty_complete(actor=actor, kind=kinds.BAIL_CONDITION_CHECK, subject=bail)
    _bail_duty(actor, kinds.BAIL_CONDITION_CHECK, bail, investigation, due_at)
    bail.check_due_at = due_at


def _bail_begin(actor, investigation: Investigation, decision, now, plan) -> Bail:
    """Start bail from the pre-charge bail decision: the bail, its initial period, the
    victims' views and conditions, the expiry and condition-check duties; audit."""
    start_date = plan["start_date"]
    ends_at = bail_stage_end(start_date, BailStage.INITIAL, now)
    bail = Bail.objects.create(
        investigation=investigation,
        decision=decision,
        start_date=start_date,
        started_at=now,
        stage=BailStage.INITIAL,
        ends_at=ends_at,
    )
    _period_create(actor, bail, BailStage.INITIAL, now, ends_at, now, rank=plan["rank"])
    views = None
    if plan["views"] or plan["reason"]:
        views = VictimViews.objects.create(
            bail=bail,
            sought_at=now,
            recorded_by=actor,
            views=plan["views"],
            not_sought_reason=plan["reason"],
        )
    for text in plan["conditions"]:
        BailCondition.objects.create(
            bail=bail, text=text, imposed_at=now, imposed_by=actor, victim_views=views
        )
    _open_expiry_duty(actor, bail, investigation, now)
    _sync_check_duty(actor, bail, investigation, now)
    bail.save(update_fields=["check_due_at", "updated_at"])
    audit.record(
        actor,
        "bail.start",
        bail,
        person=investigation.suspect,
        changes={
            "investigation": str(investigation.uuid),
            "start_date": start_date.isoformat(),
            "ends_at": ends_at.isoformat(),
            "conditions": plan["conditions"],
            "victim_views": plan["views"] or None,
            "victim_views_not_sought_reason": plan["reason"] or None,
            "authorised_rank": plan["rank"],
        },
    )
    return bail


def _bail_end(actor, investigation: Investigation, now, reason: str) -> None:
    """End the active bail: the running period ends early, authorised periods not yet begun
    are withdrawn, the bail's duties complete; audit."""
    bail = (
        Bail.objects.select_for_update().filter(investigation=investigation, ended_at=None).first()
    )
    if bail is None:
        return
    for period in bail.periods.filter(withdrawn_at__isnull=True):
        if period.starts_at >= now:
            period.withdrawn_at = now
            period.save(update_fields=["withdrawn_at", "updated_at"])
        elif period.effective_end > now:
            period.ended_early_at = now
            period.save(update_fields=["ended_early_at", "updated_at"])
    bail.ended_at = now
    bail.end_reason = reason
    bail.check_due_at = None
    bail.save(update_fields=["ended_at", "end_reason", "check_due_at", "updated_at"])
    for kind in (kinds.BAIL_EXPIRY, kinds.BAIL_CONDITION_CHECK):
        duties.duty_complete(actor=actor, kind=kind, subject=bail)
    for application in bail.court_applications.filter(outcome=""):
        duties.duty_complete(actor=actor, kind=kinds.BAIL_COURT_DECISION, subject=application)
    audit.record(
        actor,
        "bail.end",
        bail,
        person=investigation.suspect,
        changes={"reason": reason, "expired": now >= bail.ends_at},
    )


def _lock_bail(actor, bail: Bail) -> tuple[Bail, Investigation]:
    """Access (role 403, scope 404), then lock the investigation and the bail."""
    _check_can_work(actor, bail.investigation)
    investigation = _lock(bail.investigation)
    locked = Bail.objects.select_for_update().get(pk=bail.pk)
    return locked, investigation


def _require_active(bail: Bail) -> None:
    if bail.ended_at is not None:
        raise Conflict(
            _("This bail ended on %(date)s (%(reason)s).")
            % {"date": f"{bail.ended_at:%d/%m/%Y}", "reason": bail.get_end_reason_display().lower()}
        )


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _refresh_bail(target: Bail, source: Bail) -> None:
    for field in Bail._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


@transaction.atomic
def bail_extend(*, actor, bail: Bail, rationale: str) -> BailPeriod:
    """Extend pre-charge bail to its next stage, authorised by the actor.

    Steps: access; the bail must be active and not yet expired (an extension is made
    before expiry); the next stage is 6 months (inspector) then 9 months (superintendent)
    after the bail start date (policy, from PACE) — beyond that only a magistrates' court
    extends it; the grounds are mandatory; the actor's rank must be the stage's (refused
    naming the rank); the new period starts when the current one ends; the expiry and
    condition-check duties follow; audit.
    """
    locked, investigation = _lock_bail(actor, bail)
    _require_active(locked)
    now = clock.now()
    if now >= locked.ends_at:
        raise Conflict(
            _(
                "This bail expired at %(end)s, so it can no longer be extended. Record a decision "
                "about the suspect."
            )
            % {"end": _local(locked.ends_at)}
        )
    stage = NEXT_STAGE[locked.stage]
    if stage == BailStage.COURT:
        raise Conflict(
            _(
                "Bail has been extended as far as the police can extend it. A further extension "
                "needs a magistrates' court: record the application before the bail expires."
            )
        )
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationFailed(
            _("Enter the grounds for extending bail (why the investigation needs more time)"),
            field="rationale",
        )
    rank = _check_bail_rank(actor, stage, now)
    ends_at = bail_stage_end(locked.start_date, stage, now)
    if ends_at <= locked.ends_at:
        raise Conflict(_("The bail already runs to %(end)s.") % {"end": _local(locked.ends_at)})
    period = _period_create(
        actor, locked, stage, locked.ends_at, ends_at, now, rank=rank, rationale=rationale
    )
    before = locked.ends_at
    locked.stage = stage
    locked.ends_at = ends_at
    _open_expiry_duty(actor, locked, investigation, now)
    _sync_check_duty(actor, locked, investigation, now)
    locked.save(update_fields=["stage", "ends_at", "check_due_at", "updated_at"])
    audit.record(
        actor,
        "bail.extend",
        period,
        person=investigation.suspect,
        changes={
            "bail": str(locked.uuid),
            "stage": stage,
            "ends_at": [before.isoformat(), ends_at.isoformat()],
            "rank_required": rank,
            "authoriser_rank": actor.rank,
        },
        reason=rationale,
    )
    _refresh_bail(bail, locked)
    return period


@transaction.atomic
def bail_court_application_record(
    *, actor, bail: Bail, court: str, grounds: str
) -> BailCourtApplication:
    """Record an application to a magistrates' court to extend bail beyond the police
    stages. It must be made before the bail expires; while it is pending, a duty to record
    the court's decision replaces the expiry duty."""
    locked, investigation = _lock_bail(actor, bail)
    _require_active(locked)
    now = clock.now()
    if locked.stage not in (BailStage.EXTENDED_9, BailStage.COURT):
        rank = str(Rank(bail_stage_rank(NEXT_STAGE[locked.stage], now)).label).lower()
        raise Conflict(
            _(
                "A court application is needed only once the police have extended bail as far "
                "as they can. Extend it first (authorised by the rank of %(rank)s or above)."
            )
            % {"rank": rank}
        )
    if now >= locked.ends_at:
        raise Conflict(
            _(
                "The application must be made before the bail expires, and it expired at "
                "%(end)s. Record a decision about the suspect."
            )
            % {"end": _local(locked.ends_at)}
        )
    if locked.court_applications.filter(outcome="").exists():
        raise Conflict(
            _("An application is waiting for the court's decision. Record that decision first.")
        )
    court = (court or "").strip()
    grounds = (grounds or "").strip()
    errors = []
    if not court:
        errors.append(("court", _("Enter the magistrates' court applied to")))
    elif len(court) > 200:
        errors.append(("court", _("The court's name must be 200 characters or fewer")))
    if not grounds:
        errors.append(("grounds", _("Enter the grounds of the application")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    application = BailCourtApplication.objects.create(
        bail=locked,
        court=court,
        grounds=grounds,
        applied_at=now,
        applied_by=actor,
        bail_expiry_at_application=locked.ends_at,
    )
    duties.duty_complete(actor=actor, kind=kinds.BAIL_EXPIRY, subject=locked)
    duties.duty_open(
        actor=actor,
        kind=kinds.BAIL_COURT_DECISION,
        subject=application,
        team=investigation.owning_team,
        person=investigation.suspect,
        assignee=investigation.allocated_officer,
        risk_level=investigation.risk_band or RiskLevel.MEDIUM,
        due_at=locked.ends_at,
    )
    audit.record(
        actor,
        "bail.court_application",
        application,
        person=investigation.suspect,
        changes={"bail": str(locked.uuid), "court": court, "expiry": locked.ends_at.isoformat()},
        reason=grounds,
    )
    return application


@transaction.atomic
def bail_court_decision_record(
    *,
    actor,
    application: BailCourtApplication,
    outcome: str,
    decided_on: dt.date | None,
    new_end_date: dt.date | None = None,
    note: str = "",
) -> BailCourtApplication:
    """Record the court's decision on an application to extend bail.

    Granted: a court period runs from the current end to the end of the new last day of
    bail (which must be later), and the expiry duty follows the new end. Refused: the
    expiry duty returns (a decision about the suspect is needed before the bail expires).
    """
    from django.utils import timezone

    from vigil.core.calendar import start_of_day

    locked, investigation = _lock_bail(actor, application.bail)
    app = BailCourtApplication.objects.select_for_update().get(pk=application.pk)
    if app.outcome:
        raise Conflict(
            _("The court's decision was recorded already: %(outcome)s.")
            % {"outcome": app.get_outcome_display().lower()}
        )
    now = clock.now()
    today = timezone.localdate(now)
    note = (note or "").strip()
    errors = []
    if outcome not in CourtOutcome.values:
        errors.append(("outcome", _("Choose the court's decision")))
    if decided_on is None:
        errors.append(("decided_on", _("Enter the date of the court's decision")))
    elif decided_on > today or decided_on < timezone.localdate(app.applied_at):
        errors.append(
            (
                "decided_on",
                _("The date of the decision must be between the application and today"),
            )
        )
    new_end = None
    if outcome == CourtOutcome.GRANTED:
        if new_end_date is None:
            errors.append(("new_end_date", _("Enter the new last day of bail set by the court")))
        else:
            new_end = start_of_day(new_end_date + dt.timedelta(days=1))
            if new_end <= max(locked.ends_at, now):
                errors.append(
                    (
                        "new_end_date",
                        _("The new last day of bail must be after %(end)s and not in the past")
                        % {"end": _local(locked.ends_at)},
                    )
                )
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    if locked.ended_at is not None and outcome == CourtOutcome.GRANTED:
        _require_active(locked)
    app.outcome = outcome
    app.decided_on = decided_on
    app.new_end_date = new_end_date if outcome == CourtOutcome.GRANTED else None
    app.decision_note = note
    app.decision_recorded_by = actor
    app.save()
    duties.duty_complete(actor=actor, kind=kinds.BAIL_COURT_DECISION, subject=app)
    before = locked.ends_at
    if locked.ended_at is None:
        if outcome == CourtOutcome.GRANTED:
            _period_create(actor, locked, BailStage.COURT, locked.ends_at, new_end, now, app=app)
            locked.stage = BailStage.COURT
            locked.ends_at = new_end
            _sync_check_duty(actor, locked, investigation, now)
        _open_expiry_duty(actor, locked, investigation, now)
        locked.save(update_fields=["stage", "ends_at", "check_due_at", "updated_at"])
    audit.record(
        actor,
        "bail.court_decision",
        app,
        person=investigation.suspect,
        changes={
            "outcome": outcome,
            "decided_on": decided_on.isoformat(),
            "ends_at": [before.isoformat(), locked.ends_at.isoformat()],
        },
        reason=note,
    )
    _refresh_bail(application.bail, locked)
    return app


@transaction.atomic
def bail_victim_views_record(*, actor, bail: Bail, views: str = "", not_sought_reason: str = ""):
    """Record the alleged victims' views (or why they were not sought) before conditions
    are set or varied."""
    locked, investigation = _lock_bail(actor, bail)
    _require_active(locked)
    views, reason = (views or "").strip(), (not_sought_reason or "").strip()
    if not views and not reason:
        raise ValidationFailed(
            _("Enter the alleged victims' views, or the reason they were not sought"),
            field="views",
        )
    if views and reason:
        raise ValidationFailed(
            _(
                "Enter either the alleged victims' views or the reason they were not sought, not both"
            ),
            field="not_sought_reason",
        )
    record = VictimViews.objects.create(
        bail=locked, sought_at=clock.now(), recorded_by=actor, views=views, not_sought_reason=reason
    )
    audit.record(
        actor,
        "bail.victim_views",
        record,
        person=investigation.suspect,
        changes={
            "bail": str(locked.uuid),
            "views": views or None,
            "not_sought_reason": reason or None,
        },
    )
    return record


def unused_victim_views(bail: Bail) -> VictimViews | None:
    """The latest victims' views recorded for this bail since its conditions last changed
    and not yet used for a change (a change of conditions uses them)."""
    from django.db.models import Max

    changed = bail.conditions.aggregate(imposed=Max("imposed_at"), removed=Max("removed_at"))
    since = max([t for t in changed.values() if t is not None], default=bail.started_at)
    return (
        VictimViews.objects.filter(
            bail=bail, imposed_conditions=None, removed_conditions=None, sought_at__gte=since
        )
        .order_by("-sought_at", "-id")
        .first()
    )


@transaction.atomic
def bail_conditions_vary(
    *,
    actor,
    bail: Bail,
    add: list[str] | None = None,
    remove: list | None = None,
    victim_views: str = "",
    victim_views_not_sought_reason: str = "",
) -> list[BailCondition]:
    """Set new conditions and remove others (a variation), after seeking the alleged
    victims' views: given now, or recorded beforehand for this change; the reason they
    were not sought otherwise. Returns the conditions in force afterwards."""
    locked, investigation = _lock_bail(actor, bail)
    _require_active(locked)
    now = clock.now()
    add = _clean_conditions(add)
    remove_ids = {str(u) for u in (remove or [])}
    active = {str(c.uuid): c for c in locked.conditions.filter(removed_at__isnull=True)}
    errors = []
    if not add and not remove_ids:
        errors.append(("add", _("Enter a condition to add, or choose one to remove")))
    unknown = remove_ids - set(active)
    if unknown:
        errors.append(("remove", _("Choose conditions of this bail that are in force")))
    if len(active) - len(remove_ids) + len(add) > MAX_CONDITIONS:
        errors.append(("add", _("Enter at most %(n)s conditions") % {"n": MAX_CONDITIONS}))
    views = (victim_views or "").strip()
    reason = (victim_views_not_sought_reason or "").strip()
    earlier = None
    if not (views or reason):
        earlier = unused_victim_views(locked)
        if earlier is None:
            errors.append(
                (
                    "victim_views",
                    _(
                        "Seek the alleged victims' views before setting or varying conditions: "
                        "enter their views, or the reason they were not sought"
                    ),
                )
            )
    else:
        errors.extend(_views_errors([1], views, reason))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    record = earlier or VictimViews.objects.create(
        bail=locked, sought_at=now, recorded_by=actor, views=views, not_sought_reason=reason
    )
    for key in remove_ids:
        condition = active.pop(key)
        condition.removed_at = now
        condition.removed_by = actor
        condition.removal_victim_views = record
        condition.save(
            update_fields=["removed_at", "removed_by", "removal_victim_views", "updated_at"]
        )
    added = [
        BailCondition.objects.create(
            bail=locked, text=text, imposed_at=now, imposed_by=actor, victim_views=record
        )
        for text in add
    ]
    _sync_check_duty(actor, locked, investigation, now)
    locked.save(update_fields=["check_due_at", "updated_at"])
    audit.record(
        actor,
        "bail.conditions_vary",
        locked,
        person=investigation.suspect,
        changes={
            "added": add,
            "removed": sorted(remove_ids),
            "victim_views": str(record.uuid),
        },
    )
    return [*active.values(), *added]


@transaction.atomic
def bail_condition_check_record(
    *,
    actor,
    bail: Bail,
    method: str,
    outcome: str,
    checked_at: dt.datetime | None = None,
    breach_action: str = "",
    note: str = "",
) -> BailConditionCheck:
    """Record a check of the bail conditions: when, how, the outcome and, on a breach, the
    action taken. It is stored against the bail period in force at `checked_at` (which
    must fall inside one, and not in the future); the condition-check duty follows."""
    from vigil.investigations.choices import CheckMethod

    locked, investigation = _lock_bail(actor, bail)
    now = clock.now()
    checked_at = checked_at or now
    breach_action = (breach_action or "").strip()
    note = (note or "").strip()
    errors = []
    if method not in CheckMethod.values:
        errors.append(("method", _("Choose how the conditions were checked")))
    if outcome not in CheckOutcome.values:
        errors.append(("outcome", _("Choose the outcome of the check")))
    elif outcome == CheckOutcome.BREACH and not breach_action:
        errors.append(("breach_action", _("Enter the action taken on the breach")))
    period = None
    if checked_at > now:
        errors.append(("checked_at", _("The date of the check must not be in the future")))
    else:
        period = next(
            (
                p
                for p in locked.periods.filter(withdrawn_at__isnull=True, starts_at__lte=checked_at)
                if checked_at < p.effective_end
            ),
            None,
        )
        if period is None:
            end = locked.ended_at or locked.ends_at
            errors.append(
                (
                    "checked_at",
                    _("The check must fall within the bail, from %(start)s to %(end)s")
                    % {"start": _local(locked.started_at), "end": _local(end)},
                )
            )
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    check = BailConditionCheck.objects.create(
        bail=locked,
        period=period,
        checked_at=checked_at,
        method=method,
        outcome=outcome,
        breach_action=breach_action if outcome == CheckOutcome.BREACH else "",
        note=note,
        checked_by=actor,
    )
    if locked.ended_at is None:
        _sync_check_duty(actor, locked, investigation, now)
        locked.save(update_fields=["check_due_at", "updated_at"])
    audit.record(
        actor,
        "bail.condition_check",
        check,
        person=investigation.suspect,
        changes={
            "bail": str(locked.uuid),
            "period": str(period.uuid),
            "checked_at": checked_at.isoformat(),
            "method": method,
            "outcome": outcome,
            "breach_action": check.breach_action or None,
        },
    )
    _refresh_bail(bail, locked)
    return check


def escalations_from_bail_duties(*, duties, level: int, now) -> int:
    """The sweep's hook for bail-expiry duties escalated: raise “bail expiring without a
    decision” in the escalation log for each bail's investigation (one query)."""
    ids = [d.subject_id for d in duties if d.subject_type == kinds.BAIL]
    raised = 0
    for bail in Bail.objects.filter(uuid__in=ids, ended_at=None).select_related(
        "investigation__owning_team", "investigation__suspect", "investigation__referral"
    ):
        raised += (
            escalation_raise(
                actor=None,
                trigger=EscalationTrigger.BAIL_EXPIRING,
                investigation=bail.investigation,
                level=level,
                detail=_("Bail expires %(end)s") % {"end": _local(bail.ends_at)},
            )
            is not None
        )
    return raised


# --- support for the suspect's family (point G) ---------------------------------------------


def _family_support_due(actor, investigation: Investigation, now) -> None:
    """The first arrest or voluntary attendance: the offer of support to the family falls
    due the policy's days later (a duty, unless one is recorded already)."""
    from django.utils import timezone

    from vigil.core.calendar import end_of_day

    days = policy_value("investigations.family_support_days", at=now)
    investigation.first_enforcement_at = now
    investigation.family_support_due_on = timezone.localdate(now) + _days(days)
    investigation.save(
        update_fields=["first_enforcement_at", "family_support_due_on", "updated_at"]
    )
    if not FamilySupportOffer.objects.filter(investigation=investigation).exists():
        _open_duty(
            actor,
            kinds.FAMILY_SUPPORT,
            investigation,
            end_of_day(investigation.family_support_due_on),
        )


def _support_errors(status: str, reason: str) -> list[tuple[str, str]]:
    if status not in SupportOfferStatus.values:
        return [("status", _("Choose what happened to the offer of support"))]
    if status == SupportOfferStatus.NOT_APPLICABLE and not reason:
        return [("reason", _("Enter the reason an offer of support is not applicable"))]
    return []


@transaction.atomic
def family_support_record(
    *,
    actor,
    investigation: Investigation,
    status: str,
    offered_on: dt.date | None = None,
    reason: str = "",
    leaflet_language: str = "",
) -> FamilySupportOffer:
    """Record the offer of support to the suspect's family: offered, accepted, declined, or
    not applicable with a reason; the date (default today, not in the future) and the
    officer (the actor). Completes the family-support duty; audit."""
    from django.utils import timezone

    _check_can_work(actor, investigation)
    locked = _lock(investigation)
    if FamilySupportOffer.objects.filter(investigation=locked).exists():
        raise Conflict(_("The offer of support is recorded already: update it instead."))
    now = clock.now()
    today = timezone.localdate(now)
    reason = (reason or "").strip()
    offered_on = offered_on or today
    errors = _support_errors(status, reason)
    if offered_on > today or offered_on < timezone.localdate(locked.opened_at):
        errors.append(
            ("offered_on", _("The date must be between the opening of the investigation and today"))
        )
    if leaflet_language not in ("", "en", "cy"):
        errors.append(("leaflet_language", _("Choose English or Welsh for the leaflet")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    offer = FamilySupportOffer.objects.create(
        investigation=locked,
        status=status,
        offered_on=offered_on,
        officer=actor,
        reason=reason,
        leaflet_language=leaflet_language,
        recorded_at=now,
        recorded_by=actor,
    )
    duties.duty_complete(actor=actor, kind=kinds.FAMILY_SUPPORT, subject=locked)
    audit.record(
        actor,
        "family_support.record",
        offer,
        person=locked.suspect,
        changes={
            "investigation": str(locked.uuid),
            "status": status,
            "offered_on": offered_on.isoformat(),
            "reason": reason or None,
            "due_on": locked.family_support_due_on.isoformat()
            if locked.family_support_due_on
            else None,
        },
    )
    return offer


@transaction.atomic
def family_support_update(
    *, actor, offer: FamilySupportOffer, status: str, reason: str = "", leaflet_language=None
) -> FamilySupportOffer:
    """Update the offer (an offer accepted or declined later; a reason). The date of the
    offer stays as first recorded: point G measures when it was made."""
    _check_can_work(actor, offer.investigation)
    locked_inv = _lock(offer.investigation)
    locked = FamilySupportOffer.objects.select_for_update().get(pk=offer.pk)
    reason = (reason or "").strip()
    errors = _support_errors(status, reason)
    if leaflet_language not in (None, "", "en", "cy"):
        errors.append(("leaflet_language", _("Choose English or Welsh for the leaflet")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    before = {"status": locked.status, "reason": locked.reason}
    if before == {"status": status, "reason": reason} and leaflet_language in (
        None,
        locked.leaflet_language,
    ):
        raise ValidationFailed(
            _("Nothing has changed: change the offer or the reason"), field="status"
        )
    locked.status = status
    locked.reason = reason
    if leaflet_language is not None:
        locked.leaflet_language = leaflet_language
    locked.save()
    audit.record(
        actor,
        "family_support.update",
        locked,
        person=locked_inv.suspect,
        changes={"status": [before["status"], status], "reason": [before["reason"], reason]},
    )
    for field in ("status", "reason", "leaflet_language"):
        setattr(offer, field, getattr(locked, field))
    return offer


def family_support_leaflet_record(
    *, actor, investigation: Investigation, language: str, document: str = "html"
) -> None:
    """The leaflet was generated, as a page or a PDF (audited: it is made for a suspect's
    family)."""
    audit.record(
        actor,
        "family_support.leaflet",
        investigation,
        person=investigation.suspect,
        changes={"language": language, "document": document},
    )


# --- the directory of support organisations (point G) ---------------------------------------

ORGANISATION_FIELDS = (
    "name_en",
    "name_cy",
    "description_en",
    "description_cy",
    "website",
    "phone",
    "email",
    "details_note",
    "active",
    "position",
)


# `force=` on a create: the actor's own force (when they keep exactly one); on an update:
# the entry stays where it is.
OWN_FORCE = object()
UNCHANGED = object()


def _check_directory_editor(actor) -> None:
    if not (access.is_admin(actor) or access.has_role(actor, Role.MANAGER)):
        raise PermissionDenied(
            _("Only managers and administrators can change the directory of support organisations.")
        )


def check_directory_editor(actor, organisation: SupportOrganisation | None = None) -> None:
    """Whether the actor may keep the directory, and (given one) this entry: a manager or
    an administrator keeps the entries of their own force (the force of a manager or
    administrator membership, whatever its scope); only an administrator keeps the
    national ones. Another force's entry is NotFound, as out of scope."""
    _check_directory_editor(actor)
    if organisation is None:
        return
    if organisation.force_id is None:
        if not access.is_admin(actor):
            raise PermissionDenied(
                _(
                    "National organisations are kept by the Vigil administrators: ask an "
                    "administrator to change this one, or add your force's own entry."
                )
            )
    elif organisation.force_id not in selectors.directory_force_ids(actor, editing=True):
        raise NotFound(_("There is no organisation with that id."))


def _directory_target(actor, force):
    """The force a new or moved entry is for (None: national), checked against the actor."""
    if force is OWN_FORCE:
        own = selectors.directory_force_ids(actor, editing=True)
        if len(own) != 1:
            raise ValidationFailed(
                _("Choose the force the organisation is for, or national"), field="force"
            )
        return Force.objects.get(pk=own.pop())
    if force is None:
        if not access.is_admin(actor):
            raise PermissionDenied(
                _(
                    "Only an administrator can add a national organisation: add it for your "
                    "own force, or ask an administrator."
                )
            )
        return None
    if force.pk not in selectors.directory_force_ids(actor, editing=True):
        raise PermissionDenied(
            _("You can add or move organisations only to your own force's directory.")
        )
    return force


def _organisation_values(fields: Mapping) -> dict:
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator, URLValidator

    values = {}
    for key in ORGANISATION_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        values[key] = value.strip() if isinstance(value, str) else value
    errors = []
    if "name_en" in values and not values["name_en"]:
        errors.append(("name_en", _("Enter the organisation's name in English")))
    if "description_en" in values and not values["description_en"]:
        errors.append(("description_en", _("Enter what the organisation offers, in English")))
    for key, limit in (("name_en", 200), ("name_cy", 200), ("phone", 40)):
        if len(values.get(key) or "") > limit:
            errors.append((key, _("Enter %(n)s characters or fewer") % {"n": limit}))
    if values.get("website"):
        try:
            URLValidator(schemes=["https", "http"])(values["website"])
        except ValidationError:
            errors.append(("website", _("Enter the website address, like https://www.example.org")))
    if values.get("email"):
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            errors.append(("email", _("Enter an e-mail address, like name@example.org")))
    if "position" in values:
        try:
            values["position"] = int(values["position"] or 0)
            if not 0 <= values["position"] <= 1000:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(("position", _("Enter a whole number from 0 to 1000")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    return values


@transaction.atomic
def support_organisation_create(*, actor, force=OWN_FORCE, confirm_details: bool = False, **fields):
    """Add an organisation to the directory of `force` (a Force; None: national, for
    administrators only; by default the actor's own force); managers and administrators;
    audit."""
    _check_directory_editor(actor)
    force = _directory_target(actor, force)
    values = _organisation_values({"name_en": "", "description_en": "", **dict(fields.items())})
    organisation = SupportOrganisation(force=force, **values)
    if confirm_details:
        organisation.details_confirmed_at = clock.now()
        organisation.details_confirmed_by = actor
    organisation.save()
    audit.record(
        actor,
        "support_organisation.create",
        organisation,
        changes={
            **dict(values.items()),
            "force": force.code if force else None,
            "confirmed": confirm_details,
        },
    )
    return organisation


@transaction.atomic
def support_organisation_update(
    *,
    actor,
    organisation: SupportOrganisation,
    force=UNCHANGED,
    confirm_details: bool = False,
    **fields,
):
    """Change an organisation's entry (one the actor keeps: see `check_directory_editor`),
    and with `force` move it to another force the actor keeps or (administrators) make it
    national; confirming its contact details records who and when. Changing the contact
    details clears an earlier confirmation unless confirmed again. Audit with before and
    after."""
    # No select_related: PostgreSQL refuses FOR UPDATE across the nullable force join.
    locked = SupportOrganisation.objects.select_for_update().get(pk=organisation.pk)
    check_directory_editor(actor, locked)
    values = _organisation_values(fields)
    changes = {k: [getattr(locked, k), v] for k, v in values.items() if getattr(locked, k) != v}
    if force is not UNCHANGED:
        force = _directory_target(actor, force)
        if (force.pk if force else None) != locked.force_id:
            changes["force"] = [
                locked.force.code if locked.force else None,
                force.code if force else None,
            ]
            locked.force = force
    for key, value in values.items():
        setattr(locked, key, value)
    if confirm_details:
        locked.details_confirmed_at = clock.now()
        locked.details_confirmed_by = actor
        changes["confirmed"] = [None, True]
    elif {"website", "phone", "email"} & set(changes):
        locked.details_confirmed_at = None
        locked.details_confirmed_by = None
    if not changes:
        raise ValidationFailed(_("Nothing has changed"), field="name_en")
    locked.save()
    audit.record(actor, "support_organisation.update", locked, changes=changes)
    for field in SupportOrganisation._meta.concrete_fields:
        setattr(organisation, field.attname, getattr(locked, field.attname))
    return organisation


@transaction.atomic
def support_organisation_delete(*, actor, organisation: SupportOrganisation) -> None:
    """Remove an organisation the actor keeps from the directory (audited with what it
    held)."""
    check_directory_editor(actor, organisation)
    audit.record(
        actor,
        "support_organisation.delete",
        organisation,
        changes={
            **{k: getattr(organisation, k) for k in ORGANISATION_FIELDS},
            "force": organisation.force.code if organisation.force else None,
        },
    )
    organisation.delete()
