"""Nominals through the API: the caseload, registering a nominal, one nominal's record
and changes to it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts.models import Team
from vigil.core.exceptions import NotFound
from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, _user, router
from vigil.people.selectors import visible_people


class NominalOut(_Id):
    person_id: uuid.UUID
    team_id: uuid.UUID
    offender_manager_id: uuid.UUID | None
    status: str
    mappa_category: int | None
    mappa_level: int | None
    financial_details_held: bool
    risk_level: str
    management_mode: str

    @staticmethod
    def resolve_person_id(obj):
        return obj.person.uuid

    @staticmethod
    def resolve_team_id(obj):
        return obj.team.uuid

    @staticmethod
    def resolve_offender_manager_id(obj):
        return obj.offender_manager.uuid if obj.offender_manager_id else None


class NominalListOut(NominalOut):
    is_complete: bool
    next_due: dt.datetime | None


class NominalIn(Schema):
    person_id: uuid.UUID
    team_id: uuid.UUID
    offender_manager_id: uuid.UUID | None = None
    status: str = "active"
    mappa_category: int | None = 1
    mappa_level: int | None = 1
    financial_details_held: bool = False


class NominalPatch(Schema):
    status: str | None = None
    offender_manager_id: uuid.UUID | None = None
    mappa_category: int | None = None
    mappa_level: int | None = None
    financial_details_held: bool | None = None


@router.get("", response=list[NominalListOut])
@paginate(PageNumberPagination, page_size=50)
def list_nominals(request, mine: bool = False, status: str = "", risk: str = "", sort: str = "due"):
    """Nominals the caller may see (their own caseload with `mine`), sortable by risk and
    next due date."""
    _casework(request)
    return selectors.nominal_list(user=request.user, mine=mine, status=status, risk=risk, sort=sort)


@router.post("", response={201: NominalOut})
def register_nominal(request, payload: NominalIn):
    """Register a person (one the caller may see) as a nominal of a MOSOVO team."""
    _casework(request)
    person = visible_people(request.user).filter(uuid=payload.person_id).first()
    team = Team.objects.filter(uuid=payload.team_id).first()
    if person is None or team is None:
        raise NotFound(_("There is no person or team with that id you can reach."))
    nominal = services.nominal_register(
        actor=request.user,
        person=person,
        team=team,
        offender_manager=_user(team, payload.offender_manager_id, "offender_manager_id"),
        status=payload.status,
        mappa_category=payload.mappa_category,
        mappa_level=payload.mappa_level,
        financial_details_held=payload.financial_details_held,
    )
    return Status(201, nominal)


@router.get("/{nominal_id}", response=NominalOut)
def get_nominal(request, nominal_id: uuid.UUID):
    """One nominal (the read is audited)."""
    return _nominal(request, nominal_id)


@router.patch("/{nominal_id}", response=NominalOut)
def update_nominal(request, nominal_id: uuid.UUID, payload: NominalPatch):
    """Change status, offender manager, MAPPA or the financial-details flag."""
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict(exclude_unset=True)
    kwargs = {
        k: data[k]
        for k in ("status", "mappa_category", "mappa_level", "financial_details_held")
        if k in data
    }
    if "offender_manager_id" in data:
        kwargs["offender_manager"] = _user(
            nominal.team, data["offender_manager_id"], "offender_manager_id"
        )
    return services.nominal_update(actor=request.user, nominal=nominal, **kwargs)
