"""Enforcement decisions at a decision point: arrest, voluntary attendance, warrant and
the others, and what each starts (bail, the next state, family support).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES, Rank
from vigil.core import clock
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties import services as duties
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import lifecycle
from vigil.investigations.choices import (
    ENFORCEMENT_KINDS,
    BailStage,
    DecisionKind,
    State,
    WelfareAssessment,
)
from vigil.investigations.models import (
    DecisionPoint,
    EnforcementDecision,
    Investigation,
    Reassessment,
)
from vigil.investigations.services.bail import _bail_begin, _bail_plan, _check_bail_rank
from vigil.investigations.services.common import (
    POLICE_RANK_AT_LEVEL,
    _check_can_work,
    _days,
    _lock,
    _mark_referral_actioned,
    _refresh,
    rank_label,
    reaches_investigation,
)
from vigil.investigations.services.family_support import _family_support_due
from vigil.investigations.services.lifecycle import _move


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
