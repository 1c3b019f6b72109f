"""Requests: list (inbox, sent or both, with the pages' filters), one request with its
timeline, raise, acknowledge, respond, decline, rate."""

import datetime as dt
import uuid

from ninja import Query, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil import audit
from vigil.core import clock
from vigil.partners import selectors
from vigil.partners.api.base import require_partner, router
from vigil.partners.services import requests as services


class NominalShared(Schema):
    """Only what the agreement shares of a nominal."""

    name: str
    date_of_birth: dt.date | None
    risk_level: str
    mappa_category: int | None
    mappa_level: int | None
    managing_officer: str | None


class RequestOut(Schema):
    id: uuid.UUID
    reference: str
    direction: str
    kind: str
    urgent: bool
    state: str
    details: str
    agreement_id: uuid.UUID
    version: int
    police_team: str
    region: str
    nominal: NominalShared
    raised_at: dt.datetime
    raised_by: str
    due_at: dt.datetime
    acknowledged_at: dt.datetime | None
    answered_at: dt.datetime | None
    within_sla: bool | None
    response: str
    decline_reason: str
    rating: int | None
    feedback: str
    rated_at: dt.datetime | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_agreement_id(obj):
        return obj.agreement.uuid

    @staticmethod
    def resolve_version(obj):
        return obj.version.number

    @staticmethod
    def resolve_police_team(obj):
        return obj.police_team.name

    @staticmethod
    def resolve_region(obj):
        return obj.agreement.region.name

    @staticmethod
    def resolve_raised_by(obj):
        return obj.raised_by.full_name

    @staticmethod
    def resolve_nominal(obj):
        n = obj.nominal
        return {
            "name": n.person.full_name,
            "date_of_birth": n.person.date_of_birth,
            "risk_level": n.risk_level,
            "mappa_category": n.mappa_category,
            "mappa_level": n.mappa_level,
            "managing_officer": n.offender_manager.full_name if n.offender_manager_id else None,
        }


class EventOut(Schema):
    at: dt.datetime
    title: str
    by: str | None

    @staticmethod
    def resolve_title(obj):
        return str(obj["title"])

    @staticmethod
    def resolve_by(obj):
        return obj["by"].full_name if obj["by"] else None


class RequestDetailOut(RequestOut):
    timeline: list[EventOut]


class RequestFilter(Schema):
    box: str = ""
    kind: str = ""
    state: str = ""
    direction: str = ""
    overdue: bool = False


class RaiseIn(Schema):
    agreement: uuid.UUID
    kind: str
    register_reference: str
    details: str
    urgent: bool = False


class RespondIn(Schema):
    response: str


class DeclineIn(Schema):
    reason: str


class RateIn(Schema):
    rating: int
    feedback: str = ""


def _load(request, request_id, *, audit_view: bool = False):
    require_partner(request)
    return selectors.get_request_for_user(request.user, request_id, audit_view=audit_view)


def _detail(request, request_id, *, audit_view: bool = False):
    req = _load(request, request_id, audit_view=audit_view)
    req.timeline = selectors.timeline(req)
    return req


@router.get("/requests", response=list[RequestOut])
@paginate(PageNumberPagination, page_size=50)
def list_requests(request, filters: Query[RequestFilter]):
    """The caller's requests: `box=inbox` (to the caller's side), `box=sent` (raised by
    it) or both; filter by kind, state, direction, overdue. The read is audited."""
    require_partner(request)
    box = filters.box if filters.box in ("inbox", "sent") else ""
    params = filters.dict(exclude={"box"})
    audit.record(
        request.user,
        "partners.requests_list",
        None,
        changes={"box": box, **{k: v for k, v in params.items() if v}},
    )
    return selectors.request_list(
        user=request.user, box=box, now=clock.now(), **params
    ).select_related("version", "nominal__offender_manager")


@router.get("/requests/{request_id}", response=RequestDetailOut)
def get_request(request, request_id: uuid.UUID):
    """One request with its timeline (the read is audited)."""
    return _detail(request, request_id, audit_view=True)


@router.post("/requests", response={201: RequestDetailOut})
def raise_request(request, payload: RaiseIn):
    """Raise a request to the other side about a nominal known by its register reference."""
    require_partner(request)
    agreement = selectors.get_agreement_for_user(request.user, payload.agreement)
    created = services.request_raise(
        actor=request.user,
        agreement=agreement,
        kind=payload.kind,
        register_reference=payload.register_reference,
        details=payload.details,
        urgent=payload.urgent,
    )
    return Status(201, _detail(request, created.uuid))


@router.post("/requests/{request_id}/acknowledge", response=RequestDetailOut)
def acknowledge_request(request, request_id: uuid.UUID):
    """The answering side has the request in hand."""
    services.request_acknowledge(actor=request.user, request=_load(request, request_id))
    return _detail(request, request_id)


@router.post("/requests/{request_id}/respond", response=RequestDetailOut)
def respond_to_request(request, request_id: uuid.UUID, payload: RespondIn):
    """Answer with what is shared (the answering side)."""
    services.request_respond(
        actor=request.user, request=_load(request, request_id), response=payload.response
    )
    return _detail(request, request_id)


@router.post("/requests/{request_id}/decline", response=RequestDetailOut)
def decline_request(request, request_id: uuid.UUID, payload: DeclineIn):
    """Decline with a reason (the answering side)."""
    services.request_decline(
        actor=request.user, request=_load(request, request_id), reason=payload.reason
    )
    return _detail(request, request_id)


@router.post("/requests/{request_id}/rate", response=RequestDetailOut)
def rate_request(request, request_id: uuid.UUID, payload: RateIn):
    """Rate the answer 1 (poor) to 5 (excellent), with optional feedback (the raising side)."""
    services.request_rate(
        actor=request.user,
        request=_load(request, request_id),
        rating=payload.rating,
        feedback=payload.feedback,
    )
    return _detail(request, request_id)
