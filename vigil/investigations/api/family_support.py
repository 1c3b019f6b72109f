"""Support for the suspect's family through the API (point G)."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Schema, Status

from vigil.core.exceptions import NotFound
from vigil.investigations import selectors, services
from vigil.investigations.api.common import Ref, _investigation, router


class FamilySupportOut(Schema):
    id: uuid.UUID
    investigation: uuid.UUID
    status: str
    offered_on: dt.date
    officer: Ref
    reason: str
    leaflet_language: str
    recorded_at: dt.datetime
    due_on: dt.date | None
    in_time: bool | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_investigation(obj):
        return obj.investigation.uuid

    @staticmethod
    def resolve_due_on(obj):
        return obj.investigation.family_support_due_on

    @staticmethod
    def resolve_in_time(obj):
        due = obj.investigation.family_support_due_on
        return None if due is None else obj.offered_on <= due


class FamilySupportIn(Schema):
    status: str
    offered_on: dt.date | None = None
    reason: str = ""
    leaflet_language: str = ""


class FamilySupportUpdateIn(Schema):
    status: str
    reason: str = ""
    leaflet_language: str | None = None


@router.get("/{investigation_id}/family-support", response=FamilySupportOut)
def get_family_support(request, investigation_id: uuid.UUID):
    """The offer of support to the suspect's family (404 when none is recorded)."""
    investigation = _investigation(request, investigation_id)
    offer = selectors.get_family_support(investigation)
    if offer is None:
        raise NotFound(_("No offer of support to the family is recorded."))
    offer.investigation = investigation
    return offer


@router.post("/{investigation_id}/family-support", response={201: FamilySupportOut})
def record_family_support(request, investigation_id: uuid.UUID, payload: FamilySupportIn):
    """Record the offer: offered, accepted, declined or not applicable (with a reason)."""
    investigation = _investigation(request, investigation_id, "edit")
    offer = services.family_support_record(
        actor=request.user,
        investigation=investigation,
        status=payload.status,
        offered_on=payload.offered_on,
        reason=payload.reason,
        leaflet_language=payload.leaflet_language,
    )
    offer.investigation = investigation
    return Status(201, offer)


@router.patch("/{investigation_id}/family-support", response=FamilySupportOut)
def update_family_support(request, investigation_id: uuid.UUID, payload: FamilySupportUpdateIn):
    """Update the offer (accepted or declined later, a reason); its date stays."""
    investigation = _investigation(request, investigation_id, "edit")
    offer = selectors.get_family_support(investigation)
    if offer is None:
        raise NotFound(_("No offer of support to the family is recorded."))
    services.family_support_update(
        actor=request.user,
        offer=offer,
        status=payload.status,
        reason=payload.reason,
        leaflet_language=payload.leaflet_language,
    )
    offer.investigation = investigation
    return offer
