"""The duty ledger through the API: my work, team work, the outstanding matrix,
reassigning, notifications. Same selectors, services and role rules as the pages."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES
from vigil.accounts.models import User
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.duties import messages as texts
from vigil.duties import registry, selectors, services
from vigil.duties.forms import UNASSIGNED

router = Router(tags=["duties"])


class DutyOut(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    subject_type: str
    subject_id: uuid.UUID
    subject_url: str | None
    person_id: uuid.UUID | None
    team_id: uuid.UUID
    team_name: str
    assignee_id: uuid.UUID | None
    assignee_name: str | None
    risk_level: str
    due_at: dt.datetime
    days_overdue: int
    escalation_level: int
    note: str

    @staticmethod
    def resolve_id(obj) -> uuid.UUID:
        return obj.uuid

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return registry.kind_label(obj.kind)

    @staticmethod
    def resolve_subject_url(obj) -> str | None:
        return registry.subject_url(obj.kind, obj.subject_id)

    @staticmethod
    def resolve_person_id(obj) -> uuid.UUID | None:
        # A restricted person's id is not given to someone who is not named on the restriction.
        if obj.person_id is None or not getattr(obj, "person_visible", False):
            return None
        return obj.person.uuid

    @staticmethod
    def resolve_team_id(obj) -> uuid.UUID:
        return obj.team.uuid

    @staticmethod
    def resolve_team_name(obj) -> str:
        return obj.team.localised_name

    @staticmethod
    def resolve_assignee_id(obj) -> uuid.UUID | None:
        return obj.assignee.uuid if obj.assignee_id else None

    @staticmethod
    def resolve_assignee_name(obj) -> str | None:
        return obj.assignee.full_name if obj.assignee_id else None

    @staticmethod
    def resolve_days_overdue(obj) -> int:
        return selectors.days_overdue(obj.due_at)


class WorkFilters(Schema):
    force: uuid.UUID | None = None
    team: uuid.UUID | None = None
    assignee: str | None = None  # an officer's id, or "unassigned"
    kind: list[str] | None = None  # duty kind codes (repeat the parameter); none: every kind
    sort: str = "due"


class MatrixCellOut(Schema):
    band: str
    count: int


class MatrixRowOut(Schema):
    risk: str
    cells: list[MatrixCellOut]
    total: int


class MatrixOut(Schema):
    rows: list[MatrixRowOut]
    column_totals: list[MatrixCellOut]
    total: int


class ReassignIn(Schema):
    assignee: uuid.UUID


def _duty_team(notification):
    return notification.duty.team if notification.duty_id else None


class UserNotificationOut(Schema):
    id: uuid.UUID
    message_key: str
    title: str
    body: str
    duty_id: uuid.UUID | None
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_id(obj) -> uuid.UUID:
        return obj.uuid

    @staticmethod
    def resolve_title(obj) -> str:
        return texts.render(obj.message_key, obj.params, team=_duty_team(obj))[0]

    @staticmethod
    def resolve_body(obj) -> str:
        return texts.render(obj.message_key, obj.params, team=_duty_team(obj))[1]

    @staticmethod
    def resolve_duty_id(obj) -> uuid.UUID | None:
        return obj.duty.uuid if obj.duty_id else None


def _require(request, roles) -> None:
    if not access.has_role(request.user, *roles):
        raise PermissionDenied(_("Your role does not allow this."))


def _filters(request, filters: WorkFilters) -> dict:
    """The filter ids as objects within the user's reach; an id outside it is a 422."""
    user = request.user
    out: dict = {"force": None, "team": None, "assignee": None, "kinds": None}
    errors = []
    if filters.force:
        out["force"] = selectors.supervised_forces(user=user).filter(uuid=filters.force).first()
        if out["force"] is None:
            errors.append(("force", _("Choose a force you supervise")))
    if filters.team:
        out["team"] = selectors.supervised_teams(user=user).filter(uuid=filters.team).first()
        if out["team"] is None:
            errors.append(("team", _("Choose a team you supervise")))
    if filters.assignee == UNASSIGNED:
        out["assignee"] = UNASSIGNED
    elif filters.assignee:
        try:
            officer_id = uuid.UUID(filters.assignee)
        except ValueError:
            officer_id = None
        officer = (
            selectors.supervised_officers(user=user).filter(uuid=officer_id).first()
            if officer_id
            else None
        )
        if officer is None:
            errors.append(
                ("assignee", _('Choose an officer in a team you supervise, or "unassigned"'))
            )
        out["assignee"] = officer
    if filters.kind:
        unknown = [code for code in filters.kind if registry.get_kind(code) is None]
        if unknown:
            errors.append(
                (
                    "kind",
                    _("%(kind)s is not a kind of work: choose from the declared duty kinds")
                    % {"kind": unknown[0]},
                )
            )
        out["kinds"] = list(dict.fromkeys(filters.kind))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    return out


