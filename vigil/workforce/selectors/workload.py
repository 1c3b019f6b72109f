"""Weighted workload, computed in the database from the records Vigil already holds.

An officer's points at a moment are the sum of:

1. nominals they manage (not ended, recorded by then): a weight per risk level in active
   management, one weight in reactive management;
2. investigations allocated to them and open at the moment: a weight per priority (the
   referral's), plus a weight for the enforcement and post-arrest stages;
3. referrals in triage: referrals with a duty assigned to them, open at the moment;
4. any other duty assigned to them and open at the moment.

Their capacity is the manageable threshold of their role (policy) times their FTE, less
their protected time, all as in force at the moment. A team's demand is the same weights
over all the team's work, allocated or not; its capacity the sum of its people's.
Every figure is one query with subqueries, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Team
from vigil.core import clock
from vigil.core.policy_registry import policy_values
from vigil.duties.choices import RiskLevel
from vigil.workforce import policies
from vigil.workforce.choices import CASELOAD_ROLES
from vigil.workforce.models import StaffHours, StaffRecord
from vigil.workforce.selectors.staff import (
    WORKFORCE_TEAM_KINDS,
    establishment_at,
    hours_at,
    in_post_q,
)

REFERRAL_SUBJECT = "referrals.referral"
TRIAGE_STATUSES = ("awaiting_assessment", "awaiting_grading", "awaiting_sign_off")
ENFORCEMENT_STAGES = ("enforcement", "post_arrest")
OPEN_INVESTIGATION_STATES = (
    "research",
    "awaiting_enforcement",
    "enforcement",
    "post_arrest",
    "on_bail",
    "rui",
)


def weights_at(moment: dt.datetime) -> dict:
    keys = [
        *policies.NOMINAL_WEIGHT.values(),
        policies.NOMINAL_REACTIVE,
        *policies.INVESTIGATION_WEIGHT.values(),
        policies.INVESTIGATION_ENFORCEMENT,
        policies.REFERRAL_TRIAGE,
        policies.OPEN_DUTY,
        *policies.THRESHOLD.values(),
    ]
    return policy_values(keys, at=moment)


def _sum(qs: QuerySet, group: str, expression) -> Coalesce:
    """Sum of `expression` over `qs` (already filtered to one outer row), as a subquery."""
    sub = qs.order_by().values(group).annotate(total=Sum(expression)).values("total")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _count(qs: QuerySet, group: str, field: str = "pk") -> Coalesce:
    sub = qs.order_by().values(group).annotate(n=Count(field, distinct=True)).values("n")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _nominal_points(w: dict):
    whens = [When(management_mode="reactive", then=Value(w[policies.NOMINAL_REACTIVE]))]
    whens += [
        When(risk_level=level, then=Value(w[key])) for level, key in policies.NOMINAL_WEIGHT.items()
    ]
    return Case(*whens, default=Value(w[policies.NOMINAL_WEIGHT[""]]), output_field=IntegerField())


def _investigation_points(w: dict):
    base = Case(
        *[
            When(referral__priority=level, then=Value(w[key]))
            for level, key in policies.INVESTIGATION_WEIGHT.items()
            if level
        ],
        default=Value(w[policies.INVESTIGATION_WEIGHT[""]]),
        output_field=IntegerField(),
    )
    extra = Case(
        When(state__in=ENFORCEMENT_STAGES, then=Value(w[policies.INVESTIGATION_ENFORCEMENT])),
        default=Value(0),
        output_field=IntegerField(),
    )
    return base + extra


def _nominals(moment):
    from vigil.offenders.models import Nominal

    return Nominal.objects.filter(created_at__lte=moment).exclude(status="ended")


def _investigations(moment):
    from vigil.investigations.models import Investigation

    return Investigation.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gt=moment),
        created_at__lte=moment,
        opened_at__lte=moment,
        state__in=OPEN_INVESTIGATION_STATES,
    )


def _open_duties(moment):
    from vigil.duties.models import Duty

    return Duty.objects.filter(
        Q(completed_at__isnull=True) | Q(completed_at__gt=moment), created_at__lte=moment
    )


def _threshold(w: dict, role_field: str = "role"):
    return Case(
        *[
            When(**{role_field: role}, then=Value(w[key]))
            for role, key in policies.THRESHOLD.items()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )


def _capacity(threshold, fte, protected):
    return ExpressionWrapper(
        Cast(threshold, FloatField())
        * Cast(fte, FloatField())
        * (Value(100.0) - Cast(protected, FloatField()))
        / Value(100.0),
        output_field=FloatField(),
    )


def annotate_workload(qs: QuerySet, moment: dt.datetime, w: dict | None = None) -> QuerySet:
    """Staff records with `nominal_count`, `investigation_count`, `referral_count`,
    `duty_count`, each kind's points, `points`, `fte_now`, `protected_now`, `capacity`
    and `load_percent` (points as a % of capacity; null with no capacity)."""
    w = w or weights_at(moment)
    user = OuterRef("user")
    nominals = _nominals(moment).filter(offender_manager=user)
    investigations = _investigations(moment).filter(allocated_officer=user)
    duties = _open_duties(moment).filter(assignee=user)
    referral_duties = duties.filter(subject_type=REFERRAL_SUBJECT)
    other_duties = duties.exclude(subject_type=REFERRAL_SUBJECT)
    qs = qs.annotate(
        fte_now=hours_at(moment, "fte"),
        protected_now=Coalesce(hours_at(moment, "protected_percent"), Value(0)),
        nominal_count=_count(nominals, "offender_manager"),
        nominal_points=_sum(nominals, "offender_manager", _nominal_points(w)),
        investigation_count=_count(investigations, "allocated_officer"),
        investigation_points=_sum(investigations, "allocated_officer", _investigation_points(w)),
        referral_count=_count(referral_duties, "assignee", "subject_id"),
        duty_count=_count(other_duties, "assignee"),
    )
    qs = qs.annotate(
        referral_points=F("referral_count") * Value(w[policies.REFERRAL_TRIAGE]),
        duty_points=F("duty_count") * Value(w[policies.OPEN_DUTY]),
    )
    qs = qs.annotate(
        points=F("nominal_points")
        + F("investigation_points")
        + F("referral_points")
        + F("duty_points"),
        capacity=_capacity(_threshold(w), Coalesce(F("fte_now"), Value(0)), F("protected_now")),
    )
    return qs.annotate(
        load_percent=Case(
            When(
                capacity__gt=0, then=Cast(F("points"), FloatField()) * Value(100.0) / F("capacity")
            ),
            default=None,
            output_field=FloatField(),
        )
    )


def within_threshold_q() -> Q:
    """On `annotate_workload` rows: the officer's points are within their capacity."""
    return Q(points__lte=F("capacity"))


