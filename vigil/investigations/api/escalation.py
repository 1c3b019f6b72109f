"""The central escalation log through the API (point C)."""

import uuid

from ninja import Query, Schema
from ninja.pagination import PageNumberPagination, paginate

from vigil.investigations import selectors, services
from vigil.investigations.api.common import EscalationOut, _require_supervisor, router


class ResolveIn(Schema):
    outcome: str = ""


class EscalationFilters(Schema):
    status: str = ""
    trigger: str = ""


@router.get("/escalations", response=list[EscalationOut])
@paginate(PageNumberPagination, page_size=50)
def list_escalations(request, filters: Query[EscalationFilters]):
    """The escalation log (supervisors and managers of the owning or allocated team)."""
    _require_supervisor(request)
    return selectors.escalation_list(
        user=request.user, status=filters.status, trigger=filters.trigger
    )


@router.get("/escalations/{escalation_id}", response=EscalationOut)
def get_escalation(request, escalation_id: uuid.UUID):
    _require_supervisor(request)
    return selectors.get_escalation_for_user(request.user, escalation_id)


@router.post("/escalations/{escalation_id}/acknowledge", response=EscalationOut)
def acknowledge_escalation(request, escalation_id: uuid.UUID):
    """Acknowledge an escalation: who and when are recorded."""
    _require_supervisor(request)
    entry = selectors.get_escalation_for_user(request.user, escalation_id)
    return services.escalation_acknowledge(actor=request.user, entry=entry)


@router.post("/escalations/{escalation_id}/resolve", response=EscalationOut)
def resolve_escalation(request, escalation_id: uuid.UUID, payload: ResolveIn):
    """Resolve an escalation with its outcome."""
    _require_supervisor(request)
    entry = selectors.get_escalation_for_user(request.user, escalation_id)
    return services.escalation_resolve(actor=request.user, entry=entry, outcome=payload.outcome)
