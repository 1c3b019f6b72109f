"""PND checks through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema, Status

from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, _user, router


class PndCheckIn(Schema):
    checked_on: dt.date
    result: str
    summary: str = ""
    officer_id: uuid.UUID | None = None


class PndAssessIn(Schema):
    action_taken: str


class PndCheckOut(_Id):
    nominal_id: uuid.UUID
    checked_on: dt.date
    officer_id: uuid.UUID
    result: str
    summary: str
    assessed_by_id: uuid.UUID | None
    assessed_at: dt.datetime | None
    action_taken: str

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid

    @staticmethod
    def resolve_officer_id(obj):
        return obj.officer.uuid

    @staticmethod
    def resolve_assessed_by_id(obj):
        return obj.assessed_by.uuid if obj.assessed_by_id else None


@router.post("/pnd-checks/{check_id}/assessment", response=PndCheckOut)
def assess_pnd_check(request, check_id: uuid.UUID, payload: PndAssessIn):
    _casework(request)
    check = selectors.get_pnd_check_for_user(request.user, check_id)
    return services.pnd_check_assess(actor=request.user, check=check, **payload.dict())


@router.get("/{nominal_id}/pnd-checks", response=list[PndCheckOut])
def list_pnd_checks(request, nominal_id: uuid.UUID):
    return list(selectors.pnd_checks_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/pnd-checks", response={201: PndCheckOut})
def record_pnd_check(request, nominal_id: uuid.UUID, payload: PndCheckIn):
    """A PND check (then assessed through /pnd-checks/{id}/assessment)."""
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict()
    officer_id = data.pop("officer_id")
    officer = _user(nominal.team, officer_id, "officer_id") if officer_id else None
    return Status(
        201,
        services.pnd_check_record(actor=request.user, nominal=nominal, officer=officer, **data),
    )
