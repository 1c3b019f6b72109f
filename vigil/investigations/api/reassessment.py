"""Reassessing an investigation's risk through the API."""

import uuid

from ninja import Schema, Status

from vigil.investigations import services
from vigil.investigations.api.common import ReassessmentOut, _investigation, router


class ReassessmentIn(Schema):
    trigger: str
    answers: dict[str, str]
    override_band: str | None = None
    override_rationale: str = ""


@router.post("/{investigation_id}/reassessments", response={201: ReassessmentOut})
def reassess(request, investigation_id: uuid.UUID, payload: ReassessmentIn):
    """Reassess the risk with the referral instrument (answers by question id)."""
    investigation = _investigation(request, investigation_id, "edit")
    reassessment = services.investigation_reassess(
        actor=request.user,
        investigation=investigation,
        trigger=payload.trigger,
        answers=payload.answers,
        override_band=payload.override_band,
        override_rationale=payload.override_rationale,
    )
    return Status(201, reassessment)
