import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from vigil import audit
from vigil.audit.models import AuditEvent
from vigil.audit.services import verify_chain
from vigil.audit.triggers import create_statements, drop_statements
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
