"""Training and knowledge sharing as each role may see it: the force's course catalogue,
its sessions and their attendance, a team's training status, and each person's own record.

Training belongs to the person, not to one staff record: a supervisor who moves team keeps
the training they did in the old one, so the in-date tests look for completions by the
same user. Everything is read as it stood at a moment: a completion counts once it was
recorded (created_at), from its completion date to its expiry, until it was withdrawn.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import Scope
from vigil.accounts.models import Force
from vigil.core import clock
from vigil.core.exceptions import NotFound
from vigil.core.policy_registry import policy_values
from vigil.workforce import policies
from vigil.workforce.models import Course, StaffRecord, TrainingCompletion, TrainingSession
from vigil.workforce.selectors.staff import (
    MANAGE_ROLES,
    REVIEW_ROLES,
    VIEW_ROLES,
    WORKFORCE_TEAM_KINDS,
    get_staff_for_user,
    hours_at,
    in_post_q,
    workforce_teams,
)

# Who records training for their teams: there is no training administrator role, so the
# team's supervisors and managers do (as they record abstractions); managers keep the
# force's catalogue.
RECORD_ROLES = REVIEW_ROLES
CATALOGUE_ROLES = MANAGE_ROLES


def training_force_ids(user, roles=VIEW_ROLES) -> set[int]:
    """The forces whose catalogue and sessions `user` sees (or, with `roles`, manages):
    those where they hold one of `roles` over a POLIT or MOSOVO team (or the whole force).
    No query: memberships are cached for the request."""
    return {
        m.team.force_id
        for m in access.memberships(user)
        if m.role in roles and (m.scope == Scope.FORCE or m.team.kind in WORKFORCE_TEAM_KINDS)
    }


def catalogue_forces(*, user) -> QuerySet:
    """The forces whose catalogue `user` may add courses to."""
    return Force.objects.filter(pk__in=training_force_ids(user, CATALOGUE_ROLES)).order_by("name")


def warning_days(moment: dt.datetime) -> tuple[int, int]:
    """(refresh warning days, days a newly in-scope supervisor has) in force at `moment`."""
    values = policy_values(
        [policies.TRAINING_REFRESH_WARNING_DAYS, policies.TRAINING_FIRST_DAYS], at=moment
    )
    return (
        int(values[policies.TRAINING_REFRESH_WARNING_DAYS]),
        int(values[policies.TRAINING_FIRST_DAYS]),
    )


# --- what counted at a moment ----------------------------------------------------------


def counted_at(moment: dt.datetime, prefix: str = "") -> Q:
    """The completion had been recorded by `moment` and not withdrawn by then."""
    return Q(**{f"{prefix}created_at__lte": moment}) & (
        Q(**{f"{prefix}withdrawn_at__isnull": True}) | Q(**{f"{prefix}withdrawn_at__gt": moment})
    )


def _valid_ti(moment: dt.datetime, outer_user: str) -> QuerySet:
    day = timezone.localdate(moment)
    return TrainingCompletion.objects.filter(
        counted_at(moment),
        Q(expires_on__isnull=True) | Q(expires_on__gt=day),
        staff__user=OuterRef(outer_user),
        session__course__trauma_informed=True,
        completed_on__lte=day,
    )


def ti_in_date(moment: dt.datetime, outer_user: str = "user") -> Exists:
    """The user OuterRef(`outer_user`) had in-date trauma-informed training at `moment`:
    a completion dated on or before the day, expiring after it (or never), recorded by
    the moment and not withdrawn by then."""
    return Exists(_valid_ti(moment, outer_user))


def ti_valid_until(moment: dt.datetime, outer_user: str = "user") -> Subquery:
    """The latest expiry of the user's in-date trauma-informed training at `moment` (None
    when it never expires, or when there is none: read with `ti_in_date`)."""
    rows = _valid_ti(moment, outer_user).order_by(F("expires_on").desc(nulls_first=True))
    return Subquery(rows.values("expires_on")[:1], output_field=DateField())


def _last(moment: dt.datetime, outer_user: str, **filters) -> Subquery:
    rows = TrainingCompletion.objects.filter(
        counted_at(moment), staff__user=OuterRef(outer_user), **filters
    ).order_by("-completed_on", "-id")
    return Subquery(rows.values("completed_on")[:1], output_field=DateField())


def attended_knowledge_sharing(
    moment: dt.datetime, start: dt.date, end: dt.date, outer_user: str = "user"
) -> Exists:
    """The user attended a knowledge-sharing session held from `start` to `end`, the
    attendance recorded by `moment` and not withdrawn by then."""
    return Exists(
        TrainingCompletion.objects.filter(
            counted_at(moment),
            staff__user=OuterRef(outer_user),
            session__knowledge_sharing=True,
            session__held_on__gte=start,
            session__held_on__lte=end,
        )
    )


def training_scope_at(moment: dt.datetime) -> QuerySet:
    """Staff records in post in POLIT and MOSOVO teams at `moment` and in scope for
    supervisor training by the terms in force then."""
    return (
        StaffRecord.objects.filter(in_post_q(moment), team__kind__in=WORKFORCE_TEAM_KINDS)
        .annotate(training_scope_now=hours_at(moment, "training_in_scope"))
        .filter(training_scope_now=True)
    )


def annotate_training(qs: QuerySet, moment: dt.datetime | None = None) -> QuerySet:
    """Staff records with their training status at `moment` (default now):
    `ti_in_date`, `ti_valid_until`, `ti_last_completed`, `ks_last_attended`,
    `training_scope_now` and `ti_expiring` (in date, but within the refresh warning)."""
    moment = moment or clock.now()
    day = timezone.localdate(moment)
    lead, _first = warning_days(moment)
    qs = qs.annotate(
        ti_in_date=ti_in_date(moment),
        ti_valid_until=ti_valid_until(moment),
        ti_last_completed=_last(moment, "user", session__course__trauma_informed=True),
        ks_last_attended=_last(moment, "user", session__knowledge_sharing=True),
        training_scope_now=hours_at(moment, "training_in_scope"),
    )
    return qs.annotate(
        ti_expiring=ExpressionWrapper(
            Q(ti_in_date=True) & Q(ti_valid_until__lte=day + dt.timedelta(days=lead)),
            output_field=BooleanField(),
        )
    )


def refresh_needed(moment: dt.datetime) -> QuerySet:
    """In-scope supervisors in post at `moment` who owe trauma-informed training: none in
    date, or the latest expiring within the refresh warning. (What the refresh duty is
    open for; `vigil duties check` compares the ledger with it.)"""
    day = timezone.localdate(moment)
    lead, _first = warning_days(moment)
    return (
        training_scope_at(moment)
        .annotate(ti_in_date=ti_in_date(moment), ti_valid_until=ti_valid_until(moment))
        .filter(Q(ti_in_date=False) | Q(ti_valid_until__lte=day + dt.timedelta(days=lead)))
    )


# --- the catalogue and sessions -------------------------------------------------------


def course_list(*, user) -> QuerySet:
    """The courses of the forces `user` sees, with how many sessions each has had and
    how many people are in date with it now."""
    today = clock.today()
    return (
        Course.objects.filter(force_id__in=training_force_ids(user))
        .select_related("force")
        .annotate(
            session_count=Count("sessions", distinct=True),
            in_date_count=Count(
                "sessions__completions__staff__user",
                filter=Q(sessions__completions__withdrawn_at__isnull=True)
                & (
                    Q(sessions__completions__expires_on__isnull=True)
                    | Q(sessions__completions__expires_on__gt=today)
                ),
                distinct=True,
            ),
        )
        .order_by("-trauma_informed", "title", "pk")
    )


def get_course_for_user(user, course_uuid, *, roles=VIEW_ROLES) -> Course:
    """A course of a force `user` reaches in one of `roles`; NotFound for missing and
    forbidden alike."""
    row = (
        Course.objects.filter(uuid=course_uuid, force_id__in=training_force_ids(user, roles))
        .select_related("force")
        .first()
    )
    if row is None:
        raise NotFound(_("Not found."))
    return row


def schedulable_courses(*, user) -> QuerySet:
    """The courses of the forces where `user` records training (for a new session)."""
    return Course.objects.filter(force_id__in=training_force_ids(user, RECORD_ROLES)).order_by(
        "title", "pk"
    )


def chosen_course(courses: QuerySet, raw: str) -> Course | None:
    """The course of `courses` named by the UUID `raw` (None when it is not one)."""
    import uuid as uuid_module

    try:
        value = uuid_module.UUID(str(raw))
    except ValueError:
        return None
    return courses.filter(uuid=value).first()


def session_list(
    *, user, course: Course | None = None, knowledge_sharing: bool | None = None
) -> QuerySet:
    """Sessions hosted by teams of the forces `user` sees, newest first, each with its
    number of attendees (withdrawn records not counted)."""
    qs = TrainingSession.objects.filter(team__force_id__in=training_force_ids(user))
    if course is not None:
        qs = qs.filter(course=course)
    if knowledge_sharing is not None:
        qs = qs.filter(knowledge_sharing=knowledge_sharing)
    return (
        qs.select_related("course", "team")
        .annotate(
            attendee_count=Count("completions", filter=Q(completions__withdrawn_at__isnull=True))
        )
        .order_by("-held_on", "-id")
    )


def get_session_for_user(user, session_uuid) -> TrainingSession:
    row = (
        TrainingSession.objects.filter(
            uuid=session_uuid, team__force_id__in=training_force_ids(user)
        )
        .select_related("course", "team", "created_by")
        .first()
    )
    if row is None:
        raise NotFound(_("Not found."))
    return row


def session_attendance(session: TrainingSession, *, user) -> tuple[QuerySet, int]:
    """(the session's completions of people in teams `user` sees, withdrawn ones too;
    how many more people from other teams attended). Two queries."""
    visible = workforce_teams(user=user)
    rows = session.completions.select_related(
        "staff__user", "staff__team", "created_by", "withdrawn_by"
    ).order_by("staff__user__full_name", "pk")
    others = rows.filter(withdrawn_at__isnull=True).exclude(staff__team__in=visible).count()
    return rows.filter(staff__team__in=visible), others


def recordable_teams(*, user, session: TrainingSession) -> QuerySet:
    """The teams of the session's force whose people `user` records training for."""
    return workforce_teams(user=user, roles=RECORD_ROLES).filter(force_id=session.team.force_id)


