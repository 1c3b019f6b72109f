"""Orders (SHPO, notification orders and others) and their breaches."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.offenders.choices import ArmsTrigger, OrderKind, ReactiveTrigger
from vigil.offenders.history import state_record
from vigil.offenders.models import Breach, Nominal, Order
from vigil.offenders.services.common import (
    _arms_trigger,
    _fail,
    _reactive_trigger,
    require_casework,
)


def _order_errors(kind, description, start_date, end_date):
    errors: list[tuple[str, str]] = []
    if kind not in OrderKind.values:
        errors.append(("kind", _("Choose the kind of order")))
    if kind == OrderKind.OTHER and not (description or "").strip():
        errors.append(("description", _("Describe the order")))
    if start_date is None:
        errors.append(("start_date", _("Enter the date the order starts")))
    elif end_date is not None and end_date < start_date:
        errors.append(("end_date", _("The end date must be on or after the start date")))
    return errors


@transaction.atomic
def order_add(
    *,
    actor,
    nominal: Nominal,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    prohibitions: str = "",
    requirements: str = "",
    court: str = "",
    description: str = "",
) -> Order:
    """Record an order (SHPO, SRO, notification order or other) with its terms."""
    require_casework(actor, nominal)
    _fail(_order_errors(kind, description, start_date, end_date))
    order = Order.objects.create(
        nominal=nominal,
        kind=kind,
        description=description,
        court=court,
        start_date=start_date,
        end_date=end_date,
        prohibitions=prohibitions,
        requirements=requirements,
    )
    state_record(nominal)  # an order without its terms leaves the record incomplete (H)
    audit.record(
        actor,
        "nominal.order_add",
        order,
        changes={"kind": kind, "start_date": start_date.isoformat()},
        person=nominal.person,
    )
    return order


@transaction.atomic
def order_update(*, actor, order: Order, **fields) -> Order:
    """Change an order's terms or dates (the fields given)."""
    require_casework(actor, order.nominal)
    allowed = {
        "kind",
        "description",
        "court",
        "start_date",
        "end_date",
        "prohibitions",
        "requirements",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"order_update does not change {sorted(unknown)}")
    merged = {k: fields.get(k, getattr(order, k)) for k in allowed}
    _fail(
        _order_errors(
            merged["kind"], merged["description"], merged["start_date"], merged["end_date"]
        )
    )
    locked = Order.objects.select_for_update().get(pk=order.pk)
    changes = {}
    for key, value in fields.items():
        old = getattr(locked, key)
        if old != value:
            changes[key] = [
                str(old) if old is not None else None,
                str(value) if value is not None else None,
            ]
            setattr(locked, key, value)
    locked.save()
    state_record(locked.nominal_id)
    audit.record(
        actor, "nominal.order_update", locked, changes=changes, person=order.nominal.person
    )
    return locked


@transaction.atomic
def breach_record(
    *,
    actor,
    nominal: Nominal,
    occurred_on: dt.date,
    summary: str,
    order: Order | None = None,
    action_taken: str = "",
) -> Breach:
    """Record a breach (of an order, or of the notification requirements); a breach calls
    for a fresh ARMS assessment."""
    require_casework(actor, nominal)
    errors = []
    if occurred_on is None or occurred_on > clock.today():
        errors.append(("occurred_on", _("Enter the date of the breach, today or earlier")))
    if not (summary or "").strip():
        errors.append(("summary", _("Say what happened")))
    if order is not None and order.nominal_id != nominal.pk:
        errors.append(("order", _("Choose one of this nominal's orders")))
    _fail(errors)
    breach = Breach.objects.create(
        nominal=nominal,
        order=order,
        occurred_on=occurred_on,
        summary=summary,
        action_taken=action_taken,
        recorded_by=actor,
    )
    audit.record(
        actor,
        "nominal.breach_record",
        breach,
        changes={
            "occurred_on": occurred_on.isoformat(),
            "order": str(order.uuid) if order else None,
        },
        person=nominal.person,
    )
    _arms_trigger(actor, nominal, ArmsTrigger.BREACH)
    _reactive_trigger(actor, nominal, ReactiveTrigger.BREACH)
    return breach
