"""Risk management plans and the visit schedule they set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.policy_registry import policy_value
from vigil.duties.choices import RiskLevel
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import NominalStatus, PlanActionCategory, ReviewSubject
from vigil.offenders.models import Nominal, Plan, PlanAction
from vigil.offenders.notification_period import add_months
from vigil.offenders.services.common import (
    _close,
    _fail,
    _is_reactive,
    _nominal_risk,
    _open,
    _open_review,
    _reschedule,
    require_casework,
)
from vigil.offenders.services.pnd import _schedule_pnd, pnd_before_visit


def _plan_level(nominal) -> str:
    """The risk level a plan is checked against: the current (approved) level, else the
    latest ARMS, else very high (the strictest) when none has been made."""
    if nominal.risk_level:
        return nominal.risk_level
    latest = nominal.arms.order_by("-completed_at").values_list("risk_level", flat=True).first()
    return latest or RiskLevel.VERY_HIGH


def max_visit_months(level: str, *, at=None) -> int:
    return policy_value(f"offenders.visit_max_months.{level}", at=at)


def _visit_interval(nominal, plan) -> int:
    return min(plan.visit_every_months, max_visit_months(_plan_level(nominal)))


def _schedule_visit(actor, nominal, *, note="", visit=None):
    """Set the visit duty's due date: the last visit plus the plan's interval (capped at
    the policy maximum for the risk level), or the plan's start plus it when never visited.

    When `visit` (just recorded) is the latest visit, the obligation was met: the open
    visit duty is completed and the next one opened. Otherwise (a new plan, a new risk
    level, a visit recorded late that is not the latest) the open duty is moved.
    """
    if nominal.status != NominalStatus.ACTIVE or _is_reactive(nominal):
        return None
    plan = nominal.plans.order_by("-version").first()
    if plan is None:
        return None
    last = nominal.visits.order_by("-visited_at", "-pk").only("pk", "visited_at").first()
    since = timezone.localdate(last.visited_at) if last else timezone.localdate(plan.completed_at)
    due = end_of_day(add_months(since, _visit_interval(nominal, plan)))
    if visit is not None and last is not None and last.pk == visit.pk:
        _close(actor, kinds.VISIT, nominal)
        return _open(actor, kinds.VISIT, nominal, nominal, due, note=note)
    return _reschedule(actor, kinds.VISIT, nominal, nominal, due, note=note)


@transaction.atomic
def plan_create(
    *,
    actor,
    nominal: Nominal,
    visit_every_months: int,
    review_due: dt.date,
    summary: str = "",
    actions: Iterable[dict] = (),
) -> Plan:
    """A new version of the risk management plan.

    Steps: access; the visit frequency is at least the policy minimum for the risk level
    (APP regime before 2017); the review date is in the future; every action has a
    category, description, owner and date; write the version and its actions; audit;
    close the previous version's review duty and open this one's; move the visit duty to
    the new frequency; open the supervisor review.
    """
    require_casework(actor, nominal)
    level = _plan_level(nominal)
    maximum = max_visit_months(level)
    errors: list[tuple[str, str]] = []
    if not visit_every_months or visit_every_months < 1:
        errors.append(("visit_every_months", _("Enter how often to visit, in whole months")))
    elif visit_every_months > maximum:
        errors.append(
            (
                "visit_every_months",
                _("Visit at least every %(months)s months: the minimum for %(level)s risk")
                % {"months": maximum, "level": RiskLevel(level).label.lower()},
            )
        )
    if review_due is None or review_due <= clock.today():
        errors.append(("review_due", _("Enter a review date in the future")))
    actions = list(actions)
    for i, a in enumerate(actions):
        if a.get("category") not in PlanActionCategory.values:
            errors.append((f"actions.{i}.category", _("Choose the action's category")))
        if not (a.get("description") or "").strip():
            errors.append((f"actions.{i}.description", _("Describe the action")))
        if not (a.get("owner") or "").strip():
            errors.append((f"actions.{i}.owner", _("Name the action's owner")))
        if not a.get("due_date"):
            errors.append((f"actions.{i}.due_date", _("Enter the date the action is due")))
    _fail(errors)
    previous = nominal.plans.select_for_update().order_by("-version").first()
    plan = Plan.objects.create(
        nominal=nominal,
        version=(previous.version + 1) if previous else 1,
        summary=summary,
        visit_every_months=visit_every_months,
        review_due=review_due,
        risk_level=level,
        author=actor,
        completed_at=clock.now(),
    )
    PlanAction.objects.bulk_create(
        [
            PlanAction(
                plan=plan,
                category=a["category"],
                description=a["description"].strip(),
                owner=a["owner"].strip(),
                due_date=a["due_date"],
            )
            for a in actions
        ]
    )
    audit.record(
        actor,
        "nominal.plan_create",
        plan,
        changes={
            "version": plan.version,
            "visit_every_months": visit_every_months,
            "review_due": review_due.isoformat(),
            "actions": len(actions),
        },
        person=nominal.person,
    )
    if previous is not None:
        _close(actor, kinds.PLAN_REVIEW, previous)
    if nominal.status == NominalStatus.ACTIVE:
        _open(actor, kinds.PLAN_REVIEW, plan, nominal, end_of_day(review_due))
        _schedule_visit(actor, nominal)
        if pnd_before_visit(_nominal_risk(nominal)):
            _schedule_pnd(actor, nominal)
    _open_review(actor, nominal, ReviewSubject.PLAN, plan)
    return plan
