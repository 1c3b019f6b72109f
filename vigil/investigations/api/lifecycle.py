"""Investigations through the API: the list, one investigation and moving it to another
state.
"""

import uuid

from ninja import Query, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.investigations import selectors, services
from vigil.investigations.api.common import (
    InvestigationDetailOut,
    InvestigationOut,
    _detail,
    _investigation,
    _require_casework,
    router,
)


class ListFilters(Schema):
    state: str = ""
    band: str = ""
    mine: bool = False
    external: bool = False
    sort: str = selectors.DEFAULT_SORT


class TransitionIn(Schema):
    to_state: str
    note: str = ""


@router.get("", response=list[InvestigationOut])
@paginate(PageNumberPagination, page_size=50)
def list_investigations(request, filters: Query[ListFilters]):
    """Investigations the caller may see: owning or allocated team in scope. Open ones
    unless a state is given."""
    _require_casework(request)
    return selectors.investigation_list(
        user=request.user,
        state=filters.state,
        band=filters.band,
        mine=filters.mine,
        external=filters.external,
        sort=filters.sort,
    )


@router.get("/{investigation_id}", response=InvestigationDetailOut)
def get_investigation(request, investigation_id: uuid.UUID):
    """One investigation with its history (the read is audited)."""
    return _detail(_investigation(request, investigation_id))


@router.post("/{investigation_id}/transitions", response={201: InvestigationDetailOut})
def transition(request, investigation_id: uuid.UUID, payload: TransitionIn):
    """Move the investigation along the lifecycle (manual moves; decisions make the rest)."""
    investigation = _investigation(request, investigation_id, "edit")
    services.investigation_transition(
        actor=request.user,
        investigation=investigation,
        to_state=payload.to_state,
        note=payload.note,
    )
    return Status(201, _detail(investigation))
