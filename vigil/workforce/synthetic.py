"""Synthetic workforce records for the generator: every POLIT and MOSOVO team member's
staff record, the teams' establishment, abstractions (some repeated, some never
reviewed, some reviewed late), wellbeing screening (some out of date, some missed, some
referred on), a training catalogue with five years of sessions and completions (some
supervisors' trauma-informed training lapsed, some never done) and knowledge-sharing
sessions with their attendance, and their duties.

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
from vigil.workforce.services import training as training_services
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
    courses: int = 0
    sessions: int = 0
    completions: int = 0


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
        _training(rng, force, records, managers, supervisors, admin, start, today, counts)
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


# (English title, Welsh title, trauma-informed, refresh months): the Welsh titles are the
# force's own, as a course provider would give them.
COURSES = [
    (
        "Trauma-informed supervision of child abuse investigators",
        "Goruchwylio ymchwilwyr cam-drin plant mewn ffordd sy'n ystyriol o drawma",
        True,
        24,
    ),
    (
        "Vicarious trauma and resilience for supervisors",
        "Trawma eilaidd a gwydnwch i oruchwylwyr",
        True,
        12,
    ),
    (
        "Trauma-informed approach to offender management interviews",
        "Dull sy'n ystyriol o drawma mewn cyfweliadau rheoli troseddwyr",
        True,
        36,
    ),
    (
        "ViSOR user refresher (force course)",
        "Cwrs gloywi defnyddwyr ViSOR (cwrs yr heddlu)",
        False,
        12,
    ),
    (
        "Grading indecent images: the national categories",
        "Graddio delweddau anweddus: y categorïau cenedlaethol",
        False,
        None,
    ),
]
TOPICS = [
    "Case review: what the last serious case review asked of supervisors",
    "New messaging apps seen in referrals this quarter",
    "Working with Probation on joint home visits",
    "Looking after yourself after a difficult grading session",
    "Lessons from a MAPPA level 2 meeting",
    "Digital forensics backlog: triage that works",
    "Reactive management reviews: common gaps",
    "Talking to families of suspects: what helps",
]
FACILITATORS = [
    "Force learning and development",
    "Occupational health psychologist",
    "NSPCC trainer",
    "Detective Inspector, POLIT",
    "Lucy Faithfull Foundation",
]


def _training(rng, force, records, managers, supervisors, admin, start, today, counts):
    """Five years of training for the force: its catalogue at go-live; the trauma-informed
    courses run about three times a year and the others twice; a knowledge-sharing session
    most months; every in-scope supervisor's trauma-informed training — most refreshed in
    time, about one in five lapsing for a while, about one in ten letting it run out for
    good and about one in eight never trained (at least one of each) — and
    officers on some courses too. Each completion is recorded a few days after the session
    by the hosting team's supervisor or manager; a few are withdrawn as recorded in error.
    The refresh duties are then brought up to date month by month, as the sweep would."""
    if not records:
        return
    teams = sorted({r.team for r in records}, key=lambda t: t.name)
    recorder = {t.pk: managers.get(t.pk) or supervisors.get(t.pk) or admin for t in teams}
    with clock.replay(_moment(start, rng)), transaction.atomic():
        courses = [
            training_services.course_create(
                actor=recorder[teams[0].pk],
                force=force,
                title=title,
                title_cy=title_cy,
                trauma_informed=ti,
                refresh_months=months,
            )
            for title, title_cy, ti, months in COURSES
        ]
    counts.courses += len(courses)
    # The sessions: each course on a rota across the five years (none after today + 90).
    sessions = []  # (session, course or None)
    for course in courses:
        every = 120 if course.trauma_informed else 180
        day = start + dt.timedelta(days=rng.randint(20, every))
        while day <= today + dt.timedelta(days=90):
            sessions.append((day, course, None))
            day += dt.timedelta(days=every + rng.randint(-20, 20))
    day = start + dt.timedelta(days=rng.randint(10, 40))
    while day <= today + dt.timedelta(days=30):
        if rng.random() < 0.8:
            sessions.append((day, None, rng.choice(TOPICS)))
        day += dt.timedelta(days=rng.randint(25, 35))
    sessions.sort(key=lambda s: (s[0], s[1].pk if s[1] else 0))
    made = []
    for held_on, course, topic in sessions:
        team = rng.choice(teams)
        scheduled = _moment(max(start, held_on - dt.timedelta(days=rng.randint(14, 40))), rng)
        if not _past(scheduled):
            continue
        with clock.replay(scheduled):
            made.append(
                training_services.session_schedule(
                    actor=recorder[team.pk],
                    team=team,
                    held_on=held_on,
                    facilitator=rng.choice(FACILITATORS),
                    course=course,
                    knowledge_sharing=course is None,
                    topic=topic or "",
                )
            )
    counts.sessions += len(made)
    # Who attends what: each in-scope supervisor goes on a trauma-informed course when theirs
    # is about to run out (or, for a few, months late); the never-trained never go.
    scoped = [r for r in records if r.role in (StaffRole.SUPERVISOR, StaffRole.MANAGER)]
    never = {r.pk for r in scoped if rng.random() < 0.12}
    lapsing = {r.pk for r in scoped if rng.random() < 0.2}
    # Some who stopped going about three years ago, so that their training has run out
    # now; and at least one of each in a force with a few supervisors.
    stopped = {r.pk for r in scoped if r.pk not in never and rng.random() < 0.1}
    if len(scoped) >= 4:
        order = sorted(scoped, key=lambda r: rng.random())
        if not never:
            never.add(order[0].pk)
        if not stopped:
            stopped.add(next(r.pk for r in order if r.pk not in never))
    ti_sessions = [s for s in made if s.course_id and s.course.trauma_informed]
    attend: dict[int, list] = {}
    for record in scoped:
        if record.pk in never:
            continue
        next_due = start + dt.timedelta(days=rng.randint(30, 400))
        while True:
            choice = next((s for s in ti_sessions if s.held_on >= next_due), None)
            if choice is None or choice.held_on > today:
                break
            # No course runs longer than 36 months: their last has expired by today.
            if record.pk in stopped and choice.held_on > today - dt.timedelta(days=1100):
                break
            attend.setdefault(choice.pk, []).append(record)
            expiry = training_services.expiry_for(choice, choice.held_on)
            if expiry is None:
                break
            late = rng.randint(60, 240) if record.pk in lapsing and rng.random() < 0.5 else 0
            next_due = expiry - dt.timedelta(days=rng.randint(10, 50)) + dt.timedelta(days=late)
    officers = [r for r in records if r.role not in (StaffRole.SUPERVISOR, StaffRole.MANAGER)]
    for s in made:
        if s.held_on > today:
            continue
        people = list(attend.get(s.pk, []))
        if s.knowledge_sharing:
            people += [r for r in scoped if r.pk not in never and rng.random() < 0.35]
            people += [r for r in officers if rng.random() < 0.1]
        elif not s.course.trauma_informed:
            people += [r for r in officers if rng.random() < 0.15]
        elif rng.random() < 0.5:
            people += [r for r in officers if rng.random() < 0.05]
        people = sorted({r.pk: r for r in people}.values(), key=lambda r: r.pk)
        if not people:
            continue
        recorded = _moment(s.held_on + dt.timedelta(days=rng.randint(1, 6)), rng)
        if not _past(recorded):
            continue
        with clock.replay(recorded):
            rows = training_services.attendance_record(
                actor=recorder[s.team_id], session=s, staff=people
            )
        counts.completions += len(rows)
        if rng.random() < 0.03:
            wrong = rng.choice(rows)
            undone = _moment(s.held_on + dt.timedelta(days=rng.randint(8, 30)), rng)
            if _past(undone):
                with clock.replay(undone):
                    training_services.completion_withdraw(
                        actor=recorder[s.team_id],
                        completion=wrong,
                        reason="Recorded against the wrong person; corrected from the sign-in sheet.",
                    )
    # The sweep's monthly passes, at their moments, so the duties have their history.
    month = start.replace(day=1)
    while month <= today:
        moment = _moment(month, rng)
        if _past(moment):
            with clock.replay(moment):
                training_services.training_refresh_sweep(now=moment)
        month += relativedelta(months=1)
    training_services.training_refresh_sweep()
