"""Training and knowledge sharing through the API: the course catalogue, sessions,
attendance and completions (and their withdrawal), a team's training status and the
caller's own record. The same selectors, services and access rules as the pages."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from vigil import audit
from vigil.core.exceptions import NotFound, ValidationFailed
from vigil.workforce.api.common import require_view
from vigil.workforce.selectors import staff as staff_selectors
from vigil.workforce.selectors import training as selectors
from vigil.workforce.services import training as services

router = Router(tags=["workforce"])


class TrainingCourseOut(Schema):
    id: uuid.UUID
    force: str
    title: str
    title_cy: str
    trauma_informed: bool
    refresh_months: int | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_force(obj):
        return obj.force.code


class TrainingCourseListOut(TrainingCourseOut):
    sessions: int
    people_in_date: int

    @staticmethod
    def resolve_sessions(obj):
        return obj.session_count

    @staticmethod
    def resolve_people_in_date(obj):
        return obj.in_date_count


class TrainingCourseIn(Schema):
    title: str = Field(max_length=200)
    title_cy: str = Field(max_length=200)
    trauma_informed: bool = False
    refresh_months: int | None = Field(default=None, ge=1, le=120)
    force: str | None = Field(
        default=None,
        description="The force's code, for a manager in more than one force.",
        max_length=40,
    )


class TrainingSessionOut(Schema):
    id: uuid.UUID
    kind: str = Field(description="training or knowledge_sharing")
    course: uuid.UUID | None
    course_title: str | None
    topic: str
    held_on: dt.date
    facilitator: str
    team: uuid.UUID
    attendees: int | None = None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_kind(obj):
        return "knowledge_sharing" if obj.knowledge_sharing else "training"

    @staticmethod
    def resolve_course(obj):
        return obj.course.uuid if obj.course_id else None

    @staticmethod
    def resolve_course_title(obj):
        return obj.course.title if obj.course_id else None

    @staticmethod
    def resolve_team(obj):
        return obj.team.uuid

    @staticmethod
    def resolve_attendees(obj):
        return getattr(obj, "attendee_count", None)


class TrainingSessionIn(Schema):
    kind: str = Field(description="training or knowledge_sharing")
    course: uuid.UUID | None = None
    topic: str = Field(default="", max_length=200)
    held_on: dt.date
    facilitator: str = Field(max_length=200)
    team: uuid.UUID


class TrainingCompletionOut(Schema):
    id: uuid.UUID
    staff: uuid.UUID
    name: str
    team: uuid.UUID
    session: uuid.UUID
    course_title: str | None
    trauma_informed: bool
    knowledge_sharing: bool
    completed_on: dt.date
    expires_on: dt.date | None
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.uuid

    @staticmethod
    def resolve_name(obj):
        return obj.staff.user.full_name

    @staticmethod
    def resolve_team(obj):
        return obj.staff.team.uuid

    @staticmethod
    def resolve_session(obj):
        return obj.session.uuid

    @staticmethod
    def resolve_course_title(obj):
        return obj.session.course.title if obj.session.course_id else None

    @staticmethod
    def resolve_trauma_informed(obj):
        return bool(obj.session.course_id and obj.session.course.trauma_informed)

    @staticmethod
    def resolve_knowledge_sharing(obj):
        return obj.session.knowledge_sharing


class TrainingAttendanceIn(Schema):
    staff: list[uuid.UUID] = Field(max_length=500)
    completed_on: dt.date | None = None


class TrainingWithdrawIn(Schema):
    reason: str = Field(max_length=300)


class TrainingStatusOut(Schema):
    staff: uuid.UUID
    name: str
    role: str
    in_scope: bool
    trauma_informed_in_date: bool
    expiring: bool
    in_date_until: dt.date | None
    last_trauma_informed: dt.date | None
    last_knowledge_sharing: dt.date | None

    @staticmethod
    def resolve_staff(obj):
        return obj.uuid

    @staticmethod
    def resolve_name(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_in_scope(obj):
        return bool(obj.training_scope_now)

    @staticmethod
    def resolve_trauma_informed_in_date(obj):
        return obj.ti_in_date

    @staticmethod
    def resolve_expiring(obj):
        return bool(obj.ti_expiring)

    @staticmethod
    def resolve_in_date_until(obj):
        return obj.ti_valid_until if obj.ti_in_date else None

    @staticmethod
    def resolve_last_trauma_informed(obj):
        return obj.ti_last_completed

    @staticmethod
    def resolve_last_knowledge_sharing(obj):
        return obj.ks_last_attended


@router.get("/training/courses", response=list[TrainingCourseListOut])
@paginate(PageNumberPagination, page_size=50)
def list_courses(request):
    """The course catalogue of the caller's force(s), trauma-informed courses first."""
    require_view(request)
    return selectors.course_list(user=request.user)


@router.post("/training/courses", response={201: TrainingCourseOut})
def create_course(request, payload: TrainingCourseIn):
    """Add a course to the catalogue (managers of a POLIT or MOSOVO team)."""
    require_view(request)
    forces = selectors.catalogue_forces(user=request.user)
    if payload.force:
        force = forces.filter(code=payload.force).first()
    else:
        force = forces.first() if forces.count() == 1 else None
    if force is None:
        if not forces.exists():
            raise NotFound(_("Not found."))
        raise ValidationFailed(_("Choose the force"), field="force")
    course = services.course_create(
        actor=request.user,
        force=force,
        title=payload.title,
        title_cy=payload.title_cy,
        trauma_informed=payload.trauma_informed,
        refresh_months=payload.refresh_months,
    )
    return Status(201, course)


