"""The central escalation log (point C): raising an entry (by hand or from overdue
duties), acknowledging and resolving it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.core import clock
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties import services as duties
from vigil.duties.choices import EscalationLevel, RiskLevel
from vigil.investigations import duty_kinds as kinds
from vigil.investigations.choices import EscalationTrigger
from vigil.investigations.models import EscalationLogEntry, Investigation
from vigil.investigations.policies import trigger_level_key
from vigil.investigations.services.common import _days, reaches
from vigil.referrals.models import Referral


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
