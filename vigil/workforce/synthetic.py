"""Synthetic workforce records for the generator: every POLIT and MOSOVO team member's
staff record, the teams' establishment, abstractions (some repeated, some never
reviewed, some reviewed late), wellbeing screening (some out of date, some missed, some
referred on) and their duties.

Each write goes through the services under `clock.replay(moment)` at the moment it
happens in the story, so created_at, audit events and duties carry history-true times.
Attendance is recorded the day after an appointment, as occupational health would.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from vigil.accounts.choices import Role
from vigil.accounts.models import Membership
from vigil.core import clock
from vigil.workforce.choices import AbstractionReason, StaffRole
from vigil.workforce.selectors.staff import WORKFORCE_TEAM_KINDS
from vigil.workforce.services import abstractions as abstraction_services
from vigil.workforce.services import staff as staff_services
from vigil.workforce.services import wellbeing as wellbeing_services

ROLE_FOR = {
    Role.OFFICER: StaffRole.OFFICER,
    Role.SUPERVISOR: StaffRole.SUPERVISOR,
    Role.MANAGER: StaffRole.MANAGER,
    Role.ANALYST: StaffRole.STAFF,
}
REASONS = [
    (AbstractionReason.COURT, 30),
    (AbstractionReason.TRAINING, 20),
    (AbstractionReason.OTHER_DUTIES, 20),
    (AbstractionReason.PUBLIC_ORDER, 15),
    (AbstractionReason.SICKNESS_COVER, 10),
    (AbstractionReason.MAJOR_INCIDENT, 5),
]


@dataclass
class Counts:
    staff: int = 0
    abstractions: int = 0
    screenings: int = 0


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours time on `day` (Europe/London), in UTC (as the audit log hashes it)."""
    naive = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
    return timezone.make_aware(naive, timezone.get_default_timezone()).astimezone(dt.UTC)


def _past(moment: dt.datetime) -> bool:
    return moment < clock.now()