def attendance_candidates(*, user, session: TrainingSession) -> QuerySet:
    """People in post now in the teams `user` records for, in the session's force, not
    already recorded as attending it."""
    return (
        StaffRecord.objects.filter(
            in_post_q(clock.now()), team__in=recordable_teams(user=user, session=session)
        )
        .exclude(
            Exists(
                TrainingCompletion.objects.filter(
                    staff=OuterRef("pk"), session=session, withdrawn_at__isnull=True
                )
            )
        )
        .select_related("user", "team")
        .order_by("team__name", "user__full_name", "pk")
    )


def get_completion_for_user(user, completion_uuid, *, roles=RECORD_ROLES) -> TrainingCompletion:
    """A completion of a person in a team `user` reaches in one of `roles`."""
    row = (
        TrainingCompletion.objects.filter(
            uuid=completion_uuid, staff__team__in=workforce_teams(user=user, roles=roles)
        )
        .select_related("staff__user", "staff__team", "session__course", "session__team")
        .first()
    )
    if row is None:
        raise NotFound(_("Not found."))
    return row


# --- a team's and a person's training -------------------------------------------------

TEAM_SORTS = {
    "name": "user__full_name",
    "role": "role",
    "valid_until": "ti_valid_until",
    "last_completed": "ti_last_completed",
    "knowledge_sharing": "ks_last_attended",
}


