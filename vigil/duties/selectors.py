"""Reads of the duty ledger, scoped to the user asking.

Overdue is a query: a duty is open while `completed_at` is empty, and its days overdue
are whole Europe/London calendar days since its due date (a duty due today is not yet in
the "overdue by days" bands). Every list here is one query for its rows whatever their
number.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES, Scope
from vigil.accounts.models import Force, Team, User
from vigil.core import clock
from vigil.core.calendar import start_of_day
from vigil.duties.choices import RISK_ORDER, DutyRisk, OverdueBand, RiskLevel
from vigil.duties.models import Duty, Notification

# The matrix's rows: the risk levels, then the work whose person's risk is not yet
# assessed (its own row, never counted as low).
RISKS = [RiskLevel.VERY_HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW, DutyRisk.UNASSESSED]
BANDS = [
    OverdueBand.NOT_DUE,
    OverdueBand.D1_30,
    OverdueBand.D31_90,
    OverdueBand.D91_180,
    OverdueBand.OVER_180,
]
# Band edges in whole days overdue: (first day, last day); None is open-ended.
BAND_DAYS: dict[str, tuple[int | None, int | None]] = {
    OverdueBand.NOT_DUE: (None, 0),
    OverdueBand.D1_30: (1, 30),
    OverdueBand.D31_90: (31, 90),
    OverdueBand.D91_180: (91, 180),
    OverdueBand.OVER_180: (181, None),
}
ALL = "all"


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def days_overdue(due_at: dt.datetime, *, now: dt.datetime | None = None) -> int:
    """Whole days from the due date to today (Europe/London); 0 when due today, negative
    when due later."""
    today = timezone.localdate(now or clock.now())
    return (today - timezone.localdate(due_at)).days


def band_q(band: str, *, now: dt.datetime | None = None) -> Q:
    """Open duties in an overdue band, as due_at comparisons (so the partial index serves).

    n days overdue or more  <=>  due date <= today - n  <=>  due_at < start of (today - n + 1);
    n days overdue or fewer <=>  due date >= today - n  <=>  due_at >= start of (today - n).
    """
    today = timezone.localdate(now or clock.now())
    first, last = BAND_DAYS[band]
    q = Q()
    if first is not None:
        q &= Q(due_at__lt=start_of_day(today - dt.timedelta(days=first - 1)))
    if last is not None:
        q &= Q(due_at__gte=start_of_day(today - dt.timedelta(days=last)))
    return q


def _risk_rank():
    return Case(
        *[When(risk_level=level, then=Value(rank)) for level, rank in RISK_ORDER.items()],
        default=Value(len(RISK_ORDER)),
        output_field=IntegerField(),
    )


def _person_visible(user):
    """True when the duty's person may be named to `user`: no person, an unrestricted
    person, or a restricted person the user is named on (need to know)."""
    from vigil.people.models import Person

    named = Person.restricted_to.through.objects.filter(
        person_id=OuterRef("person_id"), user_id=user.pk
    )
    return Case(
        When(person__isnull=True, then=Value(True)),
        When(person__is_restricted=False, then=Value(True)),
        When(Exists(named), then=Value(True)),
        default=Value(False),
    )


# Sort keys a list page may ask for, and what they order by.
SORTS: dict[str, list[str]] = {
    "due": ["due_day", "risk_rank", "due_at", "pk"],
    "risk": ["risk_rank", "due_day", "due_at", "pk"],
    "kind": ["kind", "due_day", "risk_rank", "pk"],
    "team": ["team__name", "due_day", "risk_rank", "pk"],
    "assignee": ["assignee__full_name", "due_day", "risk_rank", "pk"],
}


def _ordered(qs: QuerySet, sort: str) -> QuerySet:
    fields = SORTS.get(sort.lstrip("-"), SORTS["due"])
    if sort.startswith("-"):
        fields = ["-" + fields[0], *fields[1:]]
    return qs.order_by(*fields)


def _annotated(qs: QuerySet, user) -> QuerySet:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return qs.select_related("team", "assignee", "person").annotate(
        due_day=TruncDate("due_at", tzinfo=tz),
        risk_rank=_risk_rank(),
        person_visible=_person_visible(user),
    )


def my_work(*, user, sort: str = "due") -> QuerySet:
    """The user's own open duties: most overdue first, then highest risk."""
    qs = Duty.objects.filter(assignee_id=user.pk, completed_at__isnull=True)
    return _ordered(_annotated(qs, user), sort)


def supervised_duties(*, user) -> QuerySet:
    """Open duties of the teams the user reaches as a supervisor or manager."""
    return Duty.objects.filter(access.teams_q(user, SUPERVISORY_ROLES), completed_at__isnull=True)


def _filtered(qs: QuerySet, *, force=None, team=None, assignee=None, kinds=None) -> QuerySet:
    """Narrow open duties by force, team, officer (a User or "unassigned") and kinds of
    duty (a list of kind codes; None or empty for every kind)."""
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    if force is not None:
        qs = qs.filter(team__force_id=force.pk)
    if team is not None:
        qs = qs.filter(team_id=team.pk)
    if assignee == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif assignee is not None:
        qs = qs.filter(assignee_id=assignee.pk)
    return qs


