"""Recording a review of an agreement."""

import datetime as dt
import uuid

from ninja import Schema, Status

from vigil.partners import selectors
from vigil.partners.api.agreements import ReviewOut
from vigil.partners.api.base import require_partner, router
from vigil.partners.services import reviews as services


class ReviewIn(Schema):
    held_on: dt.date
    period_start: dt.date
    period_end: dt.date
    actions: str
    police_notes: str = ""
    probation_notes: str = ""


@router.post("/agreements/{agreement_id}/reviews", response={201: ReviewOut})
def record_review(request, agreement_id: uuid.UUID, payload: ReviewIn):
    """Record a review (the owners, police supervisors and managers of the force, or the
    region's practitioners); completes the review duty and opens the next."""
    require_partner(request)
    agreement = selectors.get_agreement_for_user(request.user, agreement_id)
    review = services.review_record(actor=request.user, agreement=agreement, **payload.dict())
    return Status(201, review)
