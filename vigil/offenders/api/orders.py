"""Orders and breaches through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Schema, Status

from vigil.core.exceptions import ValidationFailed
from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, router
from vigil.offenders.models import Order


class OrderIn(Schema):
    kind: str
    start_date: dt.date
    end_date: dt.date | None = None
    prohibitions: str = ""
    requirements: str = ""
    court: str = ""
    description: str = ""


class OrderPatch(Schema):
    kind: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    prohibitions: str | None = None
    requirements: str | None = None
    court: str | None = None
    description: str | None = None


class OrderOut(_Id):
    kind: str
    start_date: dt.date
    end_date: dt.date | None
    prohibitions: str
    requirements: str
    court: str
    description: str


class BreachIn(Schema):
    occurred_on: dt.date
    summary: str
    order_id: uuid.UUID | None = None
    action_taken: str = ""


class BreachOut(_Id):
    occurred_on: dt.date
    summary: str


@router.patch("/orders/{order_id}", response=OrderOut)
def update_order(request, order_id: uuid.UUID, payload: OrderPatch):
    _casework(request)
    order = selectors.get_order_for_user(request.user, order_id)
    return services.order_update(
        actor=request.user, order=order, **payload.dict(exclude_unset=True)
    )


@router.get("/{nominal_id}/orders", response=list[OrderOut])
def list_orders(request, nominal_id: uuid.UUID):
    return list(_nominal(request, nominal_id).orders.all())


@router.post("/{nominal_id}/orders", response={201: OrderOut})
def add_order(request, nominal_id: uuid.UUID, payload: OrderIn):
    nominal = _nominal(request, nominal_id, "edit")
    return Status(201, services.order_add(actor=request.user, nominal=nominal, **payload.dict()))


@router.post("/{nominal_id}/breaches", response={201: BreachOut})
def add_breach(request, nominal_id: uuid.UUID, payload: BreachIn):
    nominal = _nominal(request, nominal_id, "edit")
    data = payload.dict()
    order_id = data.pop("order_id")
    order = Order.objects.filter(nominal=nominal, uuid=order_id).first() if order_id else None
    if order_id and order is None:
        raise ValidationFailed(_("Choose one of this nominal's orders"), field="order_id")
    return Status(
        201, services.breach_record(actor=request.user, nominal=nominal, order=order, **data)
    )