def team_work(
    *, user, force=None, team=None, assignee=None, kinds=None, sort: str = "due"
) -> QuerySet:
    """Open duties of the teams the user supervises, filtered by force, team, officer
    (`assignee` may be a User or "unassigned") and kinds of duty."""
    qs = _filtered(
        supervised_duties(user=user), force=force, team=team, assignee=assignee, kinds=kinds
    )
    return _ordered(_annotated(qs, user), sort)


def get_duty_for_supervisor(*, user, duty_id) -> Duty | None:
    """An open duty of a team the user supervises, or None (missing and out of reach alike)."""
    return (
        _annotated(supervised_duties(user=user), user).filter(uuid=duty_id).first()
        if duty_id
        else None
    )


def supervised_teams(*, user) -> QuerySet:
    """Teams the user reaches as a supervisor or manager (for filters)."""
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    return Team.objects.filter(Q(pk__in=team_ids) | Q(force_id__in=force_ids)).select_related(
        "force"
    )


def supervised_forces(*, user) -> QuerySet:
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    return Force.objects.filter(Q(pk__in=force_ids) | Q(teams__pk__in=team_ids)).distinct()


def supervised_officers(*, user) -> QuerySet:
    """Active casework users with a membership in a team the user supervises."""
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    # One filter() call, so that role and team are conditions on the same membership.
    reach = Q(memberships__team_id__in=team_ids) | Q(memberships__team__force_id__in=force_ids)
    return (
        User.objects.filter(Q(is_active=True, memberships__role__in=CASEWORK_ROLES) & reach)
        .distinct()
        .order_by("full_name", "pk")
    )


def assignable_officers(*, team) -> QuerySet:
    """Active casework users who reach `team`: a membership in it, or force-wide in its force."""
    reach = Q(memberships__team_id=team.pk) | Q(
        memberships__scope=Scope.FORCE, memberships__team__force_id=team.force_id
    )
    return (
        User.objects.filter(Q(is_active=True, memberships__role__in=CASEWORK_ROLES) & reach)
        .distinct()
        .order_by("full_name", "pk")
    )


@dataclass
class Matrix:
    """Open duties counted by risk level (rows) and overdue band (columns)."""

    rows: list[dict]
    column_totals: list[dict]
    total: int


def outstanding_work_matrix(
    *,
    user,
    force=None,
    team=None,
    assignee=None,
    kinds=None,
    now: dt.datetime | None = None,
) -> Matrix:
    """Open duties the user supervises, counted by risk level and overdue band, in one
    query (conditional aggregation), with row, column and grand totals. `kinds` (a list
    of duty kind codes) counts only those kinds: ARMS, plan reviews and visits
    separately or together, say; None or empty counts every kind."""
    now = now or clock.now()
    qs = _filtered(
        supervised_duties(user=user), force=force, team=team, assignee=assignee, kinds=kinds
    )
    aggregates = {
        f"{risk}__{band}": Count("pk", filter=Q(risk_level=risk) & band_q(band, now=now))
        for risk in RISKS
        for band in BANDS
    }
    counts = qs.aggregate(**aggregates)
    rows = []
    for risk in RISKS:
        cells = [{"band": band, "count": counts[f"{risk}__{band}"]} for band in BANDS]
        rows.append(
            {
                "risk": risk,
                "label": risk.label,
                "cells": cells,
                "total": sum(c["count"] for c in cells),
            }
        )
    column_totals = [
        {
            "band": band,
            "label": band.label,
            "count": sum(counts[f"{risk}__{band}"] for risk in RISKS),
        }
        for band in BANDS
    ]
    return Matrix(
        rows=rows, column_totals=column_totals, total=sum(c["count"] for c in column_totals)
    )


def duties_in_cell(
    *,
    user,
    risk: str,
    band: str,
    force=None,
    team=None,
    assignee=None,
    kinds=None,
    now: dt.datetime | None = None,
    sort: str = "due",
) -> QuerySet:
    """The duties counted in one cell of the matrix (`risk` or `band` may be "all"), with
    the same filters as the matrix."""
    qs = _filtered(
        supervised_duties(user=user), force=force, team=team, assignee=assignee, kinds=kinds
    )
    if risk != ALL:
        qs = qs.filter(risk_level=risk)
    if band != ALL:
        qs = qs.filter(band_q(band, now=now))
    return _ordered(_annotated(qs, user), sort)


def notifications_for(*, user) -> QuerySet:
    """The user's notifications, newest first, with their duties and the duties' teams."""
    return (
        Notification.objects.filter(user_id=user.pk)
        .select_related("duty__team")
        .order_by("-created_at", "-pk")
    )


def get_notification_for_user(*, user, notification_id) -> Notification | None:
    return Notification.objects.filter(user_id=user.pk, uuid=notification_id).first()


def open_duty_for(*, kind: str, subject) -> Duty | None:
    """The open duty of `kind` about `subject` (there is at most one), or None."""
    return Duty.objects.filter(
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=subject.uuid,
        completed_at__isnull=True,
    ).first()
