"""PND checks (Q): when one falls due for a nominal, recording it and assessing what it
found.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties.models import Duty
from vigil.duties.selectors import assignable_officers
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import NominalStatus, PndResult
from vigil.offenders.models import Nominal, PndCheck
from vigil.offenders.notification_period import add_months
from vigil.offenders.services.common import (
    _close,
    _fail,
    _nominal_risk,
    _open,
    _reschedule,
    require_casework,
)


def pnd_before_visit(level: str, *, at=None) -> bool:
    """Whether a PND check is due before each home visit at risk `level` (policy)."""
    return bool(policy_value(f"offenders.pnd_before_visit.{level}", at=at))


def pnd_due(nominal: Nominal) -> dt.datetime | None:
    """When the nominal's next PND check (carried out and assessed) is due; None when
    none is due (not active in the community).

    The latest assessed check plus the policy interval (default 12 months), or the
    registration plus the first-check period when there has been none; a check recorded
    and not yet assessed is due for assessment within the policy days of being recorded;
    for the risk levels the policy names (default high and very high) a check is also due
    before the next home visit when there has been a visit since the latest check.
    """
    if nominal.status != NominalStatus.ACTIVE:
        return None
    p = policy_values(
        [
            "offenders.pnd_interval_months",
            "offenders.pnd_first_check_days",
            "offenders.pnd_assess_days",
        ]
    )
    checks = list(
        PndCheck.objects.filter(nominal_id=nominal.pk)
        .order_by("-checked_on", "-pk")
        .values("checked_on", "assessed_at", "created_at")
    )
    assessed = [c for c in checks if c["assessed_at"] is not None]
    if assessed:
        due = end_of_day(add_months(assessed[0]["checked_on"], p["offenders.pnd_interval_months"]))
    else:
        registered = timezone.localdate(nominal.created_at)
        due = end_of_day(registered + dt.timedelta(days=p["offenders.pnd_first_check_days"]))
    waiting = [c for c in checks if c["assessed_at"] is None]
    if waiting:
        recorded = timezone.localdate(min(c["created_at"] for c in waiting))
        due = min(due, end_of_day(recorded + dt.timedelta(days=p["offenders.pnd_assess_days"])))
    if pnd_before_visit(_nominal_risk(nominal)):
        visit_due = (
            Duty.objects.filter(
                kind=kinds.VISIT,
                subject_type="offenders.nominal",
                subject_id=nominal.uuid,
                completed_at__isnull=True,
            )
            .values_list("due_at", flat=True)
            .first()
        )
        last_visit = nominal.visits.order_by("-visited_at").values_list("visited_at", flat=True)
        last_visit = last_visit.first()
        latest = checks[0]["checked_on"] if checks else None
        used = latest is None or (
            last_visit is not None and timezone.localdate(last_visit) >= latest
        )
        if visit_due is not None and used:
            due = min(due, visit_due)
    return due


def _schedule_pnd(actor, nominal, *, met: bool = False):
    """Keep the nominal's PND-check duty at `pnd_due`: completed and opened again when
    the obligation was met (every check assessed), otherwise moved."""
    due = pnd_due(nominal)
    if due is None:
        return None
    if met:
        _close(actor, kinds.PND_CHECK, nominal)
        return _open(actor, kinds.PND_CHECK, nominal, nominal, due)
    return _reschedule(actor, kinds.PND_CHECK, nominal, nominal, due)


@transaction.atomic
def pnd_check_record(
    *,
    actor,
    nominal: Nominal,
    checked_on: dt.date,
    result: str,
    summary: str = "",
    officer: User | None = None,
) -> PndCheck:
    """Record a PND check: the date, the officer who made it (default the actor, who must
    work on the managing team), the result and a summary (required when information was
    found). The check is then due for assessment (the PND-check duty moves to it)."""
    require_casework(actor, nominal)
    officer = officer or actor
    errors: list[tuple[str, str]] = []
    if checked_on is None or checked_on > clock.today():
        errors.append(("checked_on", _("Enter the date of the check, today or earlier")))
    if result not in PndResult.values:
        errors.append(("result", _("Choose the result of the check")))
    elif result == PndResult.INFORMATION and not (summary or "").strip():
        errors.append(("summary", _("Summarise the information found")))
    if not assignable_officers(team=nominal.team).filter(pk=officer.pk).exists():
        errors.append(
            (
                "officer",
                _("Choose an officer who works in %(team)s") % {"team": nominal.team.name},
            )
        )
    _fail(errors)
    check = PndCheck.objects.create(
        nominal=nominal,
        checked_on=checked_on,
        officer=officer,
        result=result,
        summary=(summary or "").strip(),
        recorded_by=actor,
    )
    audit.record(
        actor,
        "nominal.pnd_check_record",
        check,
        changes={"checked_on": checked_on.isoformat(), "result": result, "officer": officer.email},
        person=nominal.person,
    )
    _schedule_pnd(actor, nominal)
    return check


@transaction.atomic
def pnd_check_assess(*, actor, check: PndCheck, action_taken: str) -> PndCheck:
    """Assess a PND check: say what action was taken (or that none was needed). When no
    check is left unassessed the PND-check duty is met: it is completed and the next one
    opened (a year after the latest check, or before the next visit for high risk)."""
    nominal = check.nominal
    require_casework(actor, nominal)
    if not (action_taken or "").strip():
        raise ValidationFailed(
            _("Say what action was taken, or that none was needed"), field="action_taken"
        )
    locked = PndCheck.objects.select_for_update().get(pk=check.pk)
    if locked.assessed_at is not None:
        raise Conflict(_("This PND check has already been assessed."))
    locked.assessed_by, locked.assessed_at = actor, clock.now()
    locked.action_taken = action_taken.strip()
    locked.save(update_fields=["assessed_by", "assessed_at", "action_taken", "updated_at"])
    audit.record(
        actor,
        "nominal.pnd_check_assess",
        locked,
        changes={"checked_on": locked.checked_on.isoformat(), "result": locked.result},
        reason=action_taken,
        person=nominal.person,
    )
    met = not nominal.pnd_checks.filter(assessed_at__isnull=True).exists()
    _schedule_pnd(actor, nominal, met=met)
    check.__dict__.update(assessed_at=locked.assessed_at, assessed_by_id=actor.pk)
    return locked
