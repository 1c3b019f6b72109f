"""Pre-charge bail's conditions (point F): the victim's views on them, varying them and
recording checks that they are kept.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.exceptions import ValidationFailed
from vigil.investigations.choices import CheckOutcome
from vigil.investigations.models import Bail, BailCondition, BailConditionCheck, VictimViews
from vigil.investigations.services.bail import (
    MAX_CONDITIONS,
    _clean_conditions,
    _local,
    _lock_bail,
    _refresh_bail,
    _require_active,
    _sync_check_duty,
    _views_errors,
)


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
