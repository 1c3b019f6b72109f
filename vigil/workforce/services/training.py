"""The training catalogue, sessions, attendance and completions, and the supervisor's
trauma-informed training duty: every write, audited, with its duty, in one transaction.

Who may do each is decided by the callers (pages and API) through the training
selectors: managers keep their force's catalogue; supervisors and managers schedule
sessions for their teams and record their people's attendance.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import start_of_day
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.duties import services as duties
from vigil.workforce.duty_kinds import TRAINING_REFRESH
from vigil.workforce.models import Course, StaffRecord, TrainingCompletion, TrainingSession
from vigil.workforce.selectors import training as selectors
from vigil.workforce.selectors.staff import WORKFORCE_TEAM_KINDS

MAX_REFRESH_MONTHS = 120


def _course_values(title: str, title_cy: str, refresh_months) -> tuple[str, str, int | None]:
    title, title_cy = (title or "").strip(), (title_cy or "").strip()
    errors = []
    if not title:
        errors.append(("title", _("Enter the course title in English")))
    elif len(title) > 200:
        errors.append(("title", _("The title must be 200 characters or fewer")))
    if not title_cy:
        errors.append(("title_cy", _("Enter the course title in Welsh")))
    elif len(title_cy) > 200:
        errors.append(("title_cy", _("The title must be 200 characters or fewer")))
    if refresh_months in ("", None):
        refresh_months = None
    else:
        try:
            refresh_months = int(refresh_months)
        except (TypeError, ValueError):
            refresh_months = -1
        if not 1 <= refresh_months <= MAX_REFRESH_MONTHS:
            errors.append(
                (
                    "refresh_months",
                    _("Enter the refresh period as a whole number of months from 1 to 120"),
                )
            )
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    return title, title_cy, refresh_months


@transaction.atomic
def course_create(
    *, actor, force, title: str, title_cy: str, trauma_informed: bool, refresh_months=None
) -> Course:
    """Add a course to the force's catalogue (titles in English and Welsh; a refresh
    period in months, or none for a course done once)."""
    title, title_cy, refresh_months = _course_values(title, title_cy, refresh_months)
    if Course.objects.filter(force=force, title__iexact=title).exists():
        raise Conflict(_("The catalogue already has a course with this title"), field="title")
    course = Course.objects.create(
        force=force,
        title=title,
        title_cy=title_cy,
        trauma_informed=bool(trauma_informed),
        refresh_months=refresh_months,
    )
    audit.record(
        actor,
        "workforce.course_create",
        course,
        changes={
            "title": title,
            "title_cy": title_cy,
            "trauma_informed": bool(trauma_informed),
            "refresh_months": refresh_months,
        },
    )
    return course


@transaction.atomic
def course_edit(
    *, actor, course: Course, title: str, title_cy: str, trauma_informed: bool, refresh_months
) -> Course:
    """Change a course's titles or refresh period (records already made keep the expiry
    they were given). Whether it is trauma-informed cannot change once anyone has a
    record of it, since past figures counted (or did not count) those records."""
    title, title_cy, refresh_months = _course_values(title, title_cy, refresh_months)
    trauma_informed = bool(trauma_informed)
    if (
        Course.objects.filter(force_id=course.force_id, title__iexact=title)
        .exclude(pk=course.pk)
        .exists()
    ):
        raise Conflict(_("The catalogue already has a course with this title"), field="title")
    if (
        trauma_informed != course.trauma_informed
        and TrainingCompletion.objects.filter(session__course=course).exists()
    ):
        raise Conflict(
            _(
                "People have records of this course, so whether it is trauma-informed "
                "cannot change: add a new course instead"
            ),
            field="trauma_informed",
        )
    before = {
        "title": course.title,
        "title_cy": course.title_cy,
        "trauma_informed": course.trauma_informed,
        "refresh_months": course.refresh_months,
    }
    after = {
        "title": title,
        "title_cy": title_cy,
        "trauma_informed": trauma_informed,
        "refresh_months": refresh_months,
    }
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return course
    for key, value in after.items():
        setattr(course, key, value)
    course.save(update_fields=[*after, "updated_at"])
    audit.record(actor, "workforce.course_edit", course, changes=changes)
    return course


@transaction.atomic
def session_schedule(
    *,
    actor,
    team,
    held_on: dt.date,
    facilitator: str,
    course: Course | None = None,
    knowledge_sharing: bool = False,
    topic: str = "",
) -> TrainingSession:
    """Schedule a running of a course, or a knowledge-sharing session (a topic, no
    course), hosted by a POLIT or MOSOVO team."""
    topic, facilitator = (topic or "").strip(), (facilitator or "").strip()
    errors = []
    if team.kind not in WORKFORCE_TEAM_KINDS:
        errors.append(("team", _("Choose a POLIT or MOSOVO team")))
    if knowledge_sharing:
        if course is not None:
            errors.append(("course", _("A knowledge-sharing session has a topic, not a course")))
        if not topic:
            errors.append(("topic", _("Enter the topic of the knowledge-sharing session")))
    elif course is None:
        errors.append(("course", _("Choose the course")))
    elif course.force_id != team.force_id:
        errors.append(("course", _("Choose a course from the force's catalogue")))
    if len(topic) > 200:
        errors.append(("topic", _("The topic must be 200 characters or fewer")))
    if not facilitator:
        errors.append(("facilitator", _("Enter who facilitates the session")))
    elif len(facilitator) > 200:
        errors.append(("facilitator", _("The facilitator must be 200 characters or fewer")))
    today = clock.today()
    if not today - relativedelta(years=10) <= held_on <= today + relativedelta(years=2):
        errors.append(
            ("held_on", _("Enter a date within the last ten years or the next two years"))
        )
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    row = TrainingSession.objects.create(
        course=None if knowledge_sharing else course,
        knowledge_sharing=bool(knowledge_sharing),
        topic=topic,
        held_on=held_on,
        facilitator=facilitator,
        team=team,
        created_by=actor,
    )
    audit.record(
        actor,
        "workforce.session_schedule",
        row,
        changes={
            "course": str(course.uuid) if course and not knowledge_sharing else None,
            "knowledge_sharing": bool(knowledge_sharing),
            "topic": topic,
            "held_on": held_on.isoformat(),
            "facilitator": facilitator,
            "team": str(team.uuid),
        },
    )
    return row


def expiry_for(session: TrainingSession, completed_on: dt.date) -> dt.date | None:
    """Completion plus the course's refresh period (None: no course, or no refresh)."""
    if session.course_id is None or not session.course.refresh_months:
        return None
    return completed_on + relativedelta(months=session.course.refresh_months)


