"""Synthetic investigation histories for the generator (synthetic data only, ever).

`generate_investigation_history` takes investigations already opened (the referrals
generator allocates referrals, which opens them) and drives each through a realistic
lifecycle, through the ordinary services under `clock.replay(moment)`, with realistic
imperfections: late or skipped scheduled reassessments, some enforcement without a recent
reassessment (a supervisor's override), decisions recorded late or not at all, and
external allocations whose oversight reviews are late or never done.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.core import clock
from vigil.core.exceptions import VigilError
from vigil.instruments import engine
from vigil.investigations import services
from vigil.investigations.choices import (
    NEXT_STAGE,
    OPEN_STATES,
    BailStage,
    CheckMethod,
    CheckOutcome,
    DecisionKind,
    ReviewOutcome,
    State,
    SupportOfferStatus,
    WelfareAssessment,
)

DAY = dt.timedelta(days=1)

RATIONALES = {
    DecisionKind.ARREST: "Risk to children in the household; evidence may be lost without arrest.",
    DecisionKind.VOLUNTARY_ATTENDANCE: "No child access identified; suspect cooperative.",
    DecisionKind.NFA: "Insufficient evidence to identify the suspect as the account holder.",
    DecisionKind.PRE_CHARGE_BAIL: "Conditions needed to keep the suspect from children.",
    DecisionKind.RUI: "Digital forensic examination outstanding.",
    DecisionKind.CHARGE: "CPS authorised charges.",
    DecisionKind.CAUTION: "Youth suspect; out-of-court disposal agreed.",
}
RUI_EXCEPTIONAL = "Bail conditions not necessary or proportionate: suspect abroad for work."
WELFARE_MEASURES = "Expressed suicidal thoughts: custody nurse informed, mental health referral."
CONDITIONS = [
    "Not to have unsupervised contact with any child under 18.",
    "To live and sleep each night at the bail address.",
    "Not to use any device capable of accessing the internet unless it is made available "
    "to the police on request.",
    "Not to contact the alleged victim directly or indirectly.",
    "Not to enter the area of the school marked on the map.",
]
VICTIM_VIEWS = "Parent of the alleged victim asked that the suspect stays away from the family."
VIEWS_NOT_SOUGHT = "Alleged victim not identified yet."
EXTENSION_GROUNDS = "Forensic examination of the devices outstanding; enquiries progressing."


@dataclass
class HistoryResult:
    reassessments: int = 0
    decisions: int = 0
    transitions: int = 0
    reviews: int = 0
    skipped: int = 0
    bail_checks: int = 0
    bail_extensions: int = 0
    support_offers: int = 0


def _answers(rng: random.Random, definition) -> dict[str, str]:
    """Answers weighted to the first (lowest) option, as most referrals score low."""
    out = {}
    for q in definition.questions:
        options = [o.id for o in q.options]
        weights = [6] + [1] * (len(options) - 1)
        out[q.id] = rng.choices(options, weights=weights)[0]
    return out


def _pick(rng: random.Random, users, team):
    reachable = [u for u in users if services.reaches(u, team, SUPERVISORY_ROLES)]
    return rng.choice(reachable) if reachable else None


def generate_investigation_history(
    *, rng: random.Random, investigations, supervisors, inspectors, today: dt.date
) -> HistoryResult:
    """Drive each investigation from its opening to `today` (see the module docstring).

    Steps for each investigation, in time order, each under `clock.replay`:
    research (with scheduled reassessments, some late or skipped, and oversight reviews
    when allocated outside the team, some late or never); ready for enforcement; a
    reassessment before enforcement (usually); the enforcement decision (usually on time,
    sometimes late, occasionally missing); the arrest; the decision after arrest (bail,
    release under investigation authorised by an inspector, charge, caution or no further
    action); a bail return; and closing. Nothing is written after the end of `today`.
    """
    definition = engine.registry().find(services.INSTRUMENT, None)
    end = min(timezone.make_aware(dt.datetime.combine(today, dt.time(18, 0))), timezone.now())
    result = HistoryResult()
    for investigation in investigations:
        try:
            _one(rng, investigation, definition, supervisors, inspectors, end, result)
        except VigilError:
            result.skipped += 1
    return result


def _one(rng, investigation, definition, supervisors, inspectors, end, result) -> None:
    supervisor = _pick(rng, supervisors, investigation.owning_team)
    officer = investigation.allocated_officer or supervisor
    if officer is None:
        result.skipped += 1
        return
    inspector = _pick(rng, inspectors, investigation.owning_team)
    t = investigation.opened_at
    never_reviewed = rng.random() < 0.2
    next_review = t + dt.timedelta(days=28 + rng.randint(-3, 20))

    def at(moment, fn, **kwargs):
        with clock.replay(moment):
            return fn(**kwargs)

    def reassess(moment, trigger):
        at(
            moment,
            services.investigation_reassess,
            actor=officer,
            investigation=investigation,
            trigger=trigger,
            answers=_answers(rng, definition),
        )
        result.reassessments += 1

    def advance(days_low, days_high):
        """Move time on through research-like waiting, with the periodic work done."""
        nonlocal t, next_review
        target = t + dt.timedelta(days=rng.randint(days_low, days_high), hours=rng.randint(1, 8))
        while True:
            due = investigation.reassessment_due_at
            review_due = (
                next_review
                if investigation.is_external and supervisor and investigation.state in OPEN_STATES
                else None
            )
            events = [e for e in (due, review_due) if e is not None and e < min(target, end)]
            if not events:
                break
            moment = min(events)
            if moment == due:
                # Most on time, some late, some skipped (it stays overdue).
                roll = rng.random()
                if roll < 0.1:
                    investigation.reassessment_due_at = None  # skipped this cycle
                    break
                late = dt.timedelta(days=rng.randint(1, 20)) if roll < 0.3 else dt.timedelta(0)
                when = min(moment - dt.timedelta(hours=2) + late, end)
                if when <= t:
                    when = t + dt.timedelta(hours=1)
                reassess(when, "scheduled")
                t = max(t, when)
            else:
                if never_reviewed:
                    next_review = end + DAY
                    continue
                when = min(moment + dt.timedelta(days=rng.choice([0, 0, 0, 3, 12])), end)
                when = max(when, t + dt.timedelta(hours=1))
                outcome = (
                    ReviewOutcome.ACTION_REQUIRED
                    if rng.random() < 0.2
                    else ReviewOutcome.SATISFACTORY
                )
                at(
                    when,
                    services.oversight_review_record,
                    actor=supervisor,
                    investigation=investigation,
                    outcome=outcome,
                    note="Update the risk assessment and chase the device examination."
                    if outcome == ReviewOutcome.ACTION_REQUIRED
                    else "",
                )
                result.reviews += 1
                t = max(t, when)
                next_review = when + dt.timedelta(days=28 + rng.randint(-3, 15))
        t = target
        return t < end

    def move(to_state, note=""):
        at(
            t,
            services.investigation_transition,
            actor=officer,
            investigation=investigation,
            to_state=to_state,
            note=note,
        )
        result.transitions += 1

    def decide(kind, actor=None, **kwargs):
        if kind in (DecisionKind.ARREST, DecisionKind.VOLUNTARY_ATTENDANCE):
            risk = rng.random() < 0.06
            kwargs.setdefault(
                "welfare_assessment",
                WelfareAssessment.RISK_IDENTIFIED if risk else WelfareAssessment.NO_INDICATION,
            )
            if risk:
                kwargs.setdefault("welfare_measures", WELFARE_MEASURES)
        at(
            t,
            services.enforcement_decision_record,
            actor=actor or officer,
            investigation=investigation,
            kind=kind,
            rationale=RATIONALES[kind],
            **kwargs,
        )
        result.decisions += 1

    # Research.
    if not advance(7, 70):
        return
    if rng.random() < 0.08:
        decide(DecisionKind.NFA)
        if advance(3, 30):
            move(State.CLOSED)
        return
    move(State.AWAITING_ENFORCEMENT)
    # The reassessment before enforcement: usually within the week before.
    if not advance(1, 10):
        return
    skip_reassessment = rng.random() < 0.1 and supervisor is not None
    if not skip_reassessment:
        reassess(t, "before_enforcement")
    # The enforcement decision: on time, late (past the decision point), or missing.
    roll = rng.random()
    if roll < 0.05:
        return  # never recorded: the decision duty stays overdue
    if not advance(0, 3 if roll > 0.2 else 25):
        return
    kind = DecisionKind.ARREST if rng.random() < 0.75 else DecisionKind.VOLUNTARY_ATTENDANCE
    if (
        skip_reassessment
        or investigation.last_assessed_at is None
        or (t - investigation.last_assessed_at > dt.timedelta(days=7))
    ):
        if supervisor is None:
            return
        decide(
            kind,
            actor=supervisor,
            override_rationale="Immediate risk: enforcement could not wait for a reassessment.",
        )
    else:
        decide(kind)
    family_support(rng, investigation, officer, t, end, result)
    if not advance(0, 10):
        return
    move(State.POST_ARREST)
    if not advance(0, 1):
        return
    if rng.random() < 0.7:
        reassess(t, "after_arrest")
    roll = rng.random()
    if roll < 0.04:
        return  # no decision after arrest recorded
    if roll < 0.12 and inspector is not None:
        decide(DecisionKind.RUI, actor=inspector, exceptional_rationale=RUI_EXCEPTIONAL)
    elif roll < 0.55 and supervisor is not None:
        conditions = rng.sample(CONDITIONS, rng.choice([0, 1, 2, 2, 3]))
        views = {}
        if conditions:
            views = (
                {"victim_views_not_sought_reason": VIEWS_NOT_SOUGHT}
                if rng.random() < 0.15
                else {"victim_views": VICTIM_VIEWS}
            )
        decide(
            DecisionKind.PRE_CHARGE_BAIL,
            actor=supervisor,
            bail_conditions=conditions,
            **views,
        )
        t = bail_life(rng, investigation, officer, inspectors, t, end, result)
        if t >= end:
            return
        move(State.POST_ARREST, note="Answered bail")
        if rng.random() < 0.6:
            reassess(t, "bail_return")
        if not advance(0, 1):
            return
    elif roll < 0.6:
        decide(DecisionKind.CAUTION)
        return
    # The outcome.
    if investigation.state in (State.POST_ARREST, State.RUI) and advance(0, 60):
        decide(DecisionKind.CHARGE if rng.random() < 0.6 else DecisionKind.NFA)
        if advance(14, 120):
            move(State.CLOSED)


def family_support(rng, investigation, officer, t, end, result) -> None:
    """The offer of support to the family after the first enforcement: mostly within the
    policy's two days, some late, some never recorded (imperfections)."""
    if investigation.first_enforcement_at is None or investigation.first_enforcement_at != t:
        return
    roll = rng.random()
    if roll < 0.15:
        return  # never recorded
    delay = dt.timedelta(hours=rng.randint(1, 44)) if roll > 0.3 else DAY * rng.randint(3, 20)
    when = t + delay
    if when >= end:
        return
    status = rng.choices(
        [
            SupportOfferStatus.OFFERED,
            SupportOfferStatus.ACCEPTED,
            SupportOfferStatus.DECLINED,
            SupportOfferStatus.NOT_APPLICABLE,
        ],
        weights=[3, 4, 3, 1],
    )[0]
    with clock.replay(when):
        services.family_support_record(
            actor=officer,
            investigation=investigation,
            status=status,
            reason="Suspect lives alone; no family contact."
            if status == SupportOfferStatus.NOT_APPLICABLE
            else "",
            leaflet_language=investigation.suspect.language or "en",
        )
    result.support_offers += 1


