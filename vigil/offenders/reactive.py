"""The conditions of reactive management (point P), evaluated set-based for any date.

A nominal may be managed reactively only while every condition holds:

- in_community: the nominal is active in the community (the status in force at the
  date, from the nominal's effective-dated history; the current status when no date is
  given);
- risk_low: the current risk level is low (the latest approved ARMS assessment, by
  completion, approved by the date);
- low_years: the risk level has been low for at least `offenders.reactive_low_years`
  years (default 3): an approved low ARMS completed on or before the date that many
  years back, and no ARMS since (approved, or awaiting review and not returned) that is
  not low;
- no_breach: no breach (of an order or of the notification requirements) occurring in
  that period. New offending is recorded as a breach: Vigil keeps no separate record of
  convictions, so a new offence counts here;
- no_intelligence: no intelligence of concern received in that period. An entry is of
  concern while it is not yet reviewed, or when the review said it calls for a fresh
  ARMS assessment; reviewed entries that call for nothing are not of concern;
- approved (nominals already reactive): the move to reactive management was approved by
  at least the policy rank (`offenders.reactive_approval_rank_level`, in force when it
  was approved) with a rationale;
- reviewed (nominals already reactive): the eligibility review is not overdue.

Everything is read as it stood at `as_of`: records created after it, approvals and
reviews made after it, are left out. Seven queries whatever the number of nominals (five
of records, two of policies).

`all_met_q` decides the same "every condition met" in SQL, so that a long list can be
ordered, filtered and paged in the database and `evaluate` asked only about the rows of
one page (the tests hold the two to the same answer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.accounts.choices import RANK_LEVEL
from vigil.core import clock
from vigil.core.calendar import end_of_day, start_of_day
from vigil.core.policy_registry import get_policy, policy_values
from vigil.duties.choices import RiskLevel
from vigil.offenders.choices import (
    ManagementMode,
    ModeDecisionKind,
    ModeDecisionStatus,
    NominalStatus,
    ReviewOutcome,
)
from vigil.offenders.notification_period import add_months

CONDITIONS = [
    "in_community",
    "risk_low",
    "low_years",
    "no_breach",
    "no_intelligence",
    "approved",
    "reviewed",
]
ENTRY_CONDITIONS = CONDITIONS[:5]
MODE_CHANGES = [ModeDecisionKind.TO_REACTIVE, ModeDecisionKind.TO_ACTIVE]
RENEWALS = [ModeDecisionKind.TO_REACTIVE, ModeDecisionKind.REVIEW]
LOW_YEARS = "offenders.reactive_low_years"
APPROVAL_RANK = "offenders.reactive_approval_rank_level"


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    met: bool
    reason: str


@dataclass
class Assessment:
    """The conditions of one nominal at a date."""

    nominal_id: int
    conditions: list[Condition] = field(default_factory=list)

    @property
    def all_met(self) -> bool:
        return all(c.met for c in self.conditions)

    @property
    def unmet(self) -> list[Condition]:
        return [c for c in self.conditions if not c.met]


def _moment_and_day(as_of) -> tuple[dt.datetime, dt.date]:
    if as_of is None:
        now = clock.now()
        return now, timezone.localdate(now)
    if isinstance(as_of, dt.datetime):
        return as_of, timezone.localdate(as_of)
    return end_of_day(as_of), as_of


def _d(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _level(level: str) -> str:
    return str(RiskLevel(level).label).lower()


def _rank_label(level: int) -> str:
    from vigil.accounts.choices import Rank

    ranks = [r for r, lv in RANK_LEVEL.items() if lv == level and not r.startswith("staff")]
    rank = (ranks or [r for r, lv in RANK_LEVEL.items() if lv == level])[0]
    return str(Rank(rank).label).lower()


def labels(years: int, rank_level: int) -> dict[str, str]:
    return {
        "in_community": _("Active in the community"),
        "risk_low": _("Current risk level is low"),
        "low_years": ngettext(
            "Risk level low for at least %(years)s year",
            "Risk level low for at least %(years)s years",
            years,
        )
        % {"years": years},
        "no_breach": _("No breach or new offending in that time"),
        "no_intelligence": _("No intelligence of concern in that time"),
        "approved": _("Approved at %(rank)s rank or above, with a rationale")
        % {"rank": _rank_label(rank_level)},
        "reviewed": _("Eligibility review not overdue"),
    }


def reactive_at(as_of=None) -> Q:
    """A Q on Nominal: reactively managed at `as_of` (the latest approved change of mode
    made by then was to reactive management). The current mode when `as_of` is None."""
    if as_of is None:
        return Q(management_mode=ManagementMode.REACTIVE)
    from vigil.offenders.models import ModeDecision

    moment, _day = _moment_and_day(as_of)
    latest = (
        ModeDecision.objects.filter(
            nominal_id=OuterRef("pk"),
            status=ModeDecisionStatus.APPROVED,
            kind__in=MODE_CHANGES,
            decided_at__lte=moment,
        )
        .order_by("-decided_at", "-pk")
        .values("kind")[:1]
    )
    return Q(pk__in=_with_latest(latest))


def _with_latest(latest):
    from vigil.offenders.models import Nominal

    return (
        Nominal.objects.annotate(_mode=Subquery(latest))
        .filter(_mode=ModeDecisionKind.TO_REACTIVE)
        .values("pk")
    )


def evaluate(
    nominals: QuerySet, *, as_of=None, include_approval: bool | None = None
) -> dict[int, Assessment]:
    """{nominal id: Assessment} for every nominal of `nominals` at `as_of` (default now).

    `include_approval`: also check the approval and the eligibility review (default: for
    the nominals reactively managed at `as_of`, not for the others — they are asking).
    """
    from vigil.offenders.models import Arms, Breach, Intelligence, ModeDecision

    moment, day = _moment_and_day(as_of)
    p = policy_values([LOW_YEARS, APPROVAL_RANK], at=moment)
    years = int(p[LOW_YEARS])
    rank_level = int(p[APPROVAL_RANK])
    cutoff = add_months(day, -12 * years)
    names = labels(years, rank_level)
    ids = nominals.values("pk")

    if as_of is None:
        rows = list(nominals.order_by().values("pk", "status"))  # 1
    else:
        from vigil.offenders.history import value_at

        rows = list(
            nominals.order_by().annotate(_status=value_at(moment, "status")).values("pk", "_status")
        )  # 1
        for row in rows:
            row["status"] = row.pop("_status") or ""
    arms: dict[int, list[dict]] = {}
    for a in (
        Arms.objects.filter(nominal_id__in=ids, completed_at__lte=moment)
        .values(
            "nominal_id",
            "completed_at",
            "approved_at",
            "risk_level",
            outcome=F("review__outcome"),
            reviewed_at=F("review__reviewed_at"),
        )
        .order_by("nominal_id", "completed_at", "pk")
    ):  # 2
        arms.setdefault(a["nominal_id"], []).append(a)
    breaches: dict[int, list[dt.date]] = {}
    for b in Breach.objects.filter(
        nominal_id__in=ids, occurred_on__gt=cutoff, occurred_on__lte=day, created_at__lte=moment
    ).values("nominal_id", "occurred_on"):  # 3
        breaches.setdefault(b["nominal_id"], []).append(b["occurred_on"])
    concern: dict[int, list[dt.date]] = {}
    for i in Intelligence.objects.filter(
        nominal_id__in=ids, received_on__gt=cutoff, received_on__lte=day, created_at__lte=moment
    ).values("nominal_id", "received_on", "reviewed_at", "arms_needed"):  # 4
        reviewed = i["reviewed_at"] is not None and i["reviewed_at"] <= moment
        if not reviewed or i["arms_needed"]:
            concern.setdefault(i["nominal_id"], []).append(i["received_on"])
    decisions: dict[int, list[dict]] = {}
    for d in (
        ModeDecision.objects.filter(
            nominal_id__in=ids, status=ModeDecisionStatus.APPROVED, decided_at__lte=moment
        )
        .values("nominal_id", "kind", "decided_at", "decided_rank", "rationale", "next_review_due")
        .order_by("nominal_id", "decided_at", "pk")
    ):  # 5
        decisions.setdefault(d["nominal_id"], []).append(d)
    approval_levels = _approval_levels(decisions)

    result = {}
    for row in rows:
        nid = row["pk"]
        own = decisions.get(nid, [])
        changes = [d for d in own if d["kind"] in MODE_CHANGES]
        reactive = bool(changes) and changes[-1]["kind"] == ModeDecisionKind.TO_REACTIVE
        check_approval = reactive if include_approval is None else include_approval
        conditions = [
            _in_community(names, row["status"]),
            *_risk(names, arms.get(nid, []), moment, cutoff, years),
            _breach(names, breaches.get(nid, []), years),
            _intelligence(names, concern.get(nid, []), years),
        ]
        if check_approval:
            conditions += _approval(names, own, approval_levels, rank_level, day)
        result[nid] = Assessment(nominal_id=nid, conditions=conditions)
    return result


def all_met_q(*, as_of=None, include_approval: bool | None = None) -> Q:
    """A Q on Nominal: every condition met at `as_of` (default now) — what
    `evaluate(...).all_met` says for the same arguments, decided in the database. Two
    queries to build (the policies); the rest are subqueries of the query it goes in.

    Each condition, as `evaluate` reads it:
    1. in_community: the status is active (in force at `as_of`, from the history);
    2. risk_low: the latest approved ARMS (by completion) counted is low, where an ARMS
       counts when completed by then and not returned by then;
    3. low_years: an approved low ARMS counted, completed on or before the cutoff day,
       with no ARMS counted after it that is not low (then the run of low assessments
       it belongs to began on or before the cutoff);
    4. no_breach and 5. no_intelligence: no breach, no intelligence of concern, in the
       period;
    6. approved: the latest approval of reactive management was at the rank the policy
       asked for when it was made (the overrides in force then, as a CASE on the
       approval's date), with a rationale that is not blank;
    7. reviewed: the latest approval or eligibility review set a review date not passed.
    6 and 7 count for every nominal with `include_approval`, for none without it, and
    (None) for the nominals reactive at `as_of`.
    """
    from vigil.core.models import PolicyOverride
    from vigil.offenders.models import Arms, Breach, Intelligence, ModeDecision, Review

    moment, day = _moment_and_day(as_of)
    p = policy_values([LOW_YEARS, APPROVAL_RANK], at=moment)
    cutoff = add_months(day, -12 * int(p[LOW_YEARS]))
    after_cutoff = start_of_day(cutoff + dt.timedelta(days=1))

    def counted(nominal):
        returned = Review.objects.filter(
            arms_id=OuterRef("pk"), outcome=ReviewOutcome.RETURNED, reviewed_at__lte=moment
        )
        return Arms.objects.filter(nominal_id=nominal, completed_at__lte=moment).filter(
            ~Exists(returned)
        )

    latest_approved = (
        counted(OuterRef(OuterRef("pk")))
        .filter(approved_at__lte=moment)
        .order_by("-completed_at", "-pk")
        .values("pk")[:1]
    )
    risk_low = Exists(Arms.objects.filter(pk=Subquery(latest_approved), risk_level=RiskLevel.LOW))
    later_not_low = (
        counted(OuterRef("nominal_id"))
        .exclude(risk_level=RiskLevel.LOW)
        .filter(
            Q(completed_at__gt=OuterRef("completed_at"))
            | Q(completed_at=OuterRef("completed_at"), pk__gt=OuterRef("pk"))
        )
    )
    low_years = Exists(
        counted(OuterRef("pk")).filter(
            ~Exists(later_not_low),
            approved_at__lte=moment,
            risk_level=RiskLevel.LOW,
            completed_at__lt=after_cutoff,
        )
    )
    breach = Exists(
        Breach.objects.filter(
            nominal_id=OuterRef("pk"),
            occurred_on__gt=cutoff,
            occurred_on__lte=day,
            created_at__lte=moment,
        )
    )
    concern = Exists(
        Intelligence.objects.filter(
            Q(reviewed_at__isnull=True) | Q(reviewed_at__gt=moment) | Q(arms_needed=True),
            nominal_id=OuterRef("pk"),
            received_on__gt=cutoff,
            received_on__lte=day,
            created_at__lte=moment,
        )
    )
    if as_of is None:
        in_community = Q(status=NominalStatus.ACTIVE)
    else:
        from vigil.offenders.history import state_q

        in_community = state_q(moment, status=NominalStatus.ACTIVE)
    met = in_community & Q(risk_low) & Q(low_years) & ~Q(breach) & ~Q(concern)
    if include_approval is False:
        return met

    def latest(kinds):
        return (
            ModeDecision.objects.filter(
                nominal_id=OuterRef(OuterRef("pk")),
                status=ModeDecisionStatus.APPROVED,
                decided_at__lte=moment,
                kind__in=kinds,
            )
            .order_by("-decided_at", "-pk")
            .values("pk")[:1]
        )

    policy = get_policy(APPROVAL_RANK)
    overrides = PolicyOverride.objects.filter(key=APPROVAL_RANK).order_by("-effective_from", "-id")
    needed = Case(
        *[
            When(decided_at__gte=effective_from, then=Value(int(policy.coerce(value))))
            for effective_from, value in overrides.values_list("effective_from", "value")
        ],
        default=Value(int(policy.default)),
    )
    rank = Case(
        *[When(decided_rank=r, then=Value(level)) for r, level in RANK_LEVEL.items()],
        default=Value(0),
    )
    approved = Exists(
        ModeDecision.objects.filter(pk=Subquery(latest([ModeDecisionKind.TO_REACTIVE])))
        .filter(rationale__regex=r"\S")
        .annotate(_rank=rank, _needed=needed)
        .filter(_rank__gte=F("_needed"))
    )
    reviewed = Exists(
        ModeDecision.objects.filter(pk=Subquery(latest(RENEWALS)), next_review_due__gte=day)
    )
    approval = Q(approved) & Q(reviewed)
    if include_approval:
        return met & approval
    return met & (approval | ~reactive_at(moment))


def _approval_levels(decisions) -> dict[dt.datetime, int]:
    """The approval rank level in force at each approval (the policy's overrides are read
    once, in one query, for all of them)."""
    from vigil.core.policy_registry import cached, policy_value

    moments = {
        d["decided_at"]
        for rows in decisions.values()
        for d in rows
        if d["kind"] == ModeDecisionKind.TO_REACTIVE
    }
    if not moments:
        return {}
    with cached():
        return {m: int(policy_value(APPROVAL_RANK, at=m)) for m in moments}


def _in_community(names, status) -> Condition:
    met = status == NominalStatus.ACTIVE
    if met:
        reason = _("Active in the community")
    elif not status:
        reason = _("The nominal was not yet registered then")
    else:
        reason = _("The nominal's status is: %(status)s") % {"status": NominalStatus(status).label}
    return Condition("in_community", names["in_community"], met, reason)


def _risk(names, rows, moment, cutoff, years) -> list[Condition]:
    counted = [
        a
        for a in rows
        if not (
            a["outcome"] == ReviewOutcome.RETURNED
            and a["reviewed_at"] is not None
            and a["reviewed_at"] <= moment
        )
    ]
    approved = [a for a in counted if a["approved_at"] is not None and a["approved_at"] <= moment]
    current = approved[-1] if approved else None
    if current is None:
        risk = Condition(
            "risk_low",
            names["risk_low"],
            False,
            _("No ARMS assessment has been approved, so there is no current risk level"),
        )
    elif current["risk_level"] != RiskLevel.LOW:
        risk = Condition(
            "risk_low",
            names["risk_low"],
            False,
            _("The current risk level is %(level)s, not low")
            % {"level": _level(current["risk_level"])},
        )
    else:
        risk = Condition("risk_low", names["risk_low"], True, _("The current risk level is low"))
    run_start, breaker = None, None
    for a in counted:
        is_approved = a["approved_at"] is not None and a["approved_at"] <= moment
        if a["risk_level"] != RiskLevel.LOW:
            run_start, breaker = None, a
        elif is_approved and run_start is None:
            run_start = timezone.localdate(a["completed_at"])
    if run_start is not None and run_start <= cutoff:
        low = Condition(
            "low_years",
            names["low_years"],
            True,
            _("Low since the ARMS assessment of %(date)s") % {"date": _d(run_start)},
        )
    elif run_start is not None:
        low = Condition(
            "low_years",
            names["low_years"],
            False,
            _("Low only since the ARMS assessment of %(date)s: not before %(eligible)s")
            % {"date": _d(run_start), "eligible": _d(add_months(run_start, 12 * years))},
        )
    elif breaker is not None:
        low = Condition(
            "low_years",
            names["low_years"],
            False,
            _("The ARMS assessment of %(date)s assessed the risk as %(level)s")
            % {
                "date": _d(timezone.localdate(breaker["completed_at"])),
                "level": _level(breaker["risk_level"]),
            },
        )
    else:
        low = Condition(
            "low_years",
            names["low_years"],
            False,
            _("No approved ARMS assessment has found the risk low"),
        )
    return [risk, low]


def _breach(names, dates, years) -> Condition:
    if not dates:
        return Condition(
            "no_breach",
            names["no_breach"],
            True,
            ngettext(
                "No breach recorded in the last %(years)s year",
                "No breach recorded in the last %(years)s years",
                years,
            )
            % {"years": years},
        )
    return Condition(
        "no_breach",
        names["no_breach"],
        False,
        ngettext(
            "%(count)s breach in that time, on %(date)s",
            "%(count)s breaches in that time, the latest on %(date)s",
            len(dates),
        )
        % {"count": len(dates), "date": _d(max(dates))},
    )


def _intelligence(names, dates, years) -> Condition:
    if not dates:
        return Condition(
            "no_intelligence",
            names["no_intelligence"],
            True,
            _("No intelligence of concern (unreviewed, or calling for a fresh ARMS) in that time"),
        )
    return Condition(
        "no_intelligence",
        names["no_intelligence"],
        False,
        ngettext(
            "%(count)s intelligence entry of concern (not yet reviewed, or calling for a "
            "fresh ARMS assessment), received %(date)s",
            "%(count)s intelligence entries of concern (not yet reviewed, or calling for a "
            "fresh ARMS assessment), the latest received %(date)s",
            len(dates),
        )
        % {"count": len(dates), "date": _d(max(dates))},
    )


def _approval(names, own, levels, rank_level, day) -> list[Condition]:
    approvals = [d for d in own if d["kind"] == ModeDecisionKind.TO_REACTIVE]
    last = approvals[-1] if approvals else None
    if last is None:
        approved = Condition(
            "approved", names["approved"], False, _("No approval of reactive management recorded")
        )
    else:
        needed = levels.get(last["decided_at"], rank_level)
        rank_ok = RANK_LEVEL.get(last["decided_rank"], 0) >= needed
        rationale_ok = bool((last["rationale"] or "").strip())
        when = _d(timezone.localdate(last["decided_at"]))
        if rank_ok and rationale_ok:
            approved = Condition(
                "approved", names["approved"], True, _("Approved on %(date)s") % {"date": when}
            )
        elif not rank_ok:
            approved = Condition(
                "approved",
                names["approved"],
                False,
                _("Approved on %(date)s below the rank the policy requires") % {"date": when},
            )
        else:
            approved = Condition(
                "approved",
                names["approved"],
                False,
                _("Approved on %(date)s without a rationale") % {"date": when},
            )
    renewals = [d for d in own if d["kind"] in RENEWALS]
    due = renewals[-1]["next_review_due"] if renewals else None
    if due is None:
        reviewed = Condition(
            "reviewed", names["reviewed"], False, _("No eligibility review date is set")
        )
    elif due < day:
        reviewed = Condition(
            "reviewed",
            names["reviewed"],
            False,
            _("The eligibility review was due on %(date)s") % {"date": _d(due)},
        )
    else:
        reviewed = Condition(
            "reviewed",
            names["reviewed"],
            True,
            _("Next eligibility review due %(date)s") % {"date": _d(due)},
        )
    return [approved, reviewed]
