"""ARMS assessments through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema, Status

from vigil.offenders import selectors, services
from vigil.offenders.api.common import _Id, _nominal, router


class ArmsIn(Schema):
    answers: dict[str, str]
    formulation: str
    judgement_level: str
    static_tool: str
    static_band: str
    static_tool_version: str
    trigger: str = "scheduled"


class ArmsOut(_Id):
    risk_level: str
    static_tool: str
    static_band: str
    static_tool_version: str
    trigger: str
    completed_at: dt.datetime
    approved_at: dt.datetime | None
    review_id: uuid.UUID | None

    @staticmethod
    def resolve_review_id(obj):
        review = getattr(obj, "review", None)
        return review.uuid if review else None


@router.get("/{nominal_id}/arms", response=list[ArmsOut])
def list_arms(request, nominal_id: uuid.UUID):
    return list(selectors.arms_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/arms", response={201: ArmsOut})
def record_arms(request, nominal_id: uuid.UUID, payload: ArmsIn):
    """A completed ARMS assessment with the assessor's static tool result."""
    nominal = _nominal(request, nominal_id, "edit")
    return Status(201, services.arms_record(actor=request.user, nominal=nominal, **payload.dict()))
