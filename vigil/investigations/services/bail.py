"""Pre-charge bail (point F): the bail plan an enforcement decision starts, its periods
and their ranks, the duties it keeps open, its end, and extending it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import Rank
from vigil.core import clock
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties import services as duties
from vigil.duties.choices import RiskLevel
from vigil.investigations import duty_kinds as kinds
from vigil.investigations.choices import (
    NEXT_STAGE,
    BailEndReason,
    BailStage,
    EscalationTrigger,
    State,
)
from vigil.investigations.models import (
    Bail,
    BailCondition,
    BailConditionCheck,
    BailPeriod,
    Investigation,
    Transition,
    VictimViews,
)
from vigil.investigations.policies import BAIL_STAGE_POLICIES
from vigil.investigations.services.common import POLICE_RANK_AT_LEVEL, _check_can_work, _days, _lock
from vigil.investigations.services.escalation import escalation_raise

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
