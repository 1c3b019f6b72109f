"""Supervisor reviews (M) of ARMS assessments, plans and visits, and what an outcome
changes (the risk level, a fresh ARMS).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.core import clock
from vigil.core.exceptions import Conflict, PermissionDenied
from vigil.duties import services as duties
from vigil.instruments import services as instruments
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import NominalStatus, ReviewOutcome, ReviewSubject
from vigil.offenders.history import state_record
from vigil.offenders.models import Arms, Nominal, Plan, Review
from vigil.offenders.services.common import (
    _arms_trigger,
    _close,
    _fail,
    _reschedule,
    _trigger_due,
    require_supervisor,
)
from vigil.offenders.services.plans import _schedule_visit, max_visit_months
from vigil.offenders.services.pnd import _schedule_pnd


def _author_ids(review: Review) -> set[int]:
    if review.subject == ReviewSubject.ARMS:
        return {review.arms.assessor_id}
    if review.subject == ReviewSubject.PLAN:
        return {review.plan.author_id}
    return {review.visit.recorded_by_id, *review.visit.officers.values_list("pk", flat=True)}


@transaction.atomic
def review_record(*, actor, review: Review, outcome: str, actions: str = "") -> Review:
    """A supervisor reviews a completed ARMS, plan or visit.

    Steps: the actor supervises the managing team and did not do the work; the review is
    still open; returned needs the actions; write; audit; close the review duty. Then:
    an approved ARMS that is the latest approved one sets the nominal's risk level (and
    the risk level of the nominal's open duties, and the plan is brought forward for
    review if its visit frequency is now below the minimum); a returned ARMS brings the
    next ARMS forward; an approved plan is marked approved; a returned plan is due for
    review within the trigger period.
    """
    nominal = review.nominal
    require_supervisor(actor, nominal)
    if actor.pk in _author_ids(review):
        raise PermissionDenied(_("You did this work, so another supervisor must review it."))
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.reviewed_at is not None:
        raise Conflict(_("This has already been reviewed."))
    errors = []
    if outcome not in ReviewOutcome.values:
        errors.append(("outcome", _("Choose approved or returned with actions")))
    elif outcome == ReviewOutcome.RETURNED and not (actions or "").strip():
        errors.append(("actions", _("Say what must be done before it can be approved")))
    _fail(errors)
    now = clock.now()
    locked.outcome, locked.actions = outcome, actions.strip()
    locked.reviewer, locked.reviewed_at = actor, now
    locked.save(update_fields=["outcome", "actions", "reviewer", "reviewed_at", "updated_at"])
    audit.record(
        actor,
        "nominal.review_record",
        locked,
        changes={"subject": locked.subject, "outcome": outcome, "in_time": now <= locked.due_at},
        reason=actions,
        person=nominal.person,
    )
    _close(actor, kinds.SUPERVISOR_REVIEW, locked)
    if locked.subject == ReviewSubject.ARMS:
        _after_arms_review(actor, nominal, review.arms, outcome, now)
    elif locked.subject == ReviewSubject.PLAN:
        plan = review.plan
        if outcome == ReviewOutcome.APPROVED:
            Plan.objects.filter(pk=plan.pk).update(approved_at=now)
        elif nominal.status == NominalStatus.ACTIVE and _is_latest_plan(plan):
            _reschedule(
                actor, kinds.PLAN_REVIEW, plan, nominal, _trigger_due(), note=ReviewOutcome.RETURNED
            )
    review.__dict__.update(outcome=outcome, reviewed_at=now, reviewer_id=actor.pk)
    return locked


def _is_latest_plan(plan) -> bool:
    return not Plan.objects.filter(nominal_id=plan.nominal_id, version__gt=plan.version).exists()


def _after_arms_review(actor, nominal, arms, outcome, now):
    if outcome == ReviewOutcome.RETURNED:
        _arms_trigger(actor, nominal, ReviewOutcome.RETURNED)
        return
    Arms.objects.filter(pk=arms.pk).update(approved_at=now)
    if (
        arms.assessment_id
        and instruments.person_in_scope(actor, nominal.person, SUPERVISORY_ROLES)
        and arms.assessor_id != actor.pk
    ):
        instruments.assessment_sign_off(actor=actor, assessment=arms.assessment)
    later_approved = Arms.objects.filter(
        nominal=nominal, approved_at__isnull=False, completed_at__gt=arms.completed_at
    ).exists()
    if later_approved or nominal.risk_level == arms.risk_level:
        return
    _set_risk_level(actor, nominal, arms.risk_level)


def _set_risk_level(actor, nominal, level):
    """The nominal's current risk level changes: keep its open duties' risk level with it
    (the outstanding-work matrix counts them by risk), and bring the plan forward for
    review when its visit frequency is below the new minimum."""
    before = nominal.risk_level
    Nominal.objects.filter(pk=nominal.pk).update(risk_level=level, updated_at=clock.now())
    nominal.risk_level = level
    state_record(nominal)
    moved = duties.duty_set_risk_level(
        actor=actor, person=nominal.person, risk_level=level, kinds=kinds.ALL_KINDS
    )
    audit.record(
        actor,
        "nominal.risk_level",
        nominal,
        changes={"risk_level": [before, level], "open_duties": moved},
        person=nominal.person,
    )
    plan = nominal.plans.order_by("-version").first()
    if plan is not None and nominal.status == NominalStatus.ACTIVE:
        if plan.visit_every_months > max_visit_months(level):
            _reschedule(actor, kinds.PLAN_REVIEW, plan, nominal, _trigger_due(), note="risk_level")
        _schedule_visit(actor, nominal)
    if nominal.status == NominalStatus.ACTIVE:
        _schedule_pnd(actor, nominal)
