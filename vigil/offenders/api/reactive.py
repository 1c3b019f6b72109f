"""Management mode and reactive management through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, router


class ReactiveConditionOut(Schema):
    code: str
    label: str
    met: bool
    reason: str


class ManagementOut(Schema):
    nominal_id: uuid.UUID
    management_mode: str
    review_called_for_on: dt.date | None
    all_met: bool
    conditions: list[ReactiveConditionOut]


class ModeDecisionOut(_Id):
    nominal_id: uuid.UUID
    kind: str
    status: str
    proposed_by_id: uuid.UUID
    proposed_at: dt.datetime
    proposal: str
    decided_by_id: uuid.UUID | None
    decided_at: dt.datetime | None
    rationale: str
    next_review_due: dt.date | None
    conditions: list[dict]

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid

    @staticmethod
    def resolve_proposed_by_id(obj):
        return obj.proposed_by.uuid

    @staticmethod
    def resolve_decided_by_id(obj):
        return obj.decided_by.uuid if obj.decided_by_id else None


class ReactiveRequestIn(Schema):
    proposal: str


class ModeDecideIn(Schema):
    approve: bool
    rationale: str


class ReactiveReviewIn(Schema):
    outcome: str
    rationale: str


class ReturnActiveIn(Schema):
    reason: str


class ReactiveRowOut(Schema):
    """One row of `selectors.reactive_list`: (nominal, assessment)."""

    nominal_id: uuid.UUID
    all_met: bool
    conditions: list[ReactiveConditionOut]

    @staticmethod
    def resolve_nominal_id(row):
        return row.nominal.uuid

    @staticmethod
    def resolve_all_met(row):
        return row.assessment.all_met

    @staticmethod
    def resolve_conditions(row):
        return [c.__dict__ for c in row.assessment.conditions]


def _management(nominal, include_approval=None) -> dict:
    reactive = nominal.management_mode == "reactive"
    assessment = services.reactive_assessment(
        nominal, include_approval=reactive if include_approval is None else include_approval
    )
    return {
        "nominal_id": nominal.uuid,
        "management_mode": nominal.management_mode,
        "review_called_for_on": nominal.reactive_review_triggered_on,
        "all_met": assessment.all_met,
        "conditions": [c.__dict__ for c in assessment.conditions],
    }


@router.get("/reactive", response=list[ReactiveRowOut])
@paginate(PageNumberPagination, page_size=50)
def reactive_list(request, unmet_only: bool = False):
    """Reactively managed nominals the caller may see, with every condition now: those
    with a condition no longer met first (only those with `unmet_only`), then by name."""
    _casework(request)
    return selectors.reactive_list(user=request.user, unmet_only=unmet_only)


@router.post("/management-decisions/{decision_id}", response=ModeDecisionOut)
def decide_reactive(request, decision_id: uuid.UUID, payload: ModeDecideIn):
    """Approve or decline a request for reactive management (rank set in policy)."""
    _casework(request)
    decision = selectors.get_mode_decision_for_user(request.user, decision_id)
    return services.reactive_decide(actor=request.user, decision=decision, **payload.dict())


@router.get("/{nominal_id}/management", response=ManagementOut)
def get_management(request, nominal_id: uuid.UUID):
    """The management mode and the reactive-management conditions now."""
    return _management(_nominal(request, nominal_id))


@router.get("/{nominal_id}/management/decisions", response=list[ModeDecisionOut])
def list_mode_decisions(request, nominal_id: uuid.UUID):
    return list(selectors.mode_decisions_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/management/reactive", response={201: ModeDecisionOut})
def request_reactive(request, nominal_id: uuid.UUID, payload: ReactiveRequestIn):
    """Ask for reactive management: refused (422) with every unmet condition, one error
    per condition (field = the condition's code)."""
    nominal = _nominal(request, nominal_id, "edit")
    return Status(
        201, services.reactive_request(actor=request.user, nominal=nominal, **payload.dict())
    )


@router.post("/{nominal_id}/management/review", response=ModeDecisionOut)
def review_reactive(request, nominal_id: uuid.UUID, payload: ReactiveReviewIn):
    """The eligibility review of a reactively managed nominal (stay, or return)."""
    nominal = _nominal(request, nominal_id, "edit")
    return services.reactive_review_record(actor=request.user, nominal=nominal, **payload.dict())


@router.post("/{nominal_id}/management/active", response=ModeDecisionOut)
def return_to_active(request, nominal_id: uuid.UUID, payload: ReturnActiveIn):
    nominal = _nominal(request, nominal_id, "edit")
    return services.reactive_return(actor=request.user, nominal=nominal, **payload.dict())
