"""Reads of the audit log (auditors; supervisors for "who has viewed this person")."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q

from vigil.audit.actions import DENIED_VIEW_ACTIONS, VIEW_ACTIONS
from vigil.audit.models import AuditEvent
from vigil.core.calendar import start_of_day


def events_in_reach(user):
    """The events an auditor reads: every event for the system administrator; otherwise
    those done by users of the auditor's own forces (the forces of their memberships),
    and, where the installation holds one force only, those done by Vigil itself (the
    sweep, the generator). Where forces share an installation a force's auditor does not
    read another force's events: an event by nobody cannot be told apart by force, so
    only the system administrator reads those there."""
    from vigil.accounts import access
    from vigil.accounts.models import Force, Membership

    if access.is_system_admin(user):
        return AuditEvent.objects.all()
    force_ids = {m.team.force_id for m in access.memberships(user)}
    # The system administrator works across forces: their events are not any one force's.
    actors = Membership.objects.filter(
        team__force_id__in=force_ids, user__is_superuser=False
    ).values("user_id")
    q = Q(actor_id__in=actors)
    if force_ids and Force.objects.count() == 1:
        q |= Q(actor_id__isnull=True)
    return AuditEvent.objects.filter(q)


def audit_event_search(
    *,
    user,
    actor_email: str = "",
    person_id: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    """The events `user` reads (`events_in_reach`) matching every filter given, newest
    first (a queryset: page it)."""
    qs = events_in_reach(user)
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
    """Every action in the log, once each (for the search page's choice of action)."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_event(event_id: int, *, user) -> AuditEvent | None:
    """One event `user` reads, for the auditor's event page."""
    return events_in_reach(user).filter(pk=event_id).first()


def person_viewers(*, person) -> list[dict]:
    """Who has viewed this person's record, or a record about them (a nominal, an
    investigation, a referral, an assessment...: every action in `VIEW_ACTIONS`), in one
    query: each user and action once, with how often, when last and what it was in words
    (`label`; `refused` for a refused view of a restricted record), latest first."""
    rows = list(
        AuditEvent.objects.filter(person_id=str(person.uuid), action__in=list(VIEW_ACTIONS))
        .values("actor_email", "action")
        .annotate(count=Count("id"), last=Max("at"))
        .order_by("-last", "actor_email", "action")
    )
    for row in rows:
        row["label"] = VIEW_ACTIONS[row["action"]]
        row["refused"] = row["action"] in DENIED_VIEW_ACTIONS
    return rows
