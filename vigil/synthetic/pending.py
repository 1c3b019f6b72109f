"""Holding the generator's audit events back and chaining them in time order.

The generator replays five years of history one case at a time (a nominal's whole
history, then the next), each step under `clock.replay(moment)`, so the services' audit
events come out of time order. Inside `holding()`, `audit.record` hands them here
instead; they are kept in `PendingAuditEvent` rows (in the database, so a national data
set does not have to fit in memory) and, when the block ends, chained in order of `at`
(then of writing, for events of one moment) through `audit.services.append_many`, and
the rows deleted. The chain then reads in time order and verifies (`vigil audit verify`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from vigil.audit.models import AuditEvent
from vigil.audit.services import append_many, held
from vigil.synthetic.models import PendingAuditEvent

FIELDS = (
    "at",
    "actor_id",
    "actor_email",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "person_id",
    "request_id",
    "changes",
    "reason",
)
BATCH = 2000


class Pending:
    """The events held back during one run."""

    def __init__(self) -> None:
        self._buffer: list[PendingAuditEvent] = []

    def add(self, event: AuditEvent) -> None:
        self._buffer.append(PendingAuditEvent(**{f: getattr(event, f) for f in FIELDS}))
        if len(self._buffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the buffered events to the pending table."""
        if self._buffer:
            PendingAuditEvent.objects.bulk_create(self._buffer, batch_size=BATCH)
            self._buffer = []

    def events_about(self, target_types) -> Iterator[AuditEvent]:
        """The held events about records of these types, in the order they were written
        (for the replicator, which copies a force's events with its case histories)."""
        self.flush()
        for row in (
            PendingAuditEvent.objects.filter(target_type__in=target_types).order_by("id").iterator()
        ):
            yield AuditEvent(**{f: getattr(row, f) for f in FIELDS})

    def chain(self) -> int:
        """Append every held event to the audit chain in time order; empty the table."""
        self.flush()
        chained = 0
        last = None
        while True:
            rows = PendingAuditEvent.objects.order_by("at", "id")
            if last is not None:
                rows = rows.filter(at__gte=last[0]).exclude(at=last[0], id__lte=last[1])
            page = list(rows[:BATCH])
            if not page:
                break
            with transaction.atomic():
                chained += append_many(
                    [AuditEvent(**{f: getattr(row, f) for f in FIELDS}) for row in page]
                )
            last = (page[-1].at, page[-1].id)
        PendingAuditEvent.objects.all().delete()
        return chained


_current: Pending | None = None


def current() -> Pending | None:
    """The run's pending events while `holding()` is in force, else None."""
    return _current


@contextmanager
def holding() -> Iterator[Pending]:
    """Hold the block's audit events back and chain them in time order at its end (not if
    the block fails: then nothing of the run is chained, and the pending rows go too)."""
    global _current
    pending = Pending()
    previous, _current = _current, pending
    try:
        with held(pending.add):
            yield pending
    except BaseException:
        PendingAuditEvent.objects.all().delete()
        raise
    finally:
        _current = previous
    pending.chain()