@router.get("/mine", response=list[DutyOut])
@paginate(PageNumberPagination, page_size=50)
def list_my_work(request, sort: str = "due"):
    """The user's own open duties, most overdue first, then highest risk."""
    _require(request, CASEWORK_ROLES)
    return selectors.my_work(user=request.user, sort=sort)


@router.get("/team", response=list[DutyOut])
@paginate(PageNumberPagination, page_size=50)
def list_team_work(request, filters: Query[WorkFilters]):
    """Open duties in the teams the user supervises (supervisors and managers)."""
    _require(request, SUPERVISORY_ROLES)
    return selectors.team_work(user=request.user, sort=filters.sort, **_filters(request, filters))


@router.get("/outstanding", response=MatrixOut)
def outstanding_matrix(request, filters: Query[WorkFilters]):
    """Open duties counted by risk level and overdue band (supervisors and managers);
    `kind` (repeatable) counts only those kinds of duty."""
    _require(request, SUPERVISORY_ROLES)
    matrix = selectors.outstanding_work_matrix(user=request.user, **_filters(request, filters))
    return {
        "rows": [
            {
                "risk": str(r["risk"]),
                "cells": [{"band": str(c["band"]), "count": c["count"]} for c in r["cells"]],
                "total": r["total"],
            }
            for r in matrix.rows
        ],
        "column_totals": [
            {"band": str(c["band"]), "count": c["count"]} for c in matrix.column_totals
        ],
        "total": matrix.total,
    }


@router.post("/{uuid:duty_id}/reassign", response=DutyOut)
def reassign_duty(request, duty_id: uuid.UUID, payload: ReassignIn):
    """Give an open duty to another officer of its team (the team's supervisors and managers)."""
    _require(request, SUPERVISORY_ROLES)
    duty = selectors.get_duty_for_supervisor(user=request.user, duty_id=duty_id)
    if duty is None:
        raise NotFound(_("There is no duty with that id."))
    assignee = User.objects.filter(uuid=payload.assignee, is_active=True).first()
    if assignee is None:
        raise ValidationFailed(
            _("Choose an officer who works in the duty's team"), field="assignee"
        )
    services.duty_reassign(actor=request.user, duty=duty, assignee=assignee)
    return selectors.get_duty_for_supervisor(user=request.user, duty_id=duty_id)


@router.get("/notifications", response=list[UserNotificationOut])
@paginate(PageNumberPagination, page_size=50)
def list_notifications(request):
    """The user's notifications, newest first."""
    return selectors.notifications_for(user=request.user)


@router.post("/notifications/{uuid:notification_id}/read", response=UserNotificationOut)
def read_notification(request, notification_id: uuid.UUID):
    """Mark one of the user's notifications as read."""
    notification = selectors.get_notification_for_user(
        user=request.user, notification_id=notification_id
    )
    if notification is None:
        raise NotFound(_("There is no notification with that id."))
    return services.notification_mark_read(actor=request.user, notification=notification)


class ReadAllOut(Schema):
    count: int = Field(description="How many notifications were unread and are now read.")


@router.post("/notifications/read-all", response=ReadAllOut)
def read_all_notifications(request):
    """Mark every unread notification of the caller as read (the notifications page's
    "Mark all as read"); a second call marks none."""
    return {"count": services.notification_mark_all_read(actor=request.user)}
