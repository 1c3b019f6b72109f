"""Pre-charge bail's conditions through the API (point F): varying them, the victim's
views and checks that they are kept.
"""

import datetime as dt
import uuid

from ninja import Schema, Status

from vigil.investigations import services
from vigil.investigations.api.bail import (
    BailDetailOut,
    CheckOut,
    VictimViewsOut,
    _active_bail,
    _bail_detail,
)
from vigil.investigations.api.common import router


class ConditionsIn(Schema):
    add: list[str] = []
    remove: list[uuid.UUID] = []
    victim_views: str = ""
    victim_views_not_sought_reason: str = ""


class VictimViewsIn(Schema):
    views: str = ""
    not_sought_reason: str = ""


class CheckIn(Schema):
    method: str
    outcome: str
    checked_at: dt.datetime | None = None
    breach_action: str = ""
    note: str = ""


@router.post("/{investigation_id}/bail/conditions", response=BailDetailOut)
def vary_conditions(request, investigation_id: uuid.UUID, payload: ConditionsIn):
    """Add and remove conditions of the active bail, with the alleged victims' views."""
    bail = _active_bail(request, investigation_id)
    services.bail_conditions_vary(
        actor=request.user,
        bail=bail,
        add=payload.add,
        remove=payload.remove,
        victim_views=payload.victim_views,
        victim_views_not_sought_reason=payload.victim_views_not_sought_reason,
    )
    return _bail_detail(bail)


@router.post("/{investigation_id}/bail/victim-views", response={201: VictimViewsOut})
def record_victim_views(request, investigation_id: uuid.UUID, payload: VictimViewsIn):
    """Record the alleged victims' views (or why not sought) before conditions change."""
    bail = _active_bail(request, investigation_id)
    return Status(
        201,
        services.bail_victim_views_record(
            actor=request.user,
            bail=bail,
            views=payload.views,
            not_sought_reason=payload.not_sought_reason,
        ),
    )


@router.post("/{investigation_id}/bail/checks", response={201: CheckOut})
def record_check(request, investigation_id: uuid.UUID, payload: CheckIn):
    """Record a condition check of the active bail (default: now)."""
    bail = _active_bail(request, investigation_id)
    return Status(
        201,
        services.bail_condition_check_record(
            actor=request.user,
            bail=bail,
            method=payload.method,
            outcome=payload.outcome,
            checked_at=payload.checked_at,
            breach_action=payload.breach_action,
            note=payload.note,
        ),
    )
