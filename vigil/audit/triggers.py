"""Database triggers that make the audit log append-only.

Two tables: the events (`audit_auditevent`), which refuse UPDATE and DELETE (and TRUNCATE
on PostgreSQL), and the one-row chain head (`audit_auditchainhead`), which refuses DELETE
(and TRUNCATE) and accepts only an UPDATE that moves it forward (a larger last event id):
so the last events cannot be removed and the head moved back over the gap.

Kept as plain SQL so that the migrations installing them and the test harness (which has
to lift them to empty the test database between browser tests) use the same statements.
"""

TABLE = "audit_auditevent"
HEAD_TABLE = "audit_auditchainhead"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
]

# The chain head: `record` and `append_many` only ever move it to a later event, in an
# UPDATE of the one row (its first write is an INSERT, which the triggers leave alone).
HEAD_SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_head_forward_only BEFORE UPDATE ON {HEAD_TABLE} "
    "WHEN NEW.id IS NOT OLD.id OR NEW.last_event_id IS NULL "
    "OR NEW.last_event_id <= OLD.last_event_id "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON {HEAD_TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed: DELETE refused'); END",
]
HEAD_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
]

HEAD_POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF NEW.id = OLD.id AND NEW.last_event_id > OLD.last_event_id THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION USING MESSAGE =
            'the audit chain head only moves forward: ' || TG_OP || ' refused';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS audit_head_forward_only ON {HEAD_TABLE}",
    f"CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON {HEAD_TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()",
    f"DROP TRIGGER IF EXISTS audit_head_no_truncate ON {HEAD_TABLE}",
    f"CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON {HEAD_TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only()",
]
HEAD_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_head_forward_only ON {HEAD_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_head_no_truncate ON {HEAD_TABLE}",
]


def event_create_statements(vendor: str) -> list[str]:
    """The event table's triggers (migration 0002)."""
    return {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, [])


def event_drop_statements(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, [])


def head_create_statements(vendor: str) -> list[str]:
    """The chain head's triggers (migration 0003)."""
    return {"sqlite": HEAD_SQLITE_CREATE, "postgresql": HEAD_POSTGRES_CREATE}.get(vendor, [])


def head_drop_statements(vendor: str) -> list[str]:
    return {"sqlite": HEAD_SQLITE_DROP, "postgresql": HEAD_POSTGRES_DROP}.get(vendor, [])


def create_statements(vendor: str) -> list[str]:
    """Every audit trigger (what the test harness puts back after emptying the tables)."""
    return [*event_create_statements(vendor), *head_create_statements(vendor)]


def drop_statements(vendor: str) -> list[str]:
    """Every audit trigger, lifted (the test harness, to empty the tables)."""
    return [*event_drop_statements(vendor), *head_drop_statements(vendor)]
