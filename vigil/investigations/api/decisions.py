"""Enforcement decisions through the API."""

import datetime as dt
import uuid

from ninja import Schema, Status

from vigil.investigations import services
from vigil.investigations.api.common import DecisionOut, _investigation, router


class DecisionIn(Schema):
    kind: str
    rationale: str = ""
    exceptional_rationale: str = ""
    override_rationale: str = ""
    # Arrest and voluntary attendance: the suspect welfare prompt (self-harm and suicide).
    welfare_assessment: str = ""
    welfare_measures: str = ""
    # Pre-charge bail: conditions, and the alleged victims' views or why not sought.
    bail_conditions: list[str] = []
    victim_views: str = ""
    victim_views_not_sought_reason: str = ""
    bail_start_date: dt.date | None = None


@router.post("/{investigation_id}/decisions", response={201: DecisionOut})
def decide(request, investigation_id: uuid.UUID, payload: DecisionIn):
    """Record an enforcement decision. Release under investigation is authorised by the
    caller, whose rank must be at least the policy's (default inspector)."""
    investigation = _investigation(request, investigation_id, "edit")
    decision = services.enforcement_decision_record(
        actor=request.user,
        investigation=investigation,
        kind=payload.kind,
        rationale=payload.rationale,
        exceptional_rationale=payload.exceptional_rationale,
        override_rationale=payload.override_rationale,
        welfare_assessment=payload.welfare_assessment,
        welfare_measures=payload.welfare_measures,
        bail_conditions=payload.bail_conditions,
        victim_views=payload.victim_views,
        victim_views_not_sought_reason=payload.victim_views_not_sought_reason,
        bail_start_date=payload.bail_start_date,
    )
    return Status(201, decision)
