"""Append-only, hash-chained audit log. `audit.record(...)` is the one way to write to it."""


def record(actor, action, target=None, *, changes=None, reason="", person=None):
    from vigil.audit.services import record as _record

    return _record(actor, action, target, changes=changes, reason=reason, person=person)
