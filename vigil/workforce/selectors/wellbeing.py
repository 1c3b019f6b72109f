"""Wellbeing screening as each role may see it.

Appointment dates and attendance are seen only by the wellbeing (occupational health)
role of the person's force, and by the person themselves. Everyone else who may see a
staff record sees at most whether screening is in date: `annotate_screening_in_date`
gives a boolean and nothing from which a date could be read.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import Role
from vigil.accounts.models import Team
from vigil.core import clock
from vigil.core.exceptions import NotFound
from vigil.core.policy_registry import policy_value
from vigil.workforce import policies
from vigil.workforce.choices import Attendance
from vigil.workforce.models import ScreeningAppointment, StaffRecord, SupportReferral
from vigil.workforce.selectors.staff import WORKFORCE_TEAM_KINDS, hours_at, in_post_q


def is_wellbeing(user) -> bool:
    return access.has_role(user, Role.WELLBEING)


def wellbeing_force_ids(user) -> set[int]:
    """The forces whose staff's screening `user` records (their wellbeing memberships'
    forces, whatever the scope: occupational health serves the whole force)."""
    return {m.team.force_id for m in access.memberships(user) if m.role == Role.WELLBEING}


def wellbeing_teams(*, user) -> QuerySet:
    return Team.objects.filter(
        kind__in=WORKFORCE_TEAM_KINDS, force_id__in=wellbeing_force_ids(user)
    )


def interval_months(moment: dt.datetime) -> int:
    return int(policy_value(policies.SCREENING_MONTHS, at=moment))


def screened_since(moment: dt.datetime, months: int, outer: str = "pk") -> Exists:
    """An attended screening of the staff record OuterRef(`outer`) in the `months` to
    `moment`, its attendance recorded by then."""
    day = timezone.localdate(moment)
    return Exists(
        ScreeningAppointment.objects.filter(
            staff=OuterRef(outer),
            attendance=Attendance.ATTENDED,
            appointment_on__gt=day - relativedelta(months=months),
            appointment_on__lte=day,
            attended_recorded_at__lte=moment,
        )
    )


def in_scope_at(moment: dt.datetime) -> QuerySet:
    """Staff records in post in POLIT and MOSOVO teams at `moment` and in scope for
    screening by the terms in force then."""
    return (
        StaffRecord.objects.filter(in_post_q(moment), team__kind__in=WORKFORCE_TEAM_KINDS)
        .annotate(screening_scope_now=hours_at(moment, "screening_in_scope"))
        .filter(screening_scope_now=True)
    )


def annotate_screening_in_date(qs: QuerySet, moment: dt.datetime | None = None) -> QuerySet:
    """`screening_in_date` (True or False) only: what a supervisor may see."""
    moment = moment or clock.now()
    return qs.annotate(screening_in_date=screened_since(moment, interval_months(moment)))


def screening_list(*, user, teams=None, overdue_only: bool = False) -> QuerySet:
    """For the wellbeing role: everyone in scope now in the forces they serve, with
    `last_screened_on` (attended), `next_booked_on` and `in_date`; overdue first."""
    if not is_wellbeing(user):
        return StaffRecord.objects.none()
    now = clock.now()
    today = timezone.localdate(now)
    qs = in_scope_at(now).filter(team__in=wellbeing_teams(user=user))
    if teams is not None:
        qs = qs.filter(team__in=teams)
    attended = ScreeningAppointment.objects.filter(
        staff=OuterRef("pk"), attendance=Attendance.ATTENDED
    )
    booked = ScreeningAppointment.objects.filter(
        staff=OuterRef("pk"), attendance=Attendance.BOOKED, appointment_on__gte=today
    ).order_by("appointment_on")
    qs = qs.annotate(
        last_screened_on=Subquery(
            attended.order_by().values("staff").annotate(m=Max("appointment_on")).values("m")[:1]
        ),
        next_booked_on=Subquery(booked.values("appointment_on")[:1]),
        in_date=screened_since(now, interval_months(now)),
    )
    if overdue_only:
        qs = qs.filter(in_date=False)
    return qs.select_related("user", "team").order_by(
        "in_date", "last_screened_on", "user__full_name", "pk"
    )


def get_staff_for_wellbeing(user, staff_uuid) -> StaffRecord:
    """A staff record of the forces `user` serves as wellbeing officer; NotFound for
    missing, forbidden and any other role alike."""
    if not is_wellbeing(user):
        raise NotFound(_("Not found."))
    record = (
        StaffRecord.objects.filter(uuid=staff_uuid, team__in=wellbeing_teams(user=user))
        .select_related("user", "team")
        .first()
    )
    if record is None:
        raise NotFound(_("Not found."))
    return record


def screenings(staff: StaffRecord) -> QuerySet:
    return staff.screenings.prefetch_related("support_referrals").order_by("-appointment_on", "-id")


def get_screening_for_wellbeing(user, screening_uuid) -> ScreeningAppointment:
    if not is_wellbeing(user):
        raise NotFound(_("Not found."))
    row = (
        ScreeningAppointment.objects.filter(
            uuid=screening_uuid, staff__team__in=wellbeing_teams(user=user)
        )
        .select_related("staff__user", "staff__team")
        .first()
    )
    if row is None:
        raise NotFound(_("Not found."))
    return row


def get_support_for_wellbeing(user, referral_uuid) -> SupportReferral:
    if not is_wellbeing(user):
        raise NotFound(_("Not found."))
    row = (
        SupportReferral.objects.filter(
            uuid=referral_uuid, screening__staff__team__in=wellbeing_teams(user=user)
        )
        .select_related("screening__staff")
        .first()
    )
    if row is None:
        raise NotFound(_("Not found."))
    return row


def own_screenings(*, user) -> QuerySet:
    """The signed-in person's own screening appointments (any team), newest first."""
    return (
        ScreeningAppointment.objects.filter(staff__user=user)
        .prefetch_related("support_referrals")
        .order_by("-appointment_on", "-id")
    )
