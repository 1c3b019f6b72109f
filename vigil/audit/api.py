"""Audit search for auditors, through the API.

(No `from __future__ import annotations` here: ninja reads the annotations at import.)
"""

import datetime as dt
import uuid

from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts.choices import Role
from vigil.audit import selectors
from vigil.core.api import require_role

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor_email: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    person_id: str
    request_id: str
    changes: dict
    reason: str
    hash: str


class AuditFilters(Schema):
    actor: str = ""
    person: uuid.UUID | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/events", response=list[AuditEventOut])
@paginate(PageNumberPagination, page_size=100)
def list_events(request, filters: Query[AuditFilters]):
    """Audit events, newest first (auditors only)."""
    require_role(request, Role.AUDITOR)
    return selectors.audit_event_search(
        user=request.user,
        actor_email=filters.actor,
        person_id=str(filters.person) if filters.person else "",
        action=filters.action,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
