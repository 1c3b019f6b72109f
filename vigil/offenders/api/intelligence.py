"""Intelligence through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema, Status

from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, router


class IntelligenceIn(Schema):
    received_on: dt.date
    source: str
    summary: str


class IntelligenceReviewIn(Schema):
    note: str
    arms_needed: bool = False


class IntelligenceOut(_Id):
    received_on: dt.date
    source: str
    summary: str
    reviewed_at: dt.datetime | None
    arms_needed: bool


@router.post("/intelligence/{entry_id}/review", response=IntelligenceOut)
def review_intelligence(request, entry_id: uuid.UUID, payload: IntelligenceReviewIn):
    _casework(request)
    entry = selectors.get_intelligence_for_user(request.user, entry_id)
    return services.intelligence_review(actor=request.user, entry=entry, **payload.dict())


@router.get("/{nominal_id}/intelligence", response=list[IntelligenceOut])
def list_intelligence(request, nominal_id: uuid.UUID):
    return list(_nominal(request, nominal_id).intelligence.all())


@router.post("/{nominal_id}/intelligence", response={201: IntelligenceOut})
def add_intelligence(request, nominal_id: uuid.UUID, payload: IntelligenceIn):
    nominal = _nominal(request, nominal_id, "edit")
    return Status(
        201, services.intelligence_record(actor=request.user, nominal=nominal, **payload.dict())
    )