@transaction.atomic
def attendance_record(
    *, actor, session: TrainingSession, staff: list[StaffRecord], completed_on=None
) -> list[TrainingCompletion]:
    """Record that each of `staff` completed the course (or attended the knowledge-sharing
    session) on `completed_on` (default the session's date).

    Steps: validate the whole list first (the session has been held; the date is not
    before it nor in the future; each person is of the session's force and was in post
    that day; nobody is recorded twice) and write nothing if anything is wrong; insert
    each record with its expiry (the course's refresh period from the completion); audit
    each; bring each person's trauma-informed training duty up to date.
    """
    today = clock.today()
    completed_on = completed_on or session.held_on
    if not staff:
        raise ValidationFailed(_("Choose at least one person who attended"), field="staff")
    if session.held_on > today:
        raise ValidationFailed(
            _("The session has not been held yet: record attendance on or after its date"),
            field="staff",
        )
    if completed_on < session.held_on or completed_on > today:
        raise ValidationFailed(
            _("Enter a completion date from the session's date to today"), field="completed_on"
        )
    wrong = [
        s
        for s in staff
        if s.team.force_id != session.team.force_id
        or s.started_on > completed_on
        or (s.left_on is not None and s.left_on < completed_on)
    ]
    if wrong:
        raise ValidationFailed(
            ngettext(
                "%(names)s was not in post in the force on that date",
                "%(names)s were not in post in the force on that date",
                len(wrong),
            )
            % {"names": ", ".join(s.user.full_name for s in wrong)},
            field="staff",
        )
    already = list(
        TrainingCompletion.objects.filter(
            session=session, staff__in=staff, withdrawn_at__isnull=True
        ).select_related("staff__user")
    )
    if already:
        raise Conflict(
            ngettext(
                "%(names)s is already recorded as attending this session",
                "%(names)s are already recorded as attending this session",
                len(already),
            )
            % {"names": ", ".join(c.staff.user.full_name for c in already)},
            field="staff",
        )
    expires_on = expiry_for(session, completed_on)
    rows = []
    for record in staff:
        row = TrainingCompletion.objects.create(
            staff=record,
            session=session,
            completed_on=completed_on,
            expires_on=expires_on,
            created_by=actor,
        )
        audit.record(
            actor,
            "workforce.training_record",
            row,
            changes={
                "staff": str(record.uuid),
                "session": str(session.uuid),
                "completed_on": completed_on.isoformat(),
                "expires_on": expires_on.isoformat() if expires_on else None,
            },
        )
        rows.append(row)
    if session.course_id and session.course.trauma_informed:
        for record in staff:
            for mine in _open_records_of(record.user_id):
                training_duty_sync(actor=actor, staff=mine)
    return rows


