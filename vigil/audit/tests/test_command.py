"""`vigil audit verify`: its output and exit code, as a monitoring system sees them."""

import os

import pytest
from django.db import connection, connections

from vigil import audit
from vigil.audit.models import AuditEvent
from vigil.audit.services import _hashed_fields, event_hash
from vigil.audit.triggers import create_statements, drop_statements
from vigil.config import cli
from vigil.core.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def verify(monkeypatch, capsys):
    """Run `vigil audit verify` as the console does: (exit code, stdout, stderr)."""
    # The command closes the database connections when it ends; the test's transaction
    # must outlive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    for key in ("VIGIL_MODE", "VIGIL_DEMO_LAUNCHED_BY"):  # the console may change these
        if key in os.environ:
            monkeypatch.setenv(key, os.environ[key])

    def run():
        code = 0
        try:
            cli.main(["audit", "verify"])
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _events(n=4):
    user = make_user()
    return [audit.record(user, "test.event", user, changes={"n": i}) for i in range(n)]


def _without_triggers(sql, params=()):
    with connection.cursor() as cursor:
        for stmt in drop_statements(connection.vendor):
            cursor.execute(stmt)
        cursor.execute(sql, params)
        for stmt in create_statements(connection.vendor):
            cursor.execute(stmt)


def test_an_intact_chain_exits_zero(verify):
    events = _events(3)
    code, out, err = verify()
    assert code == 0 and err == ""
    assert out == f"Audit chain intact: 3 events checked, up to event #{events[-1].id}.\n"


def test_an_altered_event_exits_non_zero_naming_it(verify):
    events = _events()
    _without_triggers("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[1].id])
    code, out, err = verify()
    assert code == 1 and out == ""
    assert err == (
        f"CommandError: Audit chain BROKEN at event #{events[1].id}: event #{events[1].id} "
        "was altered after it was written (2 events checked)\n"
    )


def test_a_removed_event_exits_non_zero_naming_the_one_after(verify):
    events = _events()
    _without_triggers("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    code, out, err = verify()
    assert code == 1 and out == ""
    assert err.startswith(
        f"CommandError: Audit chain BROKEN at event #{events[2].id}: event #{events[2].id} "
        f"does not follow event #{events[0].id}: the event it was chained to is missing"
    )


def test_a_removed_last_event_exits_non_zero(verify):
    events = _events()
    _without_triggers("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].id])
    code, _out, err = verify()
    assert code == 1
    assert f"BROKEN at event #{events[-1].id}" in err and "events at the end were removed" in err


def test_an_inserted_event_exits_non_zero_naming_it(verify):
    events = _events()
    forged = AuditEvent(at=events[-1].at, action="forged.entry", prev_hash=events[-1].hash)
    forged.hash = event_hash(prev_hash=forged.prev_hash, fields=_hashed_fields(forged))
    forged.save(force_insert=True)
    code, out, err = verify()
    assert code == 1 and out == ""
    assert err == (
        f"CommandError: Audit chain BROKEN at event #{forged.id}: event #{forged.id} is not in "
        f"the chain: the chain head names event #{events[-1].id} as the last event "
        "(4 events checked)\n"
    )


def test_a_missing_chain_head_exits_non_zero(verify):
    _events(2)
    _without_triggers("DELETE FROM audit_auditchainhead")
    code, _out, err = verify()
    assert code == 1 and "CommandError: Audit chain BROKEN: the chain head is missing" in err
