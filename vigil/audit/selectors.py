"""Reads of the audit log (auditors; supervisors for "who has viewed this person")."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max

from vigil.audit.models import AuditEvent
from vigil.core.calendar import start_of_day


def audit_event_search(
    *,
    actor_email: str = "",
    person_id: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    """Events matching every filter given, newest first (a queryset: page it)."""
    qs = AuditEvent.objects.all()
    if actor_email:
        qs = qs.filter(actor_email__icontains=actor_email.strip().lower())
    if person_id:
        qs = qs.filter(person_id=person_id.strip())
    if action:
        qs = qs.filter(action__startswith=action.strip())
    if date_from:
        qs = qs.filter(at__gte=start_of_day(date_from))
    if date_to:
        qs = qs.filter(at__lt=start_of_day(date_to + dt.timedelta(days=1)))
    return qs.order_by("-id")


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def person_viewers(*, person) -> list[dict]:
    """Who has viewed this person's record: each user once, with how often and when last."""
    return list(
        AuditEvent.objects.filter(
            person_id=str(person.uuid), action__in=["person.view", "person.view_denied"]
        )
        .values("actor_email", "action")
        .annotate(count=Count("id"), last=Max("at"))
        .order_by("-last")
    )
