"""Risk management plans through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema, Status

from vigil.offenders import selectors, services
from vigil.offenders.api.common import _Id, _nominal, router


class PlanActionIn(Schema):
    category: str
    description: str
    owner: str
    due_date: dt.date


class PlanIn(Schema):
    visit_every_months: int
    review_due: dt.date
    summary: str = ""
    actions: list[PlanActionIn] = []


class PlanActionOut(Schema):
    category: str
    description: str
    owner: str
    due_date: dt.date


class PlanOut(_Id):
    version: int
    visit_every_months: int
    review_due: dt.date
    summary: str
    risk_level: str
    approved_at: dt.datetime | None
    actions: list[PlanActionOut]
    review_id: uuid.UUID | None = Field(
        None, description="The supervisor review the plan opened (POST /nominals/reviews/{id})."
    )

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())

    @staticmethod
    def resolve_review_id(obj):
        review = getattr(obj, "review", None)
        return review.uuid if review else None


@router.get("/{nominal_id}/plans", response=list[PlanOut])
def list_plans(request, nominal_id: uuid.UUID):
    return list(selectors.plans_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/plans", response={201: PlanOut})
def create_plan(request, nominal_id: uuid.UUID, payload: PlanIn):
    """A new version of the risk management plan."""
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict()
    return Status(201, services.plan_create(actor=request.user, nominal=nominal, **data))
