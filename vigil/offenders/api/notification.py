"""Notification requirements and notifications through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema, Status

from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, router


class RequirementIn(Schema):
    start_date: dt.date
    disposal: str
    custodial_months: int | None = None
    discharge_months: int | None = None
    under_18: bool = False
    offence: str = ""


class RequirementOut(_Id):
    start_date: dt.date
    disposal: str
    custodial_months: int | None
    discharge_months: int | None
    under_18: bool
    period_months: int | None
    end_date: dt.date | None
    review_date: dt.date | None


class NotificationIn(Schema):
    kind: str
    event_date: dt.date
    details: str = ""


class NotificationRecordIn(Schema):
    notified_on: dt.date
    details: str = ""


class NotificationOut(_Id):
    kind: str
    status: str
    event_date: dt.date
    due_date: dt.date
    notified_on: dt.date | None
    on_time: bool | None


@router.post("/notifications/{event_id}/record", response=NotificationOut)
def record_notification(request, event_id: uuid.UUID, payload: NotificationRecordIn):
    _casework(request)
    event = selectors.get_notification_for_user(request.user, event_id)
    return services.notification_record(actor=request.user, event=event, **payload.dict())


@router.post("/{nominal_id}/requirements", response={201: RequirementOut})
def add_requirement(request, nominal_id: uuid.UUID, payload: RequirementIn):
    """Notification requirements, with the s82 period computed."""
    nominal = _nominal(request, nominal_id, "edit")
    return Status(
        201, services.requirement_add(actor=request.user, nominal=nominal, **payload.dict())
    )


@router.get("/{nominal_id}/notifications", response=list[NotificationOut])
def list_notifications(request, nominal_id: uuid.UUID):
    return list(_nominal(request, nominal_id).notifications.all())


@router.post("/{nominal_id}/notifications", response={201: NotificationOut})
def open_notification(request, nominal_id: uuid.UUID, payload: NotificationIn):
    nominal = _nominal(request, nominal_id, "edit")
    return Status(
        201, services.notification_open(actor=request.user, nominal=nominal, **payload.dict())
    )
