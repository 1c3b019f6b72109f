"""Writing and checking the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from vigil.audit.context import request_id as current_request_id
from vigil.audit.models import AuditChainHead, AuditEvent
from vigil.core import clock

GENESIS = "0" * 64

# Where events go instead of the chain while `held` is in force (this thread only).
_held: ContextVar[Callable[[AuditEvent], None] | None] = ContextVar(
    "vigil_audit_held", default=None
)


@contextmanager
def held(sink: Callable[[AuditEvent], None]) -> Iterator[None]:
    """Inside the block, `record` and `append_many` hand each event (unchained, `at` in
    UTC) to `sink` instead of appending it. Only the synthetic generator uses it: it writes
    five years of history one case at a time, so its events come out of time order, and
    it chains them afterwards in time order (`append_many`, sorted by `at`)."""
    token = _held.set(sink)
    try:
        yield
    finally:
        _held.reset(token)


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
    Inside `held`, the event is handed to the sink instead, unchained.
    """
    sink = _held.get()
    head = None
    if sink is None:
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
    )
    if sink is not None:
        sink(event)
        return event
    event.prev_hash = head.last_hash
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
    Inside `held`, the events are handed to the sink instead, unchained.
    """
    if not events:
        return 0
    sink = _held.get()
    if sink is not None:
        for event in events:
            event.at = event.at.astimezone(dt.UTC)
            sink(event)
        return len(events)
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
    """What `verify_chain` found. `last_event_id` is the chain head the run verified up to;
    `beyond` counts the events appended while it ran (left for the next run)."""

    ok: bool
    checked: int
    broken_event_id: int | None = None
    problem: str = ""
    last_event_id: int = 0
    beyond: int = 0


def _intact(event: AuditEvent) -> bool:
    return event_hash(prev_hash=event.prev_hash, fields=_hashed_fields(event)) == event.hash


def _named(event_id: int) -> str:
    return f"event #{event_id}" if event_id else "the start of the chain"


def _broken_link(event: AuditEvent, previous_id: int, expected: str, last_id: int) -> tuple:
    """(first broken event id, problem) for an event whose prev_hash is not the hash of
    the event verified before it (`previous_id`, whose hash is `expected`).

    Steps: (1) a later event chained to `previous_id` means this event was inserted in
    front of it; (2) else a wrong hash of its own means this event was altered; (3) else
    this event chained to an earlier event than `previous_id` (or to the start) means the
    events after that one were inserted, the first of them being the broken link; (4) else
    the event it was chained to is gone: removed (or replaced).
    Runs only on a broken chain, so the unindexed prev_hash search costs nothing normally.
    """
    successor = (
        AuditEvent.objects.filter(prev_hash=expected, id__gt=event.id, id__lte=last_id)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if successor is not None:
        return event.id, (
            f"event #{event.id} is not in the chain: event #{successor} is chained to "
            f"{_named(previous_id)}, so event #{event.id} was inserted between them"
        )
    if not _intact(event):
        return event.id, f"event #{event.id} was altered after it was written"
    if event.prev_hash == GENESIS:
        origin = 0
    else:
        origin = (
            AuditEvent.objects.filter(hash=event.prev_hash, id__lt=previous_id)
            .values_list("id", flat=True)
            .first()
        )
    if origin is not None:
        inserted = (
            AuditEvent.objects.filter(id__gt=origin, id__lt=event.id)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        return inserted, (
            f"event #{inserted} is not in the chain: event #{event.id} is chained to "
            f"{_named(origin)}, so event #{inserted} was inserted between them"
        )
    return event.id, (
        f"event #{event.id} does not follow {_named(previous_id)}: the event it was chained "
        "to is missing (an event between them was removed, or replaced)"
    )


def _chain_head() -> tuple[int, str] | None:
    return AuditChainHead.objects.filter(pk=1).values_list("last_event_id", "last_hash").first()


def verify_chain() -> VerifyResult:
    """Recompute the chain up to the chain head and report the first broken link.

    Steps: read the chain head first (its last event id and hash), so that events written
    while the check runs are not mistaken for tampering; no head while there are events is
    a break. Walk the events up to the head's in id order: each stored prev_hash must equal
    the hash of the event before (else one was removed, or inserted out of chain: see
    `_broken_link`) and each stored hash must equal the one recomputed from the row (else
    the row was altered). The walk must end at the head's event with the head's hash (else
    events at the end were removed). Last, events after the head: each must be covered by
    the head as it is now, read after them (a writer inserts its event and moves the head
    in one transaction, and the head only moves forward), else it was inserted outside
    Vigil; the ones covered were appended during the run and are left for the next.

    Under PostgreSQL's READ COMMITTED this needs no long-held snapshot: events at or before
    the head's id were all committed when the head was read, and later ones are checked as
    above.
    """
    head = _chain_head()
    if head is None:
        first = AuditEvent.objects.order_by("id").values_list("id", flat=True).first()
        if first is None:
            return VerifyResult(True, 0)
        return VerifyResult(
            False,
            0,
            None,
            "the chain head is missing: it was removed, so events at the end of the chain "
            "cannot be checked",
        )
    last_id, last_hash = head
    previous_hash = GENESIS
    previous_id = 0
    checked = 0
    events = AuditEvent.objects.filter(id__lte=last_id).order_by("id")
    for event in events.iterator(chunk_size=2000):
        checked += 1
        if event.prev_hash != previous_hash:
            broken_id, problem = _broken_link(event, previous_id, previous_hash, last_id)
            return VerifyResult(False, checked, broken_id, problem, last_id)
        if not _intact(event):
            return VerifyResult(
                False,
                checked,
                event.id,
                f"event #{event.id} was altered after it was written",
                last_id,
            )
        previous_hash = event.hash
        previous_id = event.id
    if previous_id != last_id:
        return VerifyResult(
            False,
            checked,
            last_id,
            (f"the chain ends at event #{previous_id}" if previous_id else "there are no events")
            + f" but the chain head names event #{last_id} as the last: events at the end "
            "were removed",
            last_id,
        )
    if previous_hash != last_hash:
        return VerifyResult(
            False,
            checked,
            last_id,
            f"event #{last_id} does not have the hash the chain head records for it: "
            "it was replaced, or the chain head was altered",
            last_id,
        )
    return _check_beyond_head(last_id, checked)


def _check_beyond_head(last_id: int, checked: int) -> VerifyResult:
    top = AuditEvent.objects.filter(id__gt=last_id).aggregate(top=Max("id"))["top"]
    if top is None:
        return VerifyResult(True, checked, last_event_id=last_id)
    head_now = _chain_head()  # read after the events: see verify_chain
    if head_now is None:
        return VerifyResult(
            False, checked, None, "the chain head is missing: it was removed", last_id
        )
    head_id = head_now[0]
    if top > head_id:
        stray = (
            AuditEvent.objects.filter(id__gt=max(head_id, last_id), id__lte=top)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        return VerifyResult(
            False,
            checked,
            stray,
            f"event #{stray} is not in the chain: the chain head names "
            + (f"event #{head_id} as the last event" if head_id else "no event at all"),
            last_id,
        )
    beyond = AuditEvent.objects.filter(id__gt=last_id, id__lte=head_id).count()
    return VerifyResult(True, checked, last_event_id=last_id, beyond=beyond)