def caseload_staff(*, moment: dt.datetime) -> QuerySet:
    """Staff records in post at `moment` in a caseload role of a POLIT or MOSOVO team."""
    return StaffRecord.objects.filter(
        in_post_q(moment), role__in=CASELOAD_ROLES, team__kind__in=WORKFORCE_TEAM_KINDS
    )


def team_workload(*, teams, moment: dt.datetime | None = None, order: str = "user__full_name"):
    """The workload table of `teams`: everyone in post, with their workload annotations.
    One query, whatever the number of people."""
    moment = moment or clock.now()
    qs = StaffRecord.objects.filter(in_post_q(moment), team__in=teams).select_related(
        "user", "team"
    )
    return annotate_workload(qs, moment).order_by(order, "pk")


def _current_hours(moment: dt.datetime) -> QuerySet:
    later = StaffHours.objects.filter(
        staff=OuterRef("staff"), effective_from__lte=moment, created_at__lte=moment
    ).filter(
        Q(effective_from__gt=OuterRef("effective_from"))
        | Q(effective_from=OuterRef("effective_from"), id__gt=OuterRef("id"))
    )
    return StaffHours.objects.filter(
        in_post_q(moment, "staff__"), effective_from__lte=moment, created_at__lte=moment
    ).exclude(Exists(later))


