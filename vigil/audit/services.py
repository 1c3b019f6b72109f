"""Writing and checking the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from vigil.audit.context import request_id as current_request_id
from vigil.audit.models import AuditChainHead, AuditEvent
from vigil.core import clock

GENESIS = "0" * 64


def _jsonable(value):
    """Round-trip through JSON so that what is hashed is exactly what is stored."""
    return json.loads(json.dumps(value or {}, default=str, sort_keys=True))


def event_hash(*, prev_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict:
    return {
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_email": event.actor_email,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "person_id": event.person_id,
        "request_id": event.request_id,
        "changes": event.changes,
        "reason": event.reason,
    }


def _target_parts(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    meta = getattr(target, "_meta", None)
    target_type = meta.label_lower if meta else type(target).__name__.lower()
    target_id = str(getattr(target, "uuid", None) or getattr(target, "pk", "") or "")
    return target_type, target_id, str(target)[:300]


@transaction.atomic
def record(
    actor, action: str, target=None, *, changes: dict | None = None, reason: str = "", person=None
) -> AuditEvent:
    """Append one audit event, chained to the one before.

    Steps: lock the chain head row (so concurrent writers chain in order); build the
    event's fields; hash them with the previous hash; insert; move the head on.
    `person` names the person whose record this concerns (for "who has viewed").
    """
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    target_type, target_id, target_label = _target_parts(target)
    if person is None and target is not None and target_type == "people.person":
        person = target
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        # In UTC, as the database gives it back: the hash must be recomputable from the row.
        at=clock.now().astimezone(dt.UTC),
        actor_id=actor.pk if authenticated else None,
        actor_email=actor.email if authenticated else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        person_id=str(person.uuid) if person is not None else "",
        request_id=current_request_id.get(),
        changes=_jsonable(changes),
        reason=reason or "",
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(prev_hash=event.prev_hash, fields=_hashed_fields(event))
    event.save(force_insert=True)
    head.last_event_id = event.id
    head.last_hash = event.hash
    head.save(update_fields=["last_event_id", "last_hash"])
    return event


@transaction.atomic
def append_many(events: list[AuditEvent]) -> int:
    """Append events built by the caller (the synthetic replicator's copies of case
    histories), chained in list order after the current head, in one insert.

    Steps: lock the chain head (so no other writer appends meanwhile); give each event the
    next id, the previous hash and its own hash, as `record` does; insert them all; move
    the head to the last one, and PostgreSQL's id sequence past it. Each event's `at` is
    kept as given (UTC), so the chain is by insertion, not by time, as for `record`.
    """
    if not events:
        return 0
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    previous = head.last_hash
    next_id = (AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    fields = AuditEvent._meta.concrete_fields
    converted = {"DateTimeField", "JSONField"}
    rows = []
    for event in events:
        event.id = next_id
        next_id += 1
        event.at = event.at.astimezone(dt.UTC)
        event.changes = _jsonable(event.changes)
        event.prev_hash = previous
        event.hash = event_hash(prev_hash=previous, fields=_hashed_fields(event))
        previous = event.hash
        rows.append(
            [
                f.get_db_prep_save(getattr(event, f.attname), connection)
                if f.get_internal_type() in converted
                else getattr(event, f.attname)
                for f in fields
            ]
        )
    quote = connection.ops.quote_name
    insert = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - quoted model names
        quote(AuditEvent._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(insert, rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), [AuditEvent]):
            cursor.execute(statement)
    head.last_event_id = events[-1].id
    head.last_hash = previous
    head.save(update_fields=["last_event_id", "last_hash"])
    return len(events)


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose values differ."""
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    problem: str = ""


def verify_chain() -> VerifyResult:
    """Recompute the whole chain and report the first broken link.

    Steps: walk the events in id order; for each, the stored prev_hash must equal the hash
    of the event before (else a row was removed or inserted out of chain) and the stored
    hash must equal the hash recomputed from the row (else the row was altered); finally
    the chain head must name the last event (else events at the end were removed).
    """
    previous_hash = GENESIS
    previous_id = 0
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.prev_hash != previous_hash:
            return VerifyResult(
                False,
                checked,
                event.id,
                f"event #{event.id} does not follow event #{previous_id}: an event between "
                "them was removed, or this one was inserted out of chain",
            )
        if event_hash(prev_hash=event.prev_hash, fields=_hashed_fields(event)) != event.hash:
            return VerifyResult(
                False, checked, event.id, f"event #{event.id} was altered after it was written"
            )
        previous_hash = event.hash
        previous_id = event.id
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_event_id != previous_id or head.last_hash != previous_hash):
        return VerifyResult(
            False,
            checked,
            head.last_event_id,
            f"the chain ends at event #{previous_id} but event #{head.last_event_id} was written "
            "last: events at the end were removed",
        )
    return VerifyResult(True, checked)
