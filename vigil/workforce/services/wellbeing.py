"""Wellbeing screening and follow-on support: dates and attendance only.

Only the wellbeing role of the person's force records them. Audit events name the row
(by its id) and the kind of change: never the person, a date or an attendance, because
auditors read the audit log and must not learn from it who had an appointment when. The annual screening duty is owned by
the force's wellbeing team, so it never appears in the person's own team's work lists.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts.choices import Role
from vigil.accounts.models import Membership
from vigil.core import clock
from vigil.core.calendar import start_of_day
from vigil.core.exceptions import Conflict, NotFound, ValidationFailed
from vigil.duties import services as duties
from vigil.workforce.choices import Attendance
from vigil.workforce.duty_kinds import SCREENING
from vigil.workforce.models import ScreeningAppointment, StaffRecord, SupportReferral
from vigil.workforce.selectors.wellbeing import interval_months, wellbeing_force_ids

OUTCOMES = (Attendance.ATTENDED, Attendance.DID_NOT_ATTEND, Attendance.CANCELLED)


def _require_wellbeing(actor, staff: StaffRecord) -> None:
    if staff.team.force_id not in wellbeing_force_ids(actor):
        raise NotFound(_("Not found."))


def wellbeing_team(force_id: int):
    """The team of the force's first wellbeing membership (None when it has none)."""
    m = (
        Membership.objects.filter(role=Role.WELLBEING, team__force_id=force_id)
        .select_related("team")
        .order_by("pk")
        .first()
    )
    return m.team if m else None


def screening_duty_open(*, actor, staff: StaffRecord, due_on: dt.date):
    """Open the person's annual screening duty (idempotent), on the force's wellbeing
    team; nothing when the force has no wellbeing team yet.

    It falls due at the end of the month `due_on` is in: a duty's due date is seen by
    more people than the wellbeing role (managers' work lists, the audit log), and the
    exact date would give away the day of the last appointment.
    """
    team = wellbeing_team(staff.team.force_id)
    if team is None:
        return None
    due_on = due_on.replace(day=1) + relativedelta(months=1) - dt.timedelta(days=1)
    return duties.duty_open(
        actor=actor,
        kind=SCREENING,
        subject=staff,
        team=team,
        due_at=start_of_day(due_on + dt.timedelta(days=1)) - dt.timedelta(microseconds=1),
    )


@transaction.atomic
def screening_book(*, actor, staff: StaffRecord, appointment_on: dt.date) -> ScreeningAppointment:
    """Book a screening appointment for a person in post."""
    _require_wellbeing(actor, staff)
    if staff.left_on is not None:
        raise Conflict(_("This person has left the team"), field="appointment_on")
    row = ScreeningAppointment.objects.create(
        staff=staff, appointment_on=appointment_on, created_by=actor
    )
    audit.record(actor, "workforce.screening_book", row, changes={})
    return row


@transaction.atomic
def screening_attendance(*, actor, screening: ScreeningAppointment, attendance: str):
    """Record whether the appointment was kept. Attended: the screening duty is done and
    the next one opens, due the policy's months after the appointment."""
    _require_wellbeing(actor, screening.staff)
    if attendance not in OUTCOMES:
        raise ValidationFailed(
            _("Choose attended, did not attend or cancelled"), field="attendance"
        )
    if screening.attendance != Attendance.BOOKED:
        raise Conflict(_("Attendance has already been recorded"), field="attendance")
    if attendance == Attendance.ATTENDED and screening.appointment_on > clock.today():
        raise ValidationFailed(
            _("An appointment still to come cannot have been attended"), field="attendance"
        )
    screening.attendance = attendance
    screening.attended_recorded_at = clock.now()
    screening.save(update_fields=["attendance", "attended_recorded_at", "updated_at"])
    audit.record(
        actor,
        "workforce.screening_attendance",
        screening,
        changes={},
    )
    if attendance == Attendance.ATTENDED:
        staff = screening.staff
        duties.duty_complete(actor=actor, kind=SCREENING, subject=staff)
        if staff.left_on is None:
            months = interval_months(clock.now())
            screening_duty_open(
                actor=actor,
                staff=staff,
                due_on=screening.appointment_on + relativedelta(months=months),
            )
    return screening


@transaction.atomic
def support_refer(
    *, actor, screening: ScreeningAppointment, referred_on: dt.date, first_appointment_on=None
) -> SupportReferral:
    """Refer the person to follow-on support after an attended screening."""
    _require_wellbeing(actor, screening.staff)
    if screening.attendance != Attendance.ATTENDED:
        raise Conflict(_("Refer only after a screening that was attended"), field="referred_on")
    if referred_on < screening.appointment_on:
        raise ValidationFailed(
            _("The referral cannot be before the screening"), field="referred_on"
        )
    if first_appointment_on is not None and first_appointment_on < referred_on:
        raise ValidationFailed(
            _("The first appointment cannot be before the referral"), field="first_appointment_on"
        )
    row = SupportReferral.objects.create(
        screening=screening,
        referred_on=referred_on,
        first_appointment_on=first_appointment_on,
        created_by=actor,
    )
    audit.record(actor, "workforce.support_refer", row, changes={})
    return row


@transaction.atomic
def support_attendance(
    *, actor, referral: SupportReferral, attendance: str, first_appointment_on=None
):
    """Record the first follow-on appointment's date and whether it was kept."""
    _require_wellbeing(actor, referral.screening.staff)
    if attendance not in Attendance.values:
        raise ValidationFailed(_("Choose the attendance"), field="attendance")
    if first_appointment_on is not None:
        if first_appointment_on < referral.referred_on:
            raise ValidationFailed(
                _("The first appointment cannot be before the referral"),
                field="first_appointment_on",
            )
        referral.first_appointment_on = first_appointment_on
    if attendance != Attendance.BOOKED and referral.first_appointment_on is None:
        raise ValidationFailed(
            _("Enter the date of the first appointment"), field="first_appointment_on"
        )
    referral.attendance = attendance
    referral.save(update_fields=["attendance", "first_appointment_on", "updated_at"])
    audit.record(
        actor,
        "workforce.support_attendance",
        referral,
        changes={},
    )
    return referral