def _authoriser(stage, inspectors):
    """An inspector-level (or above) user whose rank may authorise `stage`."""
    rank = services.bail_stage_rank(stage)
    able = [
        u for u in inspectors if u.rank in services.POLICE_RANKS and access.rank_at_least(u, rank)
    ]
    return able[0] if able else None


def bail_life(rng, investigation, officer, inspectors, t, end, result):
    """Pre-charge bail from its start to the suspect answering bail: condition checks in
    most periods (some periods never checked), extensions before expiry where an officer
    of the rank can authorise them, and occasionally bail left to expire. Returns when the
    suspect answers bail (or `end`)."""
    from vigil.investigations.models import Bail

    bail = Bail.objects.get(investigation=investigation, ended_at__isnull=True)
    returns_at = t + DAY * rng.randint(20, 250)
    has_conditions = bail.conditions.exists()
    while True:
        stop = min(bail.ends_at, returns_at, end)
        if has_conditions and rng.random() < 0.75 and stop - t > DAY:
            when = t + (stop - t) * rng.uniform(0.2, 0.9)
            breach = rng.random() < 0.08
            with clock.replay(when):
                services.bail_condition_check_record(
                    actor=officer,
                    bail=bail,
                    checked_at=when,
                    method=rng.choice(CheckMethod.values),
                    outcome=CheckOutcome.BREACH if breach else CheckOutcome.COMPLIED,
                    breach_action="Arrested for breach and re-bailed with the same conditions."
                    if breach
                    else "",
                )
            result.bail_checks += 1
        if returns_at <= bail.ends_at or bail.ends_at >= end:
            return min(returns_at, end)
        stage = NEXT_STAGE[bail.stage]
        authoriser = _authoriser(stage, inspectors) if stage != BailStage.COURT else None
        if authoriser is None or rng.random() < 0.05:
            # Answered bail on its last day, or (rarely) left to expire without a decision.
            return (
                min(bail.ends_at - dt.timedelta(hours=2), end)
                if rng.random() < 0.8
                else min(returns_at, end)
            )
        moment = bail.ends_at - DAY * rng.randint(1, 10)
        if moment <= t:
            moment = t + dt.timedelta(hours=1)
        with clock.replay(moment):
            services.bail_extend(actor=authoriser, bail=bail, rationale=EXTENSION_GROUNDS)
        result.bail_extensions += 1
        t = bail.periods.order_by("-starts_at").first().starts_at


