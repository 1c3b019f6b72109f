"""Abstractions as a supervisor or manager may see them, repeat flags and their impact."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.core import clock
from vigil.core.exceptions import NotFound
from vigil.core.policy_registry import policy_values
from vigil.workforce import policies
from vigil.workforce.models import Abstraction
from vigil.workforce.selectors.staff import REVIEW_ROLES, VIEW_ROLES, workforce_teams


def repeat_settings(moment: dt.datetime) -> tuple[int, int]:
    """(limit, window in days) in force at `moment`."""
    values = policy_values([policies.REPEAT_LIMIT, policies.REPEAT_WINDOW_DAYS], at=moment)
    return int(values[policies.REPEAT_LIMIT]), int(values[policies.REPEAT_WINDOW_DAYS])


def recent_abstractions(moment: dt.datetime, window_days: int, outer: str = "pk"):
    """How many abstractions of the staff record OuterRef(`outer`) began in the
    `window_days` days to `moment` (recorded by then)."""
    day = timezone.localdate(moment)
    rows = Abstraction.objects.filter(
        staff=OuterRef(outer),
        created_at__lte=moment,
        starts_on__gt=day - dt.timedelta(days=window_days),
        starts_on__lte=day,
    )
    sub = rows.order_by().values("staff").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def overdue_during(moment: dt.datetime, outer_user: str = "staff__user") -> Exists:
    """A duty assigned to the abstracted officer fell due during the abstraction and was
    not done by its due time (as known at `moment`)."""
    from vigil.duties.models import Duty

    return Exists(
        Duty.objects.filter(
            Q(completed_at__isnull=True) | Q(completed_at__gt=F("due_at")),
            assignee=OuterRef(outer_user),
            created_at__lte=moment,
            due_at__gte=OuterRef("period_start"),
            due_at__lte=OuterRef("period_end"),
        ).filter(due_at__lte=moment)
    )


def overdue_count(moment: dt.datetime):
    from vigil.duties.models import Duty

    rows = Duty.objects.filter(
        Q(completed_at__isnull=True) | Q(completed_at__gt=F("due_at")),
        assignee=OuterRef("staff__user"),
        created_at__lte=moment,
        due_at__gte=OuterRef("period_start"),
        due_at__lte=OuterRef("period_end"),
    ).filter(due_at__lte=moment)
    sub = rows.order_by().values("assignee").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def abstraction_list(*, user, teams=None, unreviewed: bool = False) -> QuerySet:
    """Abstractions of the teams `user` sees (limited to `teams`), newest first, each with
    `overdue_duties`: the duties that fell overdue while the officer was away."""
    visible = workforce_teams(user=user, roles=VIEW_ROLES)
    qs = Abstraction.objects.filter(team__in=visible)
    if teams is not None:
        qs = qs.filter(team__in=teams)
    if unreviewed:
        qs = qs.filter(reviewed_at__isnull=True)
    return (
        qs.select_related("staff__user", "team", "authorised_by", "reviewed_by")
        .annotate(overdue_duties=overdue_count(clock.now()))
        .order_by("-starts_on", "-id")
    )


def get_abstraction_for_user(user, abstraction_uuid, *, roles=VIEW_ROLES) -> Abstraction:
    row = (
        Abstraction.objects.filter(
            uuid=abstraction_uuid, team__in=workforce_teams(user=user, roles=roles)
        )
        .select_related("staff__user", "team", "authorised_by", "reviewed_by", "created_by")
        .annotate(overdue_duties=overdue_count(clock.now()))
        .first()
    )
    if row is None:
        raise NotFound(_("Not found."))
    return row


def impact_duties(abstraction: Abstraction) -> list[dict]:
    """The duties of the officer that fell due during `abstraction` and were not done in
    time: kind, due and completed (no nominal's details). One query."""
    from vigil.duties.models import Duty
    from vigil.duties.registry import kind_label

    now = clock.now()
    rows = (
        Duty.objects.filter(
            Q(completed_at__isnull=True) | Q(completed_at__gt=F("due_at")),
            assignee=abstraction.staff.user_id,
            due_at__gte=abstraction.period_start,
            due_at__lte=abstraction.period_end,
        )
        .filter(due_at__lte=now)
        .values("uuid", "kind", "due_at", "completed_at")
        .order_by("due_at", "pk")
    )
    return [{**r, "kind_label": kind_label(r["kind"])} for r in rows]


def can_review(user, abstraction: Abstraction) -> bool:
    return workforce_teams(user=user, roles=REVIEW_ROLES).filter(pk=abstraction.team_id).exists()


def open_repeat_flag(staff):
    """The open repeat-abstraction duty of a staff record (the flag its manager reviews),
    or None."""
    from vigil.duties.models import Duty
    from vigil.workforce.duty_kinds import REPEAT_ABSTRACTION

    return Duty.objects.filter(
        kind=REPEAT_ABSTRACTION,
        subject_type="workforce.staffrecord",
        subject_id=staff.uuid,
        completed_at__isnull=True,
    ).first()
