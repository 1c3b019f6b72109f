import contextlib

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet

from vigil import audit
from vigil.audit.models import AuditChainHead, AuditEvent
from vigil.audit.services import _hashed_fields, event_hash, verify_chain
from vigil.audit.triggers import (
    create_statements,
    drop_statements,
    event_create_statements,
    event_drop_statements,
)
from vigil.core.testing import make_user

pytestmark = pytest.mark.django_db


def _events(n=4):
    user = make_user()
    return [audit.record(user, "test.event", user, changes={"n": i}) for i in range(n)]


def _without_triggers(sql, params=()):
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for stmt in drop_statements(vendor):
            cursor.execute(stmt)
        cursor.execute(sql, params)
        for stmt in create_statements(vendor):
            cursor.execute(stmt)


def _forged(after: AuditEvent, *, id=None, prev_hash=None, action="forged.entry"):
    """An event built as `record` builds one, chained to `after` (or to `prev_hash`), with
    a hash computed by the real hash function: a forgery only the chain can expose."""
    event = AuditEvent(
        id=id,
        at=after.at,
        actor_email="forger@example.police.uk",
        action=action,
        target_type="people.person",
        target_id="d1e2f3",
        target_label="Nobody",
        changes={"note": "forged"},
        prev_hash=prev_hash or after.hash,
    )
    event.hash = event_hash(prev_hash=event.prev_hash, fields=_hashed_fields(event))
    event.save(force_insert=True)  # INSERT: the triggers refuse only UPDATE and DELETE
    return event


def _leave_an_id_gap():
    """Use up the next event id, as a rolled-back write does on PostgreSQL (a sequence
    value is never given back). SQLite gives it back on rollback, so move its counter."""
    user = make_user()
    rolled_back = []
    with contextlib.suppress(RuntimeError), transaction.atomic():
        rolled_back.append(audit.record(user, "test.rolled_back", user))
        raise RuntimeError
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'audit_auditevent'")
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('audit_auditevent', %s)",
                [rolled_back[0].id],
            )
    assert not AuditEvent.objects.filter(id=rolled_back[0].id).exists()


def test_it_chains_each_event_to_the_one_before():
    events = _events()
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert verify_chain().ok
    call_command("audit", "verify")


def test_it_refuses_update_and_delete_at_the_database():
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_it_names_an_altered_event():
    events = _events()
    _without_triggers("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[1].id])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[1].id
    with pytest.raises(CommandError, match=f"#{events[1].id}"):
        call_command("audit", "verify")


def test_it_names_the_event_after_a_removed_one():
    events = _events()
    _without_triggers("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[2].id


def test_it_finds_a_removed_last_event():
    events = _events()
    _without_triggers("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].id])
    result = verify_chain()
    assert not result.ok and "removed" in result.problem


def test_it_finds_an_event_inserted_out_of_chain():
    events = _events()
    forged = AuditEvent(at=events[0].at, action="forged", prev_hash=events[-1].hash, hash="f" * 64)
    forged.save(force_insert=True)
    result = verify_chain()
    assert not result.ok and result.broken_event_id == forged.id


def test_events_written_at_a_london_summer_time_still_verify():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from vigil.core import clock

    user = make_user()
    with clock.replay(dt.datetime(2025, 7, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))):
        audit.record(user, "test.summer", user)
    assert verify_chain().ok


def test_events_appended_in_bulk_chain_on_from_the_head_and_verify():
    import datetime as dt

    from vigil.audit.services import append_many

    before = _events(2)
    copies = [
        AuditEvent(
            at=dt.datetime(2024, 7, 1, 12, n, tzinfo=dt.UTC),
            action="test.copy",
            target_type="people.person",
            target_id=f"id-{n}",
            changes={"n": n},
        )
        for n in range(3)
    ]
    assert append_many(copies) == 3
    stored = list(AuditEvent.objects.filter(action="test.copy").order_by("id"))
    assert [e.changes["n"] for e in stored] == [0, 1, 2]
    assert stored[0].prev_hash == before[-1].hash
    assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
    assert verify_chain().ok
    # Events recorded one by one afterwards chain on from the last bulk one.
    after = _events(1)[0]
    assert after.prev_hash == stored[-1].hash
    assert verify_chain().ok
    assert append_many([]) == 0


# --- a live system: events written while the check runs ---------------------------------


def test_an_event_written_while_it_runs_does_not_break_it(monkeypatch):
    events = _events(3)
    writer = make_user()
    original = QuerySet.iterator
    written = []

    def iterator(self, *args, **kwargs):
        """The events as a cursor sees them; another request writes one meanwhile."""
        rows = original(self, *args, **kwargs)
        if self.model is not AuditEvent or written:
            yield from rows
            return
        for row in list(rows):
            if not written:
                written.append(audit.record(writer, "test.meanwhile", writer))
            yield row

    monkeypatch.setattr(QuerySet, "iterator", iterator)
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == 3 and result.last_event_id == events[-1].id
    assert result.beyond == 1 and written[0].id > events[-1].id
    monkeypatch.undo()
    # The next run takes the new event in.
    again = verify_chain()
    assert again.ok and again.checked == 4 and again.beyond == 0
    assert again.last_event_id == written[0].id


# --- the chain head ---------------------------------------------------------------------


def test_the_chain_head_only_moves_forward_at_the_database():
    events = _events(3)
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_event_id, head.last_hash) == (events[-1].id, events[-1].hash)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(
            last_event_id=events[-2].id, last_hash=events[-2].hash
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(last_hash="0" * 64)  # not advanced
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).delete()
    head.refresh_from_db()
    assert (head.last_event_id, head.last_hash) == (events[-1].id, events[-1].hash)
    # Writing on moves it forward as before (in bulk too: see the append_many test).
    later = audit.record(make_user(), "test.after", None)
    assert AuditChainHead.objects.get(pk=1).last_event_id == later.id
    assert verify_chain().ok


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_chain_head_refuses_truncate_on_postgresql():
    _events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditchainhead")
    assert AuditChainHead.objects.filter(pk=1).exists()


def test_removing_the_last_event_cannot_be_hidden_by_moving_the_head_back():
    events = _events(3)
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for stmt in event_drop_statements(vendor):  # the event table's triggers lifted
            cursor.execute(stmt)
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].id])
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(
                "UPDATE audit_auditchainhead SET last_event_id = %s, last_hash = %s WHERE id = 1",
                [events[-2].id, events[-2].hash],
            )
        for stmt in event_create_statements(vendor):
            cursor.execute(stmt)
    assert AuditChainHead.objects.get(pk=1).last_event_id == events[-1].id
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[-1].id
    assert "removed" in result.problem


