"""Recording and reviewing abstractions, and the repeat-abstraction flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import start_of_day
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.policy_registry import policy_values
from vigil.duties import services as duties
from vigil.workforce import policies
from vigil.workforce.choices import AbstractionReason
from vigil.workforce.duty_kinds import ABSTRACTION_REVIEW, REPEAT_ABSTRACTION
from vigil.workforce.models import Abstraction, StaffRecord


def _repeat_count(staff: StaffRecord, day: dt.date, window_days: int) -> int:
    return staff.abstractions.filter(
        starts_on__gt=day - dt.timedelta(days=window_days), starts_on__lte=day
    ).count()


@transaction.atomic
def abstraction_record(
    *,
    actor,
    staff: StaffRecord,
    starts_on: dt.date,
    ends_on: dt.date,
    hours,
    reason: str,
    authorised_by,
    note: str = "",
) -> Abstraction:
    """Record an abstraction of an officer from their team's work.

    Steps: validate; insert with its review deadline (policy, days after the end); open
    the supervisor's review duty for the team; if the officer is now over the repeat limit
    in the window (counting abstractions begun in the window to the start of this one),
    open the manager's repeat-abstraction duty on the staff record; audit.
    """
    errors = []
    if ends_on < starts_on:
        errors.append(("ends_on", _("The end date must be on or after the start date")))
    if reason not in AbstractionReason.values:
        errors.append(("reason", _("Choose the reason for the abstraction")))
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
        if hours <= 0 or hours > Decimal("2000"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.append(("hours", _("Enter the hours as a number more than 0")))
    if staff.left_on is not None and starts_on > staff.left_on:
        errors.append(("starts_on", _("The officer had left the team by then")))
    if len(note) > 300:
        errors.append(("note", _("The note must be 300 characters or fewer")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    now = clock.now()
    values = policy_values(
        [
            policies.ABSTRACTION_REVIEW_DAYS,
            policies.REPEAT_LIMIT,
            policies.REPEAT_WINDOW_DAYS,
            policies.REPEAT_FLAG_DAYS,
        ],
        at=now,
    )
    period_end = start_of_day(ends_on + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)
    review_due = start_of_day(
        ends_on + dt.timedelta(days=int(values[policies.ABSTRACTION_REVIEW_DAYS]) + 1)
    ) - dt.timedelta(microseconds=1)
    row = Abstraction.objects.create(
        staff=staff,
        team=staff.team,
        starts_on=starts_on,
        ends_on=ends_on,
        period_start=start_of_day(starts_on),
        period_end=period_end,
        hours=hours,
        reason=reason,
        authorised_by=authorised_by,
        note=note,
        review_due_at=review_due,
        created_by=actor,
    )
    audit.record(
        actor,
        "workforce.abstraction_record",
        row,
        changes={
            "staff": str(staff.uuid),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "hours": str(hours),
            "reason": reason,
            "authorised_by": authorised_by.email,
        },
    )
    duties.duty_open(
        actor=actor, kind=ABSTRACTION_REVIEW, subject=row, team=staff.team, due_at=review_due
    )
    window = int(values[policies.REPEAT_WINDOW_DAYS])
    if _repeat_count(staff, starts_on, window) > int(values[policies.REPEAT_LIMIT]):
        duties.duty_open(
            actor=actor,
            kind=REPEAT_ABSTRACTION,
            subject=staff,
            team=staff.team,
            due_at=now + dt.timedelta(days=int(values[policies.REPEAT_FLAG_DAYS])),
            note=_("Abstracted more than the repeat limit"),
        )
    return row


@transaction.atomic
def abstraction_review(*, actor, abstraction: Abstraction, note: str) -> Abstraction:
    """A supervisor's review of an abstraction: closes its review duty."""
    if abstraction.reviewed_at is not None:
        raise Conflict(_("This abstraction has already been reviewed"), field="note")
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Enter what the review found"), field="note")
    if len(note) > 1000:
        raise ValidationFailed(_("The review note must be 1000 characters or fewer"), field="note")
    if actor.pk == abstraction.staff.user_id:
        raise ValidationFailed(_("An officer cannot review their own abstraction"), field="note")
    abstraction.reviewed_at = clock.now()
    abstraction.reviewed_by = actor
    abstraction.review_note = note
    abstraction.save(update_fields=["reviewed_at", "reviewed_by", "review_note", "updated_at"])
    audit.record(
        actor,
        "workforce.abstraction_review",
        abstraction,
        changes={"reviewed_at": abstraction.reviewed_at.isoformat()},
    )
    duties.duty_complete(actor=actor, kind=ABSTRACTION_REVIEW, subject=abstraction)
    return abstraction


@transaction.atomic
def repeat_flag_review(*, actor, staff: StaffRecord, note: str):
    """A manager's review of an officer abstracted repeatedly: closes the flag's duty."""
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Enter what the review found"), field="note")
    duty = duties.duty_complete(actor=actor, kind=REPEAT_ABSTRACTION, subject=staff)
    if duty is None:
        raise Conflict(_("There is no repeat-abstraction flag to review"), field="note")
    audit.record(actor, "workforce.repeat_flag_review", staff, changes={}, reason=note[:1000])
    return duty
