"""Notification requirements and the notifications a nominal must make (Sexual Offences
Act 2003 s83-s85), with their due dates.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.policy_registry import policy_values
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import (
    Disposal,
    NominalStatus,
    NotificationKind,
    NotificationStatus,
    ReactiveTrigger,
)
from vigil.offenders.models import Nominal, NotificationEvent, NotificationRequirement
from vigil.offenders.notification_period import add_months, notification_period
from vigil.offenders.services.common import (
    _close,
    _fail,
    _open,
    _reactive_trigger,
    require_casework,
)

# Notifications that restart the yearly clock (Sexual Offences Act 2003 s85).
RESETS_ANNUAL = {
    NotificationKind.INITIAL,
    NotificationKind.CHANGE,
    NotificationKind.ANNUAL,
    NotificationKind.HOUSEHOLD_CHILD,
}


@transaction.atomic
def requirement_add(
    *,
    actor,
    nominal: Nominal,
    start_date: dt.date,
    disposal: str,
    custodial_months: int | None = None,
    discharge_months: int | None = None,
    under_18: bool = False,
    offence: str = "",
) -> NotificationRequirement:
    """Record the notification requirements a conviction brings, with the period, end date
    and review date from the s82 table; open the initial notification if none is recorded.
    """
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    if disposal not in Disposal.values:
        errors.append(("disposal", _("Choose the sentence or disposal")))
    if start_date is None:
        errors.append(("start_date", _("Enter the start date")))
    elif start_date > clock.today():
        errors.append(("start_date", _("The start date must be today or in the past")))
    if disposal == Disposal.IMPRISONMENT and not (custodial_months and custodial_months > 0):
        errors.append(("custodial_months", _("Enter the custodial term in whole months")))
    if disposal == Disposal.CONDITIONAL_DISCHARGE and not (
        discharge_months and discharge_months > 0
    ):
        errors.append(
            ("discharge_months", _("Enter the period of the conditional discharge in months"))
        )
    _fail(errors)
    period = notification_period(
        disposal,
        start=start_date,
        custodial_months=custodial_months if disposal == Disposal.IMPRISONMENT else None,
        discharge_months=discharge_months if disposal == Disposal.CONDITIONAL_DISCHARGE else None,
        under_18=under_18,
    )
    requirement = NotificationRequirement.objects.create(
        nominal=nominal,
        start_date=start_date,
        disposal=disposal,
        custodial_months=custodial_months if disposal == Disposal.IMPRISONMENT else None,
        discharge_months=discharge_months if disposal == Disposal.CONDITIONAL_DISCHARGE else None,
        under_18=under_18,
        offence=offence,
        period_months=period.months,
        end_date=period.end_date,
        review_date=period.review_date,
    )
    audit.record(
        actor,
        "nominal.requirement_add",
        requirement,
        changes={
            "disposal": disposal,
            "start_date": start_date.isoformat(),
            "period_months": period.months,
            "end_date": period.end_date.isoformat() if period.end_date else None,
        },
        person=nominal.person,
    )
    if not nominal.notifications.filter(kind=NotificationKind.INITIAL).exists():
        notification_open(
            actor=actor, nominal=nominal, kind=NotificationKind.INITIAL, event_date=start_date
        )
    return requirement


def notification_due_date(kind: str, event_date: dt.date, *, at=None) -> dt.date:
    """The last day a notification of `kind` may be made, for an event on `event_date`.

    Initial, changes and staying with a child: within N days beginning with the day
    (default 3: the day and the two after). Annual: a year after the last notification.
    Foreign travel: N days before leaving (default 7). Weekly: 7 days after the last.
    """
    p = policy_values(
        [
            "offenders.notify_within_days",
            "offenders.renotify_months",
            "offenders.foreign_travel_notice_days",
            "offenders.weekly_reporting_days",
        ],
        at=at,
    )
    if kind in (
        NotificationKind.INITIAL,
        NotificationKind.CHANGE,
        NotificationKind.HOUSEHOLD_CHILD,
    ):
        return event_date + dt.timedelta(days=p["offenders.notify_within_days"] - 1)
    if kind == NotificationKind.ANNUAL:
        return add_months(event_date, p["offenders.renotify_months"])
    if kind == NotificationKind.FOREIGN_TRAVEL:
        return event_date - dt.timedelta(days=p["offenders.foreign_travel_notice_days"])
    if kind == NotificationKind.WEEKLY:
        return event_date + dt.timedelta(days=p["offenders.weekly_reporting_days"])
    raise ValueError(f"unknown notification kind {kind!r}")


@transaction.atomic
def notification_open(
    *, actor, nominal: Nominal, kind: str, event_date: dt.date, details: str = ""
) -> NotificationEvent:
    """A notification the nominal must make: the change, travel or stay that calls for it
    (`event_date`), its due date from the law, and a duty for the offender manager."""
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    if kind not in NotificationKind.values:
        errors.append(("kind", _("Choose the kind of notification")))
    if event_date is None:
        errors.append(("event_date", _("Enter the date of the event")))
    if nominal.status == NominalStatus.NO_LONGER_SUBJECT:
        errors.append(("kind", _("This nominal is no longer subject to notification")))
    _fail(errors)
    event = NotificationEvent.objects.create(
        nominal=nominal,
        kind=kind,
        event_date=event_date,
        due_date=notification_due_date(kind, event_date),
        details=details,
    )
    audit.record(
        actor,
        "nominal.notification_open",
        event,
        changes={"kind": kind, "due_date": event.due_date.isoformat()},
        person=nominal.person,
    )
    _open(actor, kinds.NOTIFICATION, event, nominal, end_of_day(event.due_date))
    if kind in (NotificationKind.CHANGE, NotificationKind.HOUSEHOLD_CHILD):
        _reactive_trigger(actor, nominal, ReactiveTrigger.CIRCUMSTANCES)
    return event


@transaction.atomic
def notification_record(
    *, actor, event: NotificationEvent, notified_on: dt.date, details: str = ""
) -> NotificationEvent:
    """The nominal made the notification on `notified_on`.

    Steps: access; it must still be due; the date is not in the future; write; audit;
    close its duty; then the follow-ons: a notification that restarts the yearly clock
    (initial, changes, annual, child) replaces the pending annual re-notification with one
    due a year later (so the annual due date moves); weekly reporting opens the next week.
    """
    nominal = event.nominal
    require_casework(actor, nominal)
    locked = NotificationEvent.objects.select_for_update().get(pk=event.pk)
    if locked.status != NotificationStatus.PENDING:
        raise Conflict(_("This notification has already been recorded or is no longer due."))
    if notified_on is None:
        raise ValidationFailed(_("Enter the date the nominal notified"), field="notified_on")
    if notified_on > clock.today():
        raise ValidationFailed(
            _("The date notified must be today or in the past"), field="notified_on"
        )
    locked.status = NotificationStatus.NOTIFIED
    locked.notified_on = notified_on
    if details:
        locked.details = details
    locked.save(update_fields=["status", "notified_on", "details", "updated_at"])
    audit.record(
        actor,
        "nominal.notification_record",
        locked,
        changes={
            "kind": locked.kind,
            "notified_on": notified_on.isoformat(),
            "on_time": locked.on_time,
        },
        person=nominal.person,
    )
    _close(actor, kinds.NOTIFICATION, locked)
    if locked.kind in RESETS_ANNUAL:
        for pending in nominal.notifications.filter(
            kind=NotificationKind.ANNUAL, status=NotificationStatus.PENDING
        ).exclude(pk=locked.pk):
            pending.status = NotificationStatus.SUPERSEDED
            pending.save(update_fields=["status", "updated_at"])
            _close(actor, kinds.NOTIFICATION, pending)
        notification_open(
            actor=actor, nominal=nominal, kind=NotificationKind.ANNUAL, event_date=notified_on
        )
    elif locked.kind == NotificationKind.WEEKLY:
        notification_open(
            actor=actor, nominal=nominal, kind=NotificationKind.WEEKLY, event_date=notified_on
        )
    event.__dict__.update(status=locked.status, notified_on=locked.notified_on)
    return locked


@transaction.atomic
def notification_cancel(*, actor, event: NotificationEvent, reason: str) -> NotificationEvent:
    """A due notification no longer required (travel cancelled, a fixed abode found)."""
    require_casework(actor, event.nominal)
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the notification is no longer required"), field="reason")
    locked = NotificationEvent.objects.select_for_update().get(pk=event.pk)
    if locked.status != NotificationStatus.PENDING:
        raise Conflict(_("This notification has already been recorded or is no longer due."))
    locked.status = NotificationStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    audit.record(
        actor, "nominal.notification_cancel", locked, reason=reason, person=event.nominal.person
    )
    _close(actor, kinds.NOTIFICATION, locked)
    return locked