def test_a_missing_chain_head_is_a_break():
    _events(2)
    _without_triggers("DELETE FROM audit_auditchainhead")
    result = verify_chain()
    assert not result.ok and "the chain head is missing" in result.problem
    with pytest.raises(CommandError, match="the chain head is missing"):
        call_command("audit", "verify")


def test_an_empty_log_without_a_head_is_intact():
    _without_triggers("DELETE FROM audit_auditchainhead")
    assert verify_chain().ok


# --- events inserted out of chain -------------------------------------------------------


def test_it_names_a_hashed_event_added_at_the_end_without_moving_the_head():
    events = _events(3)
    forged = _forged(events[-1])
    assert AuditChainHead.objects.get(pk=1).last_event_id == events[-1].id
    result = verify_chain()
    assert not result.ok and result.broken_event_id == forged.id
    assert result.problem == (
        f"event #{forged.id} is not in the chain: the chain head names event "
        f"#{events[-1].id} as the last event"
    )


def test_it_names_a_hashed_event_inserted_into_an_id_gap():
    before = _events(2)
    _leave_an_id_gap()
    after = _events(2)
    gap = before[-1].id + 1
    assert after[0].id == gap + 1 and not AuditEvent.objects.filter(id=gap).exists()
    assert verify_chain().ok  # a gap alone is no break
    forged = _forged(before[-1], id=gap)  # chained to the event before the gap
    result = verify_chain()
    assert not result.ok and result.broken_event_id == forged.id
    assert result.problem == (
        f"event #{forged.id} is not in the chain: event #{after[0].id} is chained to event "
        f"#{before[-1].id}, so event #{forged.id} was inserted between them"
    )


def test_it_names_an_event_inserted_into_a_gap_with_a_made_up_predecessor():
    before = _events(2)
    _leave_an_id_gap()
    after = _events(1)
    forged = _forged(before[-1], id=before[-1].id + 1, prev_hash="e" * 64)
    result = verify_chain()
    assert not result.ok and result.broken_event_id == forged.id
    assert result.problem == (
        f"event #{forged.id} is not in the chain: event #{after[0].id} is chained to event "
        f"#{before[-1].id}, so event #{forged.id} was inserted between them"
    )


def test_it_names_an_event_inserted_before_the_first():
    _leave_an_id_gap()
    events = _events(2)
    first_id = events[0].id - 1
    forged = _forged(events[0], id=first_id, prev_hash="0" * 64)
    result = verify_chain()
    assert not result.ok and result.broken_event_id == forged.id
    assert result.problem == (
        f"event #{forged.id} is not in the chain: event #{events[0].id} is chained to the "
        f"start of the chain, so event #{forged.id} was inserted between them"
    )


@pytest.mark.django_db(transaction=True)
def test_the_test_harness_can_still_empty_the_audit_tables():
    """Browser tests empty the database between tests (conftest lifts the triggers)."""
    _events(2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists() and not AuditChainHead.objects.exists()
    _events(1)  # the head is written afresh
    assert verify_chain().ok