def team_training(*, teams, order: str = "user__full_name") -> QuerySet:
    """Everyone in post now in `teams` with their training status (`annotate_training`),
    those in scope for supervisor training first unless sorted otherwise."""
    rows = annotate_training(
        StaffRecord.objects.filter(in_post_q(clock.now()), team__in=teams).select_related(
            "user", "team"
        )
    )
    field = order.lstrip("-")
    expr = F(field).desc(nulls_last=True) if order.startswith("-") else F(field).asc()
    return rows.order_by(expr, "user__full_name", "pk")


def get_staff_training_for_user(user, staff_uuid) -> StaffRecord:
    """A staff record whose training `user` may read: their own, or one of a team they
    see; NotFound for anything else."""
    own = StaffRecord.objects.filter(uuid=staff_uuid, user=user).select_related("user", "team")
    record = own.first()
    if record is not None:
        return record
    return get_staff_for_user(user, staff_uuid)


def own_staff_record(*, user) -> StaffRecord | None:
    """The signed-in person's current staff record (else their latest), or None."""
    return (
        StaffRecord.objects.filter(user=user)
        .select_related("user", "team")
        .order_by(F("left_on").desc(nulls_first=True), "-started_on", "-pk")
        .first()
    )


def person_training(*, person_id: int) -> QuerySet:
    """Every training record of a person (any of their staff records), newest first,
    withdrawn ones too."""
    return (
        TrainingCompletion.objects.filter(staff__user_id=person_id)
        .select_related(
            "session__course", "session__team", "staff__user", "staff__team", "withdrawn_by"
        )
        .order_by("-completed_on", "-id")
    )


def person_status(*, person_id: int, moment: dt.datetime | None = None) -> dict:
    """The person's trauma-informed training status at `moment`: in date (and until
    when), expiring, or not; one query."""
    from vigil.accounts.models import User

    moment = moment or clock.now()
    day = timezone.localdate(moment)
    lead, _first = warning_days(moment)
    row = (
        User.objects.filter(pk=person_id)
        .annotate(
            ti_in_date=ti_in_date(moment, "pk"),
            ti_valid_until=ti_valid_until(moment, "pk"),
            ti_last_completed=_last(moment, "pk", session__course__trauma_informed=True),
            ks_last_attended=_last(moment, "pk", session__knowledge_sharing=True),
        )
        .values("ti_in_date", "ti_valid_until", "ti_last_completed", "ks_last_attended")
        .first()
    ) or {
        "ti_in_date": False,
        "ti_valid_until": None,
        "ti_last_completed": None,
        "ks_last_attended": None,
    }
    until = row["ti_valid_until"]
    row["ti_expiring"] = bool(
        row["ti_in_date"] and until is not None and until <= day + dt.timedelta(days=lead)
    )
    return row