def annotate_demand(qs: QuerySet, moment: dt.datetime, w: dict | None = None) -> QuerySet:
    """Teams with `demand` (points of all the team's work), `capacity` (sum of its people's
    capacity), `strength` (FTE in post), `posts` (establishment in force) and `ratio`."""
    from vigil.referrals.models import Referral

    w = w or weights_at(moment)
    team = OuterRef("pk")
    nominals = _nominals(moment).filter(team=team)
    investigations = _investigations(moment).filter(owning_team=team)
    referrals = Referral.objects.filter(
        team=team, created_at__lte=moment, status__in=TRIAGE_STATUSES
    )
    duties = _open_duties(moment).filter(team=team).exclude(subject_type=REFERRAL_SUBJECT)
    hours = _current_hours(moment).filter(staff__team=team)
    capacity_sub = (
        hours.order_by()
        .values("staff__team")
        .annotate(c=Sum(_capacity(_threshold(w, "staff__role"), F("fte"), F("protected_percent"))))
        .values("c")[:1]
    )
    strength_sub = hours.order_by().values("staff__team").annotate(s=Sum("fte")).values("s")[:1]
    qs = qs.annotate(
        demand=_sum(nominals, "team", _nominal_points(w))
        + _sum(investigations, "owning_team", _investigation_points(w))
        + _count(referrals, "team") * Value(w[policies.REFERRAL_TRIAGE])
        + _count(duties, "team") * Value(w[policies.OPEN_DUTY]),
        capacity=Coalesce(Subquery(capacity_sub, output_field=FloatField()), Value(0.0)),
        strength=Coalesce(Subquery(strength_sub, output_field=FloatField()), Value(0.0)),
        posts=establishment_at(moment),
    )
    return qs.annotate(
        ratio=Case(
            When(capacity__gt=0, then=Cast(F("demand"), FloatField()) / F("capacity")),
            default=None,
            output_field=FloatField(),
        ),
        vacancies=Case(
            When(posts__isnull=False, then=Cast(F("posts"), FloatField()) - F("strength")),
            default=None,
            output_field=FloatField(),
        ),
    )


def demand_within_capacity_q() -> Q:
    return Q(demand__lte=F("capacity"))


def team_demand(*, teams, moment: dt.datetime | None = None) -> QuerySet:
    """Demand vs capacity, establishment and strength of `teams`: one query."""
    moment = moment or clock.now()
    return annotate_demand(Team.objects.filter(pk__in=teams.values("pk")), moment).order_by(
        "name", "pk"
    )


def officer_breakdown(staff: StaffRecord, *, moment: dt.datetime | None = None) -> dict:
    """One officer's workload by kind and level: rows of (kind, level, count, weight,
    points), their total and capacity. Four grouped queries plus the total's one."""
    moment = moment or clock.now()
    w = weights_at(moment)
    user = staff.user
    rows = []
    nominals = (
        _nominals(moment)
        .filter(offender_manager=user)
        .values("management_mode", "risk_level")
        .annotate(n=Count("pk"))
        .order_by("management_mode", "risk_level")
    )
    for r in nominals:
        if r["management_mode"] == "reactive":
            weight = w[policies.NOMINAL_REACTIVE]
        else:
            weight = w[policies.NOMINAL_WEIGHT.get(r["risk_level"], policies.NOMINAL_WEIGHT[""])]
        rows.append(("nominal", r["management_mode"], r["risk_level"], r["n"], weight))
    investigations = (
        _investigations(moment)
        .filter(allocated_officer=user)
        .annotate(enforcement=Q(state__in=ENFORCEMENT_STAGES))
        .values("referral__priority", "enforcement")
        .annotate(n=Count("pk"))
        .order_by("referral__priority", "enforcement")
    )
    for r in investigations:
        priority = r["referral__priority"] or ""
        weight = w[policies.INVESTIGATION_WEIGHT.get(priority, policies.INVESTIGATION_WEIGHT[""])]
        if r["enforcement"]:
            weight += w[policies.INVESTIGATION_ENFORCEMENT]
        rows.append(
            ("investigation", "enforcement" if r["enforcement"] else "", priority, r["n"], weight)
        )
    duties = _open_duties(moment).filter(assignee=user)
    referral_n = (
        duties.filter(subject_type=REFERRAL_SUBJECT).values("subject_id").distinct().count()
    )
    if referral_n:
        rows.append(("referral", "", "", referral_n, w[policies.REFERRAL_TRIAGE]))
    duty_n = duties.exclude(subject_type=REFERRAL_SUBJECT).count()
    if duty_n:
        rows.append(("duty", "", "", duty_n, w[policies.OPEN_DUTY]))
    total = annotate_workload(StaffRecord.objects.filter(pk=staff.pk), moment, w).get()
    labels = dict(RiskLevel.choices)
    not_set = _("not set")
    return {
        "rows": [
            {
                "kind": k,
                "mode": m,
                "level": lv,
                "level_label": labels.get(lv, not_set),
                "count": n,
                "weight": wt,
                "points": n * wt,
            }
            for k, m, lv, n, wt in rows
        ],
        "record": total,
    }
