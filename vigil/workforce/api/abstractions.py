"""Abstractions through the API: list, record, read (with impact) and review."""

import datetime as dt
import uuid
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.core.exceptions import ValidationFailed
from vigil.workforce.api.common import require_view
from vigil.workforce.selectors import abstractions as selectors
from vigil.workforce.selectors import staff as staff_selectors
from vigil.workforce.services import abstractions as services

router = Router(tags=["workforce"])


class ImpactOut(Schema):
    kind: str
    kind_label: str
    due_at: dt.datetime
    completed_at: dt.datetime | None


class AbstractionOut(Schema):
    id: uuid.UUID
    staff: uuid.UUID
    officer: str
    team: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date
    hours: float
    reason: str
    authorised_by: str
    note: str
    review_due_at: dt.datetime
    reviewed_at: dt.datetime | None
    reviewed_by: str | None
    review_note: str
    overdue_duties: int

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.uuid

    @staticmethod
    def resolve_officer(obj):
        return obj.staff.user.full_name

    @staticmethod
    def resolve_team(obj):
        return obj.team.uuid

    @staticmethod
    def resolve_authorised_by(obj):
        return obj.authorised_by.email

    @staticmethod
    def resolve_reviewed_by(obj):
        return obj.reviewed_by.email if obj.reviewed_by_id else None


class AbstractionDetailOut(AbstractionOut):
    impact: list[ImpactOut] = []


class AbstractionIn(Schema):
    staff: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date
    hours: Decimal
    reason: str
    authorised_by: uuid.UUID
    note: str = ""


class ReviewIn(Schema):
    note: str


@router.get("/teams/{team_id}/abstractions", response=list[AbstractionOut])
@paginate(PageNumberPagination, page_size=50)
def list_abstractions(request, team_id: uuid.UUID, unreviewed: bool = False):
    """The team's abstractions, newest first, each with the duties that fell overdue
    during it."""
    require_view(request)
    team = staff_selectors.get_team_for_user(request.user, team_id)
    return selectors.abstraction_list(user=request.user, teams=[team], unreviewed=unreviewed)


def _detail(request, abstraction_id):
    row = selectors.get_abstraction_for_user(request.user, abstraction_id)
    row.impact = selectors.impact_duties(row)
    return row


@router.post("/abstractions", response={201: AbstractionDetailOut})
def record_abstraction(request, payload: AbstractionIn):
    """Record an abstraction of an officer in post (supervisors and managers of the team)."""
    require_view(request)
    staff = staff_selectors.get_staff_for_user(
        request.user, payload.staff, roles=staff_selectors.REVIEW_ROLES
    )
    authoriser = (
        staff_selectors.authorisers(team=staff.team).filter(uuid=payload.authorised_by).first()
    )
    if authoriser is None:
        raise ValidationFailed(
            _("Choose a supervisor or manager of the team who authorised it"),
            field="authorised_by",
        )
    row = services.abstraction_record(
        actor=request.user,
        staff=staff,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        hours=payload.hours,
        reason=payload.reason,
        authorised_by=authoriser,
        note=payload.note,
    )
    return Status(201, _detail(request, row.uuid))


@router.get("/abstractions/{abstraction_id}", response=AbstractionDetailOut)
def get_abstraction(request, abstraction_id: uuid.UUID):
    require_view(request)
    return _detail(request, abstraction_id)


@router.post("/abstractions/{abstraction_id}/review", response=AbstractionDetailOut)
def review_abstraction(request, abstraction_id: uuid.UUID, payload: ReviewIn):
    """A supervisor's review (closes the review duty)."""
    require_view(request)
    row = selectors.get_abstraction_for_user(
        request.user, abstraction_id, roles=staff_selectors.REVIEW_ROLES
    )
    services.abstraction_review(actor=request.user, abstraction=row, note=payload.note)
    return _detail(request, abstraction_id)
