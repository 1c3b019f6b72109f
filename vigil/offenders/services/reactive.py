"""Reactive management (P): requesting it, the decision, its periodic review and the
return to active management (the conditions themselves are evaluated in
`vigil.offenders.reactive`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import (
    ManagementMode,
    ModeDecisionKind,
    ModeDecisionStatus,
    ReactiveReviewOutcome,
    ReactiveTrigger,
)
from vigil.offenders.history import state_record
from vigil.offenders.models import ModeDecision, Nominal
from vigil.offenders.notification_period import add_months
from vigil.offenders.services.common import (
    _close,
    _fail,
    _lowest_rank,
    _open,
    _reactive_trigger,
    rank_label,
    require_casework,
)
from vigil.offenders.services.plans import _schedule_visit
from vigil.offenders.services.pnd import _schedule_pnd


def reactive_approver_rank() -> str:
    return _lowest_rank(policy_value("offenders.reactive_approval_rank_level"))


def reactive_assessment(nominal: Nominal, *, include_approval: bool | None = None):
    """The reactive-management conditions of one nominal now (see reactive.py)."""
    from vigil.offenders import reactive

    return reactive.evaluate(
        Nominal.objects.filter(pk=nominal.pk), include_approval=include_approval
    )[nominal.pk]


def _snapshot(assessment) -> list[dict]:
    return [{"code": c.code, "met": c.met, "reason": c.reason} for c in assessment.conditions]


def _unmet_errors(assessment) -> list[tuple[str, str]]:
    return [
        (c.code, _("%(condition)s: %(reason)s") % {"condition": c.label, "reason": c.reason})
        for c in assessment.unmet
    ]


def circumstances_changed(actor, person, what: str) -> None:
    """The person's record shows a change of circumstances (a new current address or a
    child linked, recorded in the people app): for a reactively managed nominal, a review
    of reactive management falls due (see _reactive_trigger)."""
    nominal = Nominal.objects.filter(person=person).first()
    if nominal is not None:
        _reactive_trigger(actor, nominal, ReactiveTrigger.CIRCUMSTANCES)


@transaction.atomic
def reactive_request(*, actor, nominal: Nominal, proposal: str) -> ModeDecision:
    """Ask for a nominal to be managed reactively.

    Steps: casework access; the nominal is on active management with no request waiting;
    a reason; every entry condition is met now (in the community, risk low, low for the
    policy years, no breach or intelligence of concern in that time) — otherwise the
    request is refused with every unmet condition and its reason, and nothing is written;
    write the request with the conditions as evaluated; audit; a duty for the team's
    supervisors to decide it.
    """
    require_casework(actor, nominal)
    locked = Nominal.objects.select_for_update().get(pk=nominal.pk)
    if locked.management_mode == ManagementMode.REACTIVE:
        raise Conflict(_("This nominal is already on reactive management."))
    if ModeDecision.objects.filter(nominal=locked, status=ModeDecisionStatus.PROPOSED).exists():
        raise Conflict(_("A request for reactive management is already waiting for a decision."))
    assessment = reactive_assessment(locked, include_approval=False)
    errors = _unmet_errors(assessment)
    if not (proposal or "").strip():
        errors.append(("proposal", _("Say why reactive management is proposed")))
    _fail(errors)
    now = clock.now()
    decision = ModeDecision.objects.create(
        nominal=locked,
        kind=ModeDecisionKind.TO_REACTIVE,
        status=ModeDecisionStatus.PROPOSED,
        proposed_by=actor,
        proposed_at=now,
        proposal=proposal.strip(),
        conditions=_snapshot(assessment),
    )
    audit.record(
        actor,
        "nominal.reactive_request",
        decision,
        changes={"conditions": [c.code for c in assessment.conditions if c.met]},
        reason=proposal,
        person=locked.person,
    )
    days = policy_value("offenders.reactive_approval_days")
    _open(
        actor,
        kinds.REACTIVE_APPROVAL,
        decision,
        locked,
        end_of_day(timezone.localdate(now) + dt.timedelta(days=days)),
        assignee=None,
    )
    return decision


def _next_review_due() -> dt.date:
    return add_months(clock.today(), policy_value("offenders.reactive_review_months"))


@transaction.atomic
def reactive_decide(
    *, actor, decision: ModeDecision, approve: bool, rationale: str
) -> ModeDecision:
    """Approve or decline a request for reactive management.

    Steps: casework access to the nominal; the actor holds at least the policy rank
    (default inspector) and did not make the request; the request is still waiting; a
    rationale; on approval every entry condition is checked again (refused with the
    reasons when one is no longer met); write the decision (with the approver's rank and
    the next eligibility review date); audit; close the decision duty. On approval: the
    nominal is reactive, its scheduled-visit duty is closed, the eligibility review duty
    opened (policy months), and the PND-check duty follows (no visits to precede).
    """
    nominal = decision.nominal
    require_casework(actor, nominal)
    rank = reactive_approver_rank()
    if not access.rank_at_least(actor, rank):
        raise PermissionDenied(
            _("Reactive management must be approved at %(rank)s rank or above.")
            % {"rank": rank_label(rank)}
        )
    if decision.proposed_by_id == actor.pk:
        raise PermissionDenied(_("You made this request, so someone else must decide it."))
    locked = ModeDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.status != ModeDecisionStatus.PROPOSED:
        raise Conflict(_("This request has already been decided."))
    errors: list[tuple[str, str]] = []
    assessment = None
    if approve:
        assessment = reactive_assessment(nominal, include_approval=False)
        errors += _unmet_errors(assessment)
    if not (rationale or "").strip():
        errors.append(("rationale", _("Give the rationale for the decision")))
    _fail(errors)
    now = clock.now()
    locked.status = ModeDecisionStatus.APPROVED if approve else ModeDecisionStatus.DECLINED
    locked.decided_by, locked.decided_at, locked.decided_rank = actor, now, actor.rank
    locked.rationale = rationale.strip()
    if approve:
        locked.next_review_due = _next_review_due()
        locked.conditions = _snapshot(assessment)
    locked.save()
    audit.record(
        actor,
        "nominal.reactive_approve" if approve else "nominal.reactive_decline",
        locked,
        changes={
            "status": locked.status,
            "rank": actor.rank,
            "next_review_due": locked.next_review_due.isoformat() if approve else None,
        },
        reason=rationale,
        person=nominal.person,
    )
    _close(actor, kinds.REACTIVE_APPROVAL, locked)
    if approve:
        Nominal.objects.filter(pk=nominal.pk).update(
            management_mode=ManagementMode.REACTIVE,
            reactive_review_triggered_on=None,
            updated_at=now,
        )
        nominal.management_mode = ManagementMode.REACTIVE
        nominal.reactive_review_triggered_on = None
        state_record(nominal)
        _close(actor, kinds.VISIT, nominal)
        _open(
            actor,
            kinds.REACTIVE_REVIEW,
            nominal,
            nominal,
            end_of_day(locked.next_review_due),
            note=ModeDecisionKind.TO_REACTIVE,
        )
        _schedule_pnd(actor, nominal)
    decision.__dict__.update(
        status=locked.status,
        decided_at=now,
        decided_by_id=actor.pk,
        next_review_due=locked.next_review_due,
        rationale=locked.rationale,
    )
    return locked


def _back_to_active(actor, nominal, kind, reason, now) -> ModeDecision:
    decision = ModeDecision.objects.create(
        nominal=nominal,
        kind=ModeDecisionKind.TO_ACTIVE,
        status=ModeDecisionStatus.APPROVED,
        proposed_by=actor,
        proposed_at=now,
        proposal=reason.strip(),
        decided_by=actor,
        decided_rank=actor.rank,
        decided_at=now,
        rationale=reason.strip(),
        conditions=_snapshot(reactive_assessment(nominal)),
    )
    Nominal.objects.filter(pk=nominal.pk).update(
        management_mode=ManagementMode.ACTIVE, reactive_review_triggered_on=None, updated_at=now
    )
    nominal.management_mode = ManagementMode.ACTIVE
    nominal.reactive_review_triggered_on = None
    state_record(nominal)
    audit.record(
        actor,
        "nominal.reactive_return",
        decision,
        changes={"via": kind},
        reason=reason,
        person=nominal.person,
    )
    _close(actor, kinds.REACTIVE_REVIEW, nominal)
    _close(actor, kinds.REACTIVE_TRIGGER, nominal)
    _schedule_visit(actor, nominal)
    _schedule_pnd(actor, nominal)
    return decision


@transaction.atomic
def reactive_return(*, actor, nominal: Nominal, reason: str) -> ModeDecision:
    """Return a reactively managed nominal to active management: any casework user of the
    team may (it is the safe direction), with a reason. The scheduled-visit duty opens
    again from the plan; the reactive review duties close."""
    require_casework(actor, nominal)
    locked = Nominal.objects.select_for_update().select_related("person").get(pk=nominal.pk)
    if locked.management_mode != ManagementMode.REACTIVE:
        raise Conflict(_("This nominal is already on active management."))
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Say why the nominal returns to active management"), field="reason"
        )
    decision = _back_to_active(actor, locked, "return", reason, clock.now())
    nominal.management_mode = ManagementMode.ACTIVE
    nominal.reactive_review_triggered_on = None
    return decision


@transaction.atomic
def reactive_review_record(
    *, actor, nominal: Nominal, outcome: str, rationale: str
) -> ModeDecision:
    """Review a reactively managed nominal (the yearly eligibility review, or one called
    for by new information).

    Steps: casework access; the nominal is reactive; an outcome and a rationale; to stay
    reactive every entry condition must still be met (otherwise refused with the reasons:
    return the nominal to active management instead); write the review with the next
    review date; audit; the called-for review (if any) is closed, and the eligibility
    review duty completed and opened again for the next date. Returning goes back to
    active management as `reactive_return` does.
    """
    require_casework(actor, nominal)
    locked = Nominal.objects.select_for_update().select_related("person").get(pk=nominal.pk)
    if locked.management_mode != ManagementMode.REACTIVE:
        raise Conflict(_("This nominal is not on reactive management."))
    errors: list[tuple[str, str]] = []
    if outcome not in ReactiveReviewOutcome.values:
        errors.append(("outcome", _("Choose whether the nominal stays on reactive management")))
    if not (rationale or "").strip():
        errors.append(("rationale", _("Give the rationale for the review")))
    assessment = None
    if outcome == ReactiveReviewOutcome.CONTINUE:
        assessment = reactive_assessment(locked, include_approval=False)
        errors += _unmet_errors(assessment)
    _fail(errors)
    now = clock.now()
    if outcome == ReactiveReviewOutcome.RETURN:
        decision = _back_to_active(actor, locked, "review", rationale, now)
        nominal.management_mode = ManagementMode.ACTIVE
        nominal.reactive_review_triggered_on = None
        return decision
    decision = ModeDecision.objects.create(
        nominal=locked,
        kind=ModeDecisionKind.REVIEW,
        status=ModeDecisionStatus.APPROVED,
        proposed_by=actor,
        proposed_at=now,
        proposal=rationale.strip(),
        decided_by=actor,
        decided_rank=actor.rank,
        decided_at=now,
        rationale=rationale.strip(),
        next_review_due=_next_review_due(),
        conditions=_snapshot(assessment),
    )
    Nominal.objects.filter(pk=locked.pk).update(reactive_review_triggered_on=None, updated_at=now)
    nominal.reactive_review_triggered_on = None
    audit.record(
        actor,
        "nominal.reactive_review",
        decision,
        changes={"next_review_due": decision.next_review_due.isoformat()},
        reason=rationale,
        person=locked.person,
    )
    _close(actor, kinds.REACTIVE_TRIGGER, locked)
    _close(actor, kinds.REACTIVE_REVIEW, locked)
    _open(
        actor,
        kinds.REACTIVE_REVIEW,
        locked,
        locked,
        end_of_day(decision.next_review_due),
        note=ModeDecisionKind.REVIEW,
    )
    return decision