def supervisors_of(users) -> list:
    """The users with a supervisory role (a helper for the generator's wiring)."""
    return [u for u in users if access.is_supervisor(u)]


ESCALATION_OUTCOMES = [
    "Reviewed with the investigating officer; reassessment actions agreed and recorded.",
    "Safeguarding strategy discussion held; the plan was updated the same day.",
    "Resources moved to the investigation; arrest brought forward.",
]


def resolve_escalations(*, rng: random.Random, supervisors) -> int:
    """Escalation log entries worked by the owning team's supervisors (point C): most
    acknowledged within a day and resolved inside their time limit, some resolved late,
    a few never (some still open today). Run after the investigations' histories, which
    raise them. Returns how many were resolved."""
    from vigil.investigations.models import EscalationLogEntry

    end = clock.now()
    resolved = 0
    entries = EscalationLogEntry.objects.filter(resolved_at__isnull=True).select_related(
        "team", "investigation__allocated_team", "investigation__suspect", "referral__suspect"
    )
    for entry in entries.order_by("raised_at", "pk"):
        actor = _pick(rng, supervisors, entry.team)
        if actor is None or rng.random() < 0.05:
            continue
        limit = entry.resolve_by - entry.raised_at
        late = rng.random() < 0.12
        at = entry.raised_at + (
            limit + DAY * rng.uniform(1, 10) if late else limit * rng.uniform(0.1, 0.9)
        )
        acknowledged = entry.raised_at + min(limit * 0.1, DAY * rng.uniform(0.05, 1))
        if acknowledged > end:
            continue
        with clock.replay(acknowledged):
            services.escalation_acknowledge(actor=actor, entry=entry)
        if at > end:
            continue
        with clock.replay(at):
            services.escalation_resolve(
                actor=actor, entry=entry, outcome=rng.choice(ESCALATION_OUTCOMES)
            )
        resolved += 1
    return resolved
