"""Oversight through the API (point C): the oversight board, allocating an investigation
and recording an oversight review.
"""

import uuid

from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts.models import Team, User
from vigil.core.exceptions import ValidationFailed
from vigil.investigations import selectors, services
from vigil.investigations.api.common import (
    InvestigationDetailOut,
    InvestigationOut,
    ReviewOut,
    _detail,
    _investigation,
    _require_supervisor,
    router,
)


class ReviewIn(Schema):
    outcome: str
    note: str = ""


class AllocationIn(Schema):
    team: uuid.UUID
    officer: uuid.UUID | None = None


@router.get("/oversight-board", response=list[InvestigationOut])
@paginate(PageNumberPagination, page_size=50)
def oversight_board(request, overdue: bool = False):
    """Open investigations of teams the caller supervises, allocated to another unit."""
    _require_supervisor(request)
    return selectors.oversight_board(user=request.user, overdue_only=overdue)


@router.post("/{investigation_id}/oversight-reviews", response={201: ReviewOut})
def review(request, investigation_id: uuid.UUID, payload: ReviewIn):
    """Record an owning-team supervisor's oversight review."""
    investigation = _investigation(request, investigation_id, "edit")
    return Status(
        201,
        services.oversight_review_record(
            actor=request.user,
            investigation=investigation,
            outcome=payload.outcome,
            note=payload.note,
        ),
    )


@router.put("/{investigation_id}/allocation", response=InvestigationDetailOut)
def allocate(request, investigation_id: uuid.UUID, payload: AllocationIn):
    """Allocate to a team of the force (and optionally an officer of it)."""
    investigation = _investigation(request, investigation_id, "edit")
    team = Team.objects.filter(uuid=payload.team).first()
    if team is None:
        raise ValidationFailed(_("Choose a team of this force"), field="team")
    officer = None
    if payload.officer is not None:
        officer = User.objects.filter(uuid=payload.officer, is_active=True).first()
        if officer is None:
            raise ValidationFailed(_("Choose an officer who works in that team"), field="officer")
    services.investigation_allocate(
        actor=request.user, investigation=investigation, team=team, officer=officer
    )
    return _detail(investigation)
