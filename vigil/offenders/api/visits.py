"""Home visits and their authorisation through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from vigil.core.exceptions import ValidationFailed
from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, router


class VisitIn(Schema):
    visited_at: dt.datetime
    location: str
    announced: bool
    officer_ids: list[uuid.UUID]
    access: str
    outcome: str
    concerns: str = ""
    intelligence_submitted: bool = False
    notification_checked: bool = False


class VisitOut(_Id):
    visited_at: dt.datetime
    location: str
    announced: bool
    officer_ids: list[uuid.UUID]
    access: str
    outcome: str
    concerns: str
    intelligence_submitted: bool
    notification_checked: bool
    compliant: bool
    authorised: bool
    authorised_in_time: bool | None
    review_id: uuid.UUID | None = Field(
        None, description="The supervisor review the visit opened, if it opened one."
    )

    @staticmethod
    def resolve_review_id(obj):
        review = getattr(obj, "review", None)
        return review.uuid if review else None

    @staticmethod
    def resolve_officer_ids(obj):
        return [o.uuid for o in obj.officers.all()]

    @staticmethod
    def resolve_authorised(obj):
        return hasattr(obj, "authorisation")

    @staticmethod
    def resolve_authorised_in_time(obj):
        return obj.authorisation.in_time if hasattr(obj, "authorisation") else None


class AuthoriseIn(Schema):
    rationale: str
    decided_at: dt.datetime | None = None


class AuthorisationOut(_Id):
    authorised_at: dt.datetime
    rationale: str
    in_time: bool


@router.get("/visits/{visit_id}", response=VisitOut)
def get_visit(request, visit_id: uuid.UUID):
    _casework(request)
    return selectors.get_visit_for_user(request.user, visit_id)


@router.post("/visits/{visit_id}/authorisation", response={201: AuthorisationOut})
def authorise_visit(request, visit_id: uuid.UUID, payload: AuthoriseIn):
    """Authorise an announced or single-officer visit (rank set in policy)."""
    _casework(request)
    visit = selectors.get_visit_for_user(request.user, visit_id)
    return Status(201, services.visit_authorise(actor=request.user, visit=visit, **payload.dict()))


@router.get("/{nominal_id}/visits", response=list[VisitOut])
def list_visits(request, nominal_id: uuid.UUID):
    return list(selectors.visits_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/visits", response={201: VisitOut})
def record_visit(request, nominal_id: uuid.UUID, payload: VisitIn):
    """Record a home visit; announced or single-officer visits then need authorisation."""
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict()
    ids = data.pop("officer_ids")
    officers = list(selectors.officers_for_visit(nominal).filter(uuid__in=ids))
    if len(officers) != len(set(ids)):
        raise ValidationFailed(
            _("Choose officers who work in the managing team"), field="officer_ids"
        )
    data["access_result"] = data.pop("access")
    return Status(
        201, services.visit_record(actor=request.user, nominal=nominal, officers=officers, **data)
    )