@transaction.atomic
def completion_withdraw(*, actor, completion: TrainingCompletion, reason: str):
    """Withdraw a record made in error, with the reason: it stays on file (and in the
    figures for moments before now), marked withdrawn, and the duty is brought up to date."""
    reason = (reason or "").strip()
    if completion.withdrawn_at is not None:
        raise Conflict(_("This record has already been withdrawn"), field="reason")
    if not reason:
        raise ValidationFailed(_("Enter why the record is withdrawn"), field="reason")
    if len(reason) > 300:
        raise ValidationFailed(_("The reason must be 300 characters or fewer"), field="reason")
    completion.withdrawn_at = clock.now()
    completion.withdrawn_by = actor
    completion.withdrawal_reason = reason
    completion.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    audit.record(
        actor,
        "workforce.training_withdraw",
        completion,
        changes={"withdrawn_at": completion.withdrawn_at.isoformat()},
        reason=reason,
    )
    for mine in _open_records_of(completion.staff.user_id):
        training_duty_sync(actor=actor, staff=mine)
    return completion


def _open_records_of(user_id: int):
    return StaffRecord.objects.filter(user_id=user_id, left_on__isnull=True).select_related(
        "team", "user"
    )


# --- the trauma-informed training duty ---------------------------------------------------


def _end_of(day: dt.date) -> dt.datetime:
    return start_of_day(day + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)


def training_due(staff: StaffRecord, moment: dt.datetime | None = None) -> dt.datetime | None:
    """When `staff` owes trauma-informed training at `moment`, or None when they do not
    (not in post or not in scope, or in date beyond the refresh warning).

    In date but expiring within the warning: due by the end of the last day in date.
    Expired: due by the end of the day it expired (so already overdue). None ever: the
    policy's days from now.
    """
    moment = moment or clock.now()
    row = selectors.refresh_needed(moment).filter(pk=staff.pk).values("ti_valid_until").first()
    if row is None:
        return None
    if row["ti_valid_until"] is not None:
        return _end_of(row["ti_valid_until"] - dt.timedelta(days=1))
    lapsed = (
        TrainingCompletion.objects.filter(
            selectors.counted_at(moment),
            staff__user_id=staff.user_id,
            session__course__trauma_informed=True,
            expires_on__isnull=False,
            expires_on__lte=timezone.localdate(moment),
        )
        .order_by("-expires_on")
        .values_list("expires_on", flat=True)
        .first()
    )
    if lapsed is not None:
        return _end_of(lapsed - dt.timedelta(days=1))
    _lead, first = selectors.warning_days(moment)
    return _end_of(timezone.localdate(moment) + dt.timedelta(days=first))


def training_duty_sync(*, actor, staff: StaffRecord, moment: dt.datetime | None = None):
    """Open the person's trauma-informed training duty (on their team, assigned to them)
    when they owe training at `moment` (default now), or complete it when they do not;
    an open duty is brought forward when the training turns out to be due sooner."""
    due = training_due(staff, moment)
    if due is None:
        return duties.duty_complete(actor=actor, kind=TRAINING_REFRESH, subject=staff)
    from vigil.duties.selectors import open_duty_for

    existing = open_duty_for(kind=TRAINING_REFRESH, subject=staff)
    if existing is not None:
        # Brought forward (training found to have lapsed earlier), never put back.
        if due < existing.due_at:
            return duties.duty_reschedule(
                actor=actor,
                kind=TRAINING_REFRESH,
                subject=staff,
                due_at=due,
                reason=_("Trauma-informed training lapsed"),
            )
        return existing
    return duties.duty_open(
        actor=actor,
        kind=TRAINING_REFRESH,
        subject=staff,
        team=staff.team,
        assignee=staff.user,
        due_at=due,
        note=_("Trauma-informed training to complete or refresh"),
    )


@transaction.atomic
def training_refresh_sweep(*, now: dt.datetime | None = None) -> int:
    """One pass for `vigil sweep` (idempotent): open the duty for every in-scope
    supervisor whose trauma-informed training has come within the refresh warning, has
    lapsed or was never done; complete it for anyone who no longer owes it. Returns how
    many duties it opened or completed.

    Time passing is the only change it reacts to: every recorded change (a completion, a
    withdrawal, a change of scope, leaving) brings the duty up to date itself.
    """
    from vigil.duties.models import Duty

    moment = now or clock.now()
    needed = set(selectors.refresh_needed(moment).values_list("uuid", flat=True))
    open_ids = set(
        Duty.objects.filter(kind=TRAINING_REFRESH, completed_at__isnull=True).values_list(
            "subject_id", flat=True
        )
    )
    changed = 0
    for record in StaffRecord.objects.filter(uuid__in=needed - open_ids).select_related(
        "team", "user"
    ):
        training_duty_sync(actor=None, staff=record, moment=moment)
        changed += 1
    for record in StaffRecord.objects.filter(uuid__in=open_ids - needed).select_related(
        "team", "user"
    ):
        duties.duty_complete(actor=None, kind=TRAINING_REFRESH, subject=record)
        changed += 1
    return changed