def generate_workforce(*, admin, forces, seed: int, began: dt.datetime) -> Counts:
    """Staff, establishment, abstractions and screening for every POLIT and MOSOVO team of
    `forces`, from `began` (when the force began using Vigil) to today."""
    rng = random.Random(seed * 7919 + 12)  # noqa: S311 (reproducible, not secret)
    counts = Counts()
    today = clock.today()
    start = timezone.localdate(began)
    for force in forces:
        wellbeing = (
            Membership.objects.filter(team__force=force, role=Role.WELLBEING)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        memberships = list(
            Membership.objects.filter(team__force=force, team__kind__in=WORKFORCE_TEAM_KINDS)
            .filter(role__in=list(ROLE_FOR))
            .select_related("user", "team")
            .order_by("team__name", "user__email", "pk")
        )
        managers = {m.team_id: m.user for m in memberships if m.role == Role.MANAGER}
        supervisors = {m.team_id: m.user for m in memberships if m.role == Role.SUPERVISOR}
        records = []
        with clock.replay(_moment(start, rng)), transaction.atomic():
            for m in memberships:
                if any(r.user_id == m.user_id and r.team_id == m.team_id for r in records):
                    continue
                role = ROLE_FOR[m.role]
                fte = rng.choices(["1.00", "0.80", "0.60"], weights=[80, 12, 8])[0]
                records.append(
                    staff_services.staff_record_create(
                        actor=admin,
                        user=m.user,
                        team=m.team,
                        role=role,
                        grade=m.user.rank,
                        started_on=start,
                        fte=fte,
                        protected_percent=rng.choice([0, 0, 0, 0, 10, 20]),
                        screening_in_scope=True,
                    )
                )
            for team_id in {m.team_id for m in memberships}:
                team = next(m.team for m in memberships if m.team_id == team_id)
                headcount = sum(1 for r in records if r.team_id == team_id)
                staff_services.establishment_set(
                    actor=admin,
                    team=team,
                    posts=headcount + rng.choice([0, 1, 1, 2]),
                    reason="Establishment at go-live",
                )
        counts.staff += len(records)
        for record in records:
            supervisor = supervisors.get(record.team_id) or managers.get(record.team_id) or admin
            manager = managers.get(record.team_id) or supervisor
            if record.role in (StaffRole.OFFICER, StaffRole.SUPERVISOR):
                counts.abstractions += _abstractions(rng, record, supervisor, manager, today)
            if wellbeing is not None:
                counts.screenings += _screenings(rng, record, wellbeing.user, today, start)
    return counts


def _abstractions(rng, record, supervisor, manager, today) -> int:
    """A year of abstractions: most officers a few, some repeatedly (three in a quarter),
    most reviewed within the fortnight, some late, the latest ones not yet."""
    n = rng.choices([0, 1, 2, 3, 5], weights=[25, 30, 25, 12, 8])[0]
    repeated = rng.random() < 0.12
    days = sorted(today - dt.timedelta(days=rng.randint(5, 360)) for _ in range(n))
    if repeated:
        base = today - dt.timedelta(days=rng.randint(20, 60))
        days += [base - dt.timedelta(days=d) for d in (0, 21, 45)]
        days.sort()
    made = 0
    actor = supervisor if supervisor.pk != record.user_id else manager
    for start in days:
        length = rng.choice([1, 1, 1, 2, 3, 5])
        end = start + dt.timedelta(days=length - 1)
        recorded = _moment(end + dt.timedelta(days=rng.randint(0, 2)), rng)
        if not _past(recorded):
            continue
        with clock.replay(recorded):
            row = abstraction_services.abstraction_record(
                actor=actor,
                staff=record,
                starts_on=start,
                ends_on=end,
                hours=8 * length if rng.random() < 0.8 else rng.choice([3, 4, 6]),
                reason=rng.choices([r for r, _w in REASONS], weights=[w for _r, w in REASONS])[0],
                authorised_by=manager,
            )
        made += 1
        fate = rng.random()
        if fate < 0.15:
            continue  # never reviewed
        delay = rng.randint(1, 13) if fate < 0.85 else rng.randint(16, 40)
        reviewed = _moment(end + dt.timedelta(days=delay), rng)
        if _past(reviewed) and actor.pk != record.user_id:
            with clock.replay(reviewed):
                abstraction_services.abstraction_review(
                    actor=actor,
                    abstraction=row,
                    note="Reviewed with the officer; workload rebalanced.",
                )
    return made


def _screenings(rng, record, oh, today, start) -> int:
    """Yearly screening: most in date, about one in six out of date, a few missed
    appointments rebooked, about one in eight referred to follow-on support."""
    made = 0
    overdue = rng.random() < 0.17
    last = today - dt.timedelta(days=rng.randint(380, 500) if overdue else rng.randint(10, 330))
    previous = last - relativedelta(months=12) + dt.timedelta(days=rng.randint(-20, 20))
    for day in (previous, last):
        if day < start:
            continue
        missed = rng.random() < 0.08
        if missed:
            made += _appointment(rng, record, oh, day - dt.timedelta(days=21), "dna")
        made += _appointment(rng, record, oh, day, "attended", refer=rng.random() < 0.12)
    return made


def _appointment(rng, record, oh, day, outcome, refer=False) -> int:
    booked = _moment(day - dt.timedelta(days=rng.randint(7, 21)), rng)
    recorded = _moment(day + dt.timedelta(days=1), rng)
    if not _past(recorded):
        return 0
    with clock.replay(booked):
        row = wellbeing_services.screening_book(actor=oh, staff=record, appointment_on=day)
    with clock.replay(recorded):
        wellbeing_services.screening_attendance(actor=oh, screening=row, attendance=outcome)
        if refer:
            first = day + dt.timedelta(days=rng.randint(7, 20))
            wellbeing_services.support_refer(
                actor=oh,
                screening=row,
                referred_on=day + dt.timedelta(days=1),
                first_appointment_on=first,
            )
    return 1