@router.get("/training/courses/{course_id}", response=TrainingCourseOut)
def get_course(request, course_id: uuid.UUID):
    require_view(request)
    return selectors.get_course_for_user(request.user, course_id)


@router.put("/training/courses/{course_id}", response=TrainingCourseOut)
def edit_course(request, course_id: uuid.UUID, payload: TrainingCourseIn):
    """Change a course (managers). A new refresh period applies to records made from now."""
    require_view(request)
    course = selectors.get_course_for_user(request.user, course_id, roles=selectors.CATALOGUE_ROLES)
    return services.course_edit(
        actor=request.user,
        course=course,
        title=payload.title,
        title_cy=payload.title_cy,
        trauma_informed=payload.trauma_informed,
        refresh_months=payload.refresh_months,
    )


@router.get("/training/sessions", response=list[TrainingSessionOut])
@paginate(PageNumberPagination, page_size=50)
def list_sessions(request, course: uuid.UUID | None = None, kind: str | None = None):
    """Sessions of the caller's force(s), newest first; `kind` is training or
    knowledge_sharing, `course` a course's id."""
    require_view(request)
    chosen = selectors.get_course_for_user(request.user, course) if course else None
    ks = {"training": False, "knowledge_sharing": True, None: None}.get(kind, "bad")
    if ks == "bad":
        raise ValidationFailed(_("Choose one of: training, knowledge_sharing"), field="kind")
    return selectors.session_list(user=request.user, course=chosen, knowledge_sharing=ks)


@router.post("/training/sessions", response={201: TrainingSessionOut})
def schedule_session(request, payload: TrainingSessionIn):
    """Schedule a session hosted by a team the caller supervises or manages."""
    require_view(request)
    if payload.kind not in ("training", "knowledge_sharing"):
        raise ValidationFailed(_("Choose one of: training, knowledge_sharing"), field="kind")
    team = staff_selectors.get_team_for_user(
        request.user, payload.team, roles=selectors.RECORD_ROLES
    )
    course = None
    if payload.course is not None:
        course = selectors.chosen_course(
            selectors.schedulable_courses(user=request.user), str(payload.course)
        )
        if course is None:
            raise ValidationFailed(_("Choose a course from the force's catalogue"), field="course")
    row = services.session_schedule(
        actor=request.user,
        team=team,
        held_on=payload.held_on,
        facilitator=payload.facilitator,
        course=course,
        knowledge_sharing=payload.kind == "knowledge_sharing",
        topic=payload.topic,
    )
    return Status(201, row)


@router.get("/training/sessions/{session_id}", response=TrainingSessionOut)
def get_session(request, session_id: uuid.UUID):
    require_view(request)
    return selectors.get_session_for_user(request.user, session_id)


@router.get("/training/sessions/{session_id}/completions", response=list[TrainingCompletionOut])
@paginate(PageNumberPagination, page_size=100)
def list_completions(request, session_id: uuid.UUID):
    """Who attended the session, of the teams the caller sees (withdrawn records too)."""
    require_view(request)
    session = selectors.get_session_for_user(request.user, session_id)
    rows, _others = selectors.session_attendance(session, user=request.user)
    return rows


@router.post(
    "/training/sessions/{session_id}/completions", response={201: list[TrainingCompletionOut]}
)
def record_completions(request, session_id: uuid.UUID, payload: TrainingAttendanceIn):
    """Record attendance (completion, for a course) for people in the caller's teams; all
    or nothing."""
    require_view(request)
    session = selectors.get_session_for_user(request.user, session_id)
    if not selectors.recordable_teams(user=request.user, session=session).exists():
        raise NotFound(_("Not found."))
    wanted = set(payload.staff)
    staff = list(
        selectors.attendance_candidates(user=request.user, session=session).filter(uuid__in=wanted)
    )
    if len(staff) != len(wanted):
        raise ValidationFailed(
            _("Choose people in post in your teams not already recorded as attending"),
            field="staff",
        )
    rows = services.attendance_record(
        actor=request.user, session=session, staff=staff, completed_on=payload.completed_on
    )
    for row in rows:
        row.session = session
    return Status(201, rows)


@router.post("/training/completions/{completion_id}/withdraw", response=TrainingCompletionOut)
def withdraw_completion(request, completion_id: uuid.UUID, payload: TrainingWithdrawIn):
    """Withdraw a record made in error, with the reason (it stays on file)."""
    require_view(request)
    row = selectors.get_completion_for_user(request.user, completion_id)
    return services.completion_withdraw(actor=request.user, completion=row, reason=payload.reason)


@router.get("/teams/{team_id}/training", response=list[TrainingStatusOut])
def team_training(request, team_id: uuid.UUID):
    """Everyone in post in the team with their training status now (the read is
    audited)."""
    require_view(request)
    team = staff_selectors.get_team_for_user(request.user, team_id)
    audit.record(request.user, "workforce.training_view", team)
    return list(selectors.team_training(teams=[team]))


@router.get("/training/mine", response=list[TrainingCompletionOut])
def my_training(request):
    """The caller's own training records, newest first (withdrawn ones too)."""
    return list(selectors.person_training(person_id=request.user.pk))
