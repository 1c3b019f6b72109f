"""Teams, workload, staff records and establishment through the API."""

import datetime as dt
import uuid
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from vigil import audit
from vigil.core.exceptions import ValidationFailed
from vigil.workforce.api.common import require_view
from vigil.workforce.selectors import staff as selectors
from vigil.workforce.selectors import workload
from vigil.workforce.services import abstractions as abstraction_services
from vigil.workforce.services import staff as services

router = Router(tags=["workforce"])


class TeamOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    posts: float | None
    strength: float
    vacancies: float | None
    demand: int
    capacity: float
    ratio: float | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class WorkloadOut(Schema):
    id: uuid.UUID
    officer: str
    email: str
    role: str
    grade: str
    fte: float | None
    protected_percent: int
    points: int
    capacity: float
    load_percent: float | None
    nominals: int
    investigations: int
    referrals_in_triage: int
    other_duties: int

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_officer(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj):
        return obj.user.email

    @staticmethod
    def resolve_fte(obj):
        return None if obj.fte_now is None else float(obj.fte_now)

    @staticmethod
    def resolve_protected_percent(obj):
        return obj.protected_now

    @staticmethod
    def resolve_nominals(obj):
        return obj.nominal_count

    @staticmethod
    def resolve_investigations(obj):
        return obj.investigation_count

    @staticmethod
    def resolve_referrals_in_triage(obj):
        return obj.referral_count

    @staticmethod
    def resolve_other_duties(obj):
        return obj.duty_count


class BreakdownRow(Schema):
    kind: str
    mode: str
    level: str
    count: int
    weight: int
    points: int


class StaffOut(WorkloadOut):
    team: uuid.UUID
    started_on: dt.date
    left_on: dt.date | None
    breakdown: list[BreakdownRow] = []

    @staticmethod
    def resolve_team(obj):
        return obj.team.uuid


class StaffIn(Schema):
    user: uuid.UUID
    role: str
    grade: str
    started_on: dt.date
    fte: Decimal
    protected_percent: int = 0
    screening_in_scope: bool = True
    training_in_scope: bool | None = None


class HoursIn(Schema):
    fte: Decimal
    protected_percent: int = 0
    screening_in_scope: bool = True
    training_in_scope: bool = False
    reason: str


class LeaveIn(Schema):
    left_on: dt.date


class NoteIn(Schema):
    note: str


class EstablishmentIn(Schema):
    posts: Decimal
    reason: str


@router.get("/teams", response=list[TeamOut])
def list_teams(request):
    """The POLIT and MOSOVO teams the caller sees: posts funded, strength, vacancies and
    demand vs capacity (points)."""
    require_view(request)
    return list(workload.team_demand(teams=selectors.workforce_teams(user=request.user)))


@router.get("/teams/{team_id}/workload", response=list[WorkloadOut])
def team_workload(request, team_id: uuid.UUID):
    """Everyone in post in the team with their weighted workload (the read is audited)."""
    require_view(request)
    team = selectors.get_team_for_user(request.user, team_id)
    audit.record(request.user, "workforce.workload_view", team)
    return list(workload.team_workload(teams=[team]))


@router.post("/teams/{team_id}/establishment", response=TeamOut)
def set_establishment(request, team_id: uuid.UUID, payload: EstablishmentIn):
    """The posts funded from now (managers)."""
    require_view(request)
    team = selectors.get_team_for_user(request.user, team_id, roles=selectors.MANAGE_ROLES)
    services.establishment_set(
        actor=request.user, team=team, posts=payload.posts, reason=payload.reason
    )
    return workload.team_demand(teams=type(team).objects.filter(pk=team.pk)).get()


def _staff_out(record):
    data = workload.officer_breakdown(record)
    row = data["record"]
    row.breakdown = data["rows"]
    return row


@router.post("/teams/{team_id}/staff", response={201: StaffOut})
def create_staff(request, team_id: uuid.UUID, payload: StaffIn):
    """Add a staff record for a member of the team (managers)."""
    require_view(request)
    team = selectors.get_team_for_user(request.user, team_id, roles=selectors.MANAGE_ROLES)
    user = selectors.people_without_record(team=team).filter(uuid=payload.user).first()
    if user is None:
        raise ValidationFailed(
            _("Choose a member of the team without a staff record"), field="user"
        )
    record = services.staff_record_create(
        actor=request.user, team=team, user=user, **payload.dict(exclude={"user"})
    )
    return Status(201, _staff_out(record))


@router.get("/staff/{staff_id}", response=StaffOut)
def get_staff(request, staff_id: uuid.UUID):
    """One staff record with its workload breakdown (the read is audited)."""
    require_view(request)
    record = selectors.get_staff_for_user(request.user, staff_id)
    audit.record(request.user, "workforce.staff_view", record)
    return _staff_out(record)


@router.post("/staff/{staff_id}/hours", response=StaffOut)
def change_hours(request, staff_id: uuid.UUID, payload: HoursIn):
    """New hours, protected time and scope from now (managers)."""
    require_view(request)
    record = selectors.get_staff_for_user(request.user, staff_id, roles=selectors.MANAGE_ROLES)
    services.staff_hours_change(actor=request.user, staff=record, **payload.dict())
    return _staff_out(record)


@router.post("/staff/{staff_id}/leave", response=StaffOut)
def record_leaving(request, staff_id: uuid.UUID, payload: LeaveIn):
    """The date the person left the team (managers)."""
    require_view(request)
    record = selectors.get_staff_for_user(request.user, staff_id, roles=selectors.MANAGE_ROLES)
    services.staff_record_end(actor=request.user, staff=record, left_on=payload.left_on)
    return _staff_out(record)


@router.post("/staff/{staff_id}/repeat-review", response=StaffOut)
def review_repeat_flag(request, staff_id: uuid.UUID, payload: NoteIn):
    """A manager's review of an officer flagged as abstracted repeatedly."""
    require_view(request)
    record = selectors.get_staff_for_user(request.user, staff_id, roles=selectors.MANAGE_ROLES)
    abstraction_services.repeat_flag_review(actor=request.user, staff=record, note=payload.note)
    return _staff_out(record)
