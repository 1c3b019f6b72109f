"""Supervisor reviews through the API: the queue and recording a review."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.core.exceptions import PermissionDenied
from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, router


class NominalReviewIn(Schema):
    outcome: str
    actions: str = ""


class NominalReviewOut(_Id):
    nominal_id: uuid.UUID
    subject: str = Field(description="What is reviewed: arms, plan or visit.")
    subject_id: uuid.UUID = Field(description="The id of the ARMS, plan or visit reviewed.")
    due_at: dt.datetime
    outcome: str
    actions: str
    reviewed_at: dt.datetime | None

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid

    @staticmethod
    def resolve_subject_id(obj):
        return getattr(obj, obj.subject).uuid


@router.get("/reviews", response=list[NominalReviewOut])
@paginate(PageNumberPagination, page_size=50)
def review_queue(request):
    """Open supervisor reviews of the teams the caller supervises."""
    if not access.is_supervisor(request.user):
        raise PermissionDenied(_("Only supervisors and managers have a review queue."))
    return selectors.review_queue(user=request.user)


@router.post("/reviews/{review_id}", response=NominalReviewOut)
def record_review(request, review_id: uuid.UUID, payload: NominalReviewIn):
    """Approve, or return with actions, a completed ARMS, plan or visit."""
    _casework(request)
    review = selectors.get_review_for_user(request.user, review_id)
    return services.review_record(actor=request.user, review=review, **payload.dict())


@router.get("/{nominal_id}/reviews", response=list[NominalReviewOut])
def list_reviews(request, nominal_id: uuid.UUID):
    return list(selectors.reviews_for(_nominal(request, nominal_id)))
