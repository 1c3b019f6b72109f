"""Staff records, their hours and a team's establishment: every write, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts.choices import Rank
from vigil.core import clock
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.workforce.choices import StaffRole
from vigil.workforce.models import Establishment, StaffHours, StaffRecord
from vigil.workforce.selectors.staff import WORKFORCE_TEAM_KINDS


def _fte(value) -> Decimal:
    try:
        fte = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(
            _("Enter the FTE as a number, for example 0.8"), field="fte"
        ) from exc
    if not Decimal("0") < fte <= Decimal("1"):
        raise ValidationFailed(_("Enter an FTE more than 0 and no more than 1"), field="fte")
    return fte


def _protected(value) -> int:
    if value is None or not 0 <= int(value) <= 100:
        raise ValidationFailed(
            _("Enter protected time as a whole number from 0 to 100"), field="protected_percent"
        )
    return int(value)


@transaction.atomic
def staff_record_create(
    *,
    actor,
    user,
    team,
    role: str,
    grade: str,
    started_on: dt.date,
    fte,
    protected_percent: int = 0,
    screening_in_scope: bool = True,
    training_in_scope: bool | None = None,
) -> StaffRecord:
    """Put a person in post in a POLIT or MOSOVO team, with their hours from the start.

    Supervisors and managers are in scope for supervisor training unless told otherwise.
    """
    errors = []
    if team.kind not in WORKFORCE_TEAM_KINDS:
        errors.append(("team", _("Choose a POLIT or MOSOVO team")))
    if role not in StaffRole.values:
        errors.append(("role", _("Choose a role")))
    if grade not in Rank.values:
        errors.append(("grade", _("Choose a rank or grade")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    fte = _fte(fte)
    protected = _protected(protected_percent)
    if StaffRecord.objects.filter(user=user, team=team, left_on__isnull=True).exists():
        raise Conflict(_("This person already has a staff record in this team"), field="user")
    if training_in_scope is None:
        training_in_scope = role in (StaffRole.SUPERVISOR, StaffRole.MANAGER)
    record = StaffRecord.objects.create(
        user=user, team=team, role=role, grade=grade, started_on=started_on, created_by=actor
    )
    from vigil.core.calendar import start_of_day

    StaffHours.objects.create(
        staff=record,
        effective_from=min(start_of_day(started_on), clock.now()),
        fte=fte,
        protected_percent=protected,
        screening_in_scope=screening_in_scope,
        training_in_scope=training_in_scope,
        created_by=actor,
    )
    if screening_in_scope:
        from dateutil.relativedelta import relativedelta

        from vigil.workforce.selectors.wellbeing import interval_months
        from vigil.workforce.services.wellbeing import screening_duty_open

        months = interval_months(clock.now())
        screening_duty_open(
            actor=actor, staff=record, due_on=started_on + relativedelta(months=months)
        )
    if training_in_scope:
        from vigil.workforce.services.training import training_duty_sync

        training_duty_sync(actor=actor, staff=record)
    audit.record(
        actor,
        "workforce.staff_create",
        record,
        changes={
            "user": user.email,
            "team": str(team.uuid),
            "role": role,
            "grade": grade,
            "started_on": started_on.isoformat(),
            "fte": str(fte),
            "protected_percent": protected,
            "screening_in_scope": screening_in_scope,
            "training_in_scope": training_in_scope,
        },
    )
    return record


@transaction.atomic
def staff_hours_change(
    *,
    actor,
    staff: StaffRecord,
    fte,
    protected_percent: int,
    screening_in_scope: bool,
    training_in_scope: bool,
    effective_from: dt.datetime | None = None,
    reason: str = "",
) -> StaffHours:
    """New terms (hours, protected time, scope flags) from a moment (default now); the
    earlier rows stay, so a figure for a past date uses the terms then."""
    fte = _fte(fte)
    protected = _protected(protected_percent)
    if staff.left_on is not None:
        raise Conflict(_("This person has left the team"), field="fte")
    before = staff.hours.order_by("-effective_from", "-id").first()
    row = StaffHours.objects.create(
        staff=staff,
        effective_from=effective_from or clock.now(),
        fte=fte,
        protected_percent=protected,
        screening_in_scope=screening_in_scope,
        training_in_scope=training_in_scope,
        reason=reason[:300],
        created_by=actor,
    )
    audit.record(
        actor,
        "workforce.staff_hours",
        staff,
        changes={
            "fte": [str(before.fte) if before else None, str(fte)],
            "protected_percent": [before.protected_percent if before else None, protected],
            "screening_in_scope": [
                before.screening_in_scope if before else None,
                screening_in_scope,
            ],
            "training_in_scope": [before.training_in_scope if before else None, training_in_scope],
            "effective_from": row.effective_from.isoformat(),
        },
        reason=reason,
    )
    # Coming into (or out of) scope for supervisor training opens (or closes) the duty.
    from vigil.workforce.services.training import training_duty_sync

    training_duty_sync(actor=actor, staff=staff)
    return row


@transaction.atomic
def staff_record_end(*, actor, staff: StaffRecord, left_on: dt.date) -> StaffRecord:
    """Record that the person left the team on `left_on`."""
    if staff.left_on is not None:
        raise Conflict(_("This person has already left the team"), field="left_on")
    if left_on < staff.started_on:
        raise ValidationFailed(
            _("The leaving date must be on or after the start date"), field="left_on"
        )
    staff.left_on = left_on
    staff.save(update_fields=["left_on", "updated_at"])
    audit.record(actor, "workforce.staff_end", staff, changes={"left_on": left_on.isoformat()})
    # Someone who has left is no longer owed an annual screening here.
    from vigil.duties import services as duties
    from vigil.workforce.duty_kinds import SCREENING, TRAINING_REFRESH

    duties.duty_complete(actor=actor, kind=SCREENING, subject=staff)
    duties.duty_complete(actor=actor, kind=TRAINING_REFRESH, subject=staff)
    return staff


@transaction.atomic
def establishment_set(
    *, actor, team, posts, effective_from: dt.datetime | None = None, reason: str = ""
) -> Establishment:
    """The posts funded for `team` from a moment (default now)."""
    try:
        posts = Decimal(str(posts)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("Enter the posts funded as a number"), field="posts") from exc
    if posts < 0 or posts > Decimal("9999"):
        raise ValidationFailed(_("Enter the posts funded as 0 or more"), field="posts")
    if team.kind not in WORKFORCE_TEAM_KINDS:
        raise ValidationFailed(_("Choose a POLIT or MOSOVO team"), field="team")
    row = Establishment.objects.create(
        team=team,
        posts=posts,
        effective_from=effective_from or clock.now(),
        reason=reason[:300],
        created_by=actor,
    )
    audit.record(
        actor,
        "workforce.establishment_set",
        team,
        changes={"posts": str(posts), "effective_from": row.effective_from.isoformat()},
        reason=reason,
    )
    return row
