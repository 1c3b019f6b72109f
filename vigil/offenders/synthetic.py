"""Synthetic nominals: five years of offender management written through the services.

Each nominal's history is a small discrete-event simulation: events (an ARMS, a visit, a
supervisor's review, a re-notification...) sit in a queue by the moment they happen and
each runs under `clock.replay(moment)`, so audit events, duties and due dates carry real
historic dates; an event may schedule the next ones. Nothing after the present is run, so
what is due now is left open, as it would be. Imperfections are deliberate: some visits
are late (and some are overdue today), some reviews are late, some visits are announced
or made by one officer, authorised in time, late or never; some notifications are late;
PND checks are made yearly (and before visits at high and very high risk), some late
(lapsed), a few never assessed; some low-risk nominals go on reactive management once
eligible, are reviewed yearly (a few late) and return to active management when new
information means a condition is no longer met (a few are still waiting for that review).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from vigil.accounts import access
from vigil.core import clock
from vigil.core.exceptions import ValidationFailed
from vigil.duties.choices import RiskLevel
from vigil.instruments import engine
from vigil.offenders import services
from vigil.offenders.choices import (
    ArmsTrigger,
    Disposal,
    MappaCategory,
    MappaLevel,
    NominalStatus,
    NotificationKind,
    NotificationStatus,
    ReviewOutcome,
    StaticTool,
)
from vigil.offenders.notification_period import add_months

YEARS = 5
# About 2% very high, 18% high, 30% medium, 50% low (the national picture).
RISK_MIX = [
    (RiskLevel.VERY_HIGH, 2),
    (RiskLevel.HIGH, 18),
    (RiskLevel.MEDIUM, 30),
    (RiskLevel.LOW, 50),
]
RISK_STEPS = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH]
# (disposal, weight, custodial months range or None, notification period in years or
# None for indefinite): every nominal here is still subject to notification today.
DISPOSALS = [
    (Disposal.IMPRISONMENT, 55, (30, 180), None),
    (Disposal.IMPRISONMENT, 22, (7, 29), 10),
    (Disposal.IMPRISONMENT, 5, (2, 6), 7),
    (Disposal.OTHER, 12, None, 5),
    (Disposal.HOSPITAL_RESTRICTED, 2, None, None),
    (Disposal.CAUTION, 4, None, 2),
]
OUTCOMES = [
    "Seen at home. No concerns; address and vehicle details confirmed.",
    "Seen at home. Discussed employment and the conditions of the order.",
    "Seen with partner present. Devices checked; nothing of concern found.",
    "Home visit completed. Reminded of notification requirements.",
    "Seen briefly at the door; the nominal was reluctant to engage.",
]
CONCERNS = [
    "A child's bicycle in the garden: enquiries about visitors to be made.",
    "A second mobile phone seen; the nominal said it belongs to a relative.",
    "Appeared to be drinking heavily; referral to support services discussed.",
]
NON_COMPLIANT_RATIONALE = [
    "Second officer abstracted at short notice; low-risk nominal, known address.",
    "Visit arranged with the approved premises staff, who asked for notice.",
    "Single officer visit agreed: well-established compliance and a public location.",
    "Announced visit to meet the new partner with the social worker present.",
]
PND_FOUND = [
    "Arrested in another force area in 2019; no further action.",
    "Named in an intelligence report about online chat groups.",
    "Linked to an address in another force where children live.",
]
PND_ACTIONS = [
    "No trace: nothing further needed.",
    "Information reviewed with the supervisor; recorded on the plan.",
    "Information shared with the other force; plan updated.",
]
INTELLIGENCE = [
    ("Partner agency", "Seen in a park near a primary school at home time."),
    ("Anonymous caller", "Reported to be using a new social media account."),
    ("Probation practitioner", "Has a new partner who has two children."),
    ("Neighbourhood policing", "Car seen parked outside a leisure centre most evenings."),
]

Event = Callable[[], None]


def _moment(day: dt.date, rng: random.Random, *, start: int = 8, end: int = 18) -> dt.datetime:
    """A time on `day` (Europe/London hours), in UTC: the audit log hashes the time as
    written and checks it as read back (UTC), so a replayed moment must be in UTC."""
    naive = dt.datetime.combine(day, dt.time(rng.randint(start, end - 1), rng.randint(0, 59)))
    return timezone.make_aware(naive, timezone.get_default_timezone()).astimezone(dt.UTC)


def _months(months: float) -> dt.timedelta:
    return dt.timedelta(days=round(months * 30.44))


class _Nominal:
    """One nominal's simulation: its queue of events and the state they share."""

    def __init__(self, *, gen, person, team, manager, colleagues, supervisor, level, rng):
        self.gen = gen
        self.rng = rng
        self.person = person
        self.team = team
        self.manager = manager
        self.colleagues = colleagues
        self.supervisor = supervisor
        self.level = level
        self.nominal = None
        self.queue: list = []
        self.seq = itertools.count()
        # Generation numbers: an ARMS or plan event scheduled before a later change of
        # plan is stale when it comes up, and does nothing.
        self.arms_gen = 0
        self.plan_gen = 0
        self.visit_gen = 0
        self.has_plan = False
        # A few nominals whose visits lapse towards the end (overdue today).
        self.lapses_after = gen.end - dt.timedelta(days=rng.randint(40, 200))
        self.neglected = rng.random() < 0.06
        self.pnd_gen = 0
        self.reactive = False
        self.reactive_pending = False
        self.reactive_gen = 0

    @property
    def counts(self) -> Counter:
        return self.gen.counts

    def at(self, moment: dt.datetime, event: Event) -> None:
        if moment <= self.gen.end:
            heapq.heappush(self.queue, (moment.astimezone(dt.UTC), next(self.seq), event))

    def run(self) -> None:
        while self.queue:
            moment, _seq, event = heapq.heappop(self.queue)
            with clock.replay(moment):
                event()

    def active(self) -> bool:
        return self.nominal.status == NominalStatus.ACTIVE

    # --- registration and notification ----------------------------------------------

    def register(self, t0: dt.datetime, status: str, disposal, start: dt.date) -> None:
        rng = self.rng
        self.nominal = services.nominal_register(
            actor=self.manager,
            person=self.person,
            team=self.team,
            offender_manager=self.manager,
            status=status,
            mappa_category=MappaCategory.ONE,
            mappa_level=rng.choices(
                [MappaLevel.ONE, MappaLevel.TWO, MappaLevel.THREE], weights=[88, 10, 2]
            )[0],
            financial_details_held=rng.random() < 0.7,
        )
        self.counts["nominals"] += 1
        self.counts[f"risk_{self.level}"] += 1
        today = timezone.localdate(t0)
        kind, _weight, term, years = disposal
        services.requirement_add(
            actor=self.manager,
            nominal=self.nominal,
            start_date=start,
            disposal=kind,
            custodial_months=rng.randint(*term) if term else None,
            # Halved periods for juveniles only where the period is indefinite anyway.
            under_18=years is None and rng.random() < 0.04,
            offence="Sexual Offences Act 2003",
        )
        if rng.random() < 0.2:
            services.order_add(
                actor=self.manager,
                nominal=self.nominal,
                kind="shpo",
                start_date=start,
                prohibitions="No unsupervised contact with children under 16.",
                requirements="Make devices available for inspection.",
                court="Swansea Crown Court",
            )
            self.counts["orders"] += 1
        initial = self.nominal.notifications.get(kind=NotificationKind.INITIAL)
        late = rng.random() < 0.03
        notified = start + dt.timedelta(days=rng.randint(3, 12) if late else rng.randint(0, 2))
        self._notify(initial, min(notified, today))
        # Re-notifications made before Vigil's history, then the yearly round from now on.
        while True:
            annual = self._pending_annual()
            if annual is None or annual.due_date > today:
                break
            self._notify(annual, min(self._notified_on(annual), today))
        self._schedule_annual()

    def _pending_annual(self):
        return self.nominal.notifications.filter(
            kind=NotificationKind.ANNUAL, status=NotificationStatus.PENDING
        ).first()

    def _notified_on(self, event) -> dt.date:
        if self.rng.random() < 0.04:
            return event.due_date + dt.timedelta(days=self.rng.randint(1, 25))
        return event.due_date - dt.timedelta(days=self.rng.randint(0, 20))

    def _notify(self, event, notified_on: dt.date) -> None:
        services.notification_record(actor=self.manager, event=event, notified_on=notified_on)
        self.counts["notifications"] += 1
        if notified_on > event.due_date:
            self.counts["notifications_late"] += 1

    def _schedule_annual(self) -> None:
        annual = self._pending_annual()
        if annual is None:
            return
        day = self._notified_on(annual)
        self.at(_moment(day, self.rng), lambda: self._annual(annual))

    def _annual(self, annual) -> None:
        annual.refresh_from_db(fields=["status"])
        if annual.status != NotificationStatus.PENDING:
            return
        self._notify(annual, clock.today())
        self._schedule_annual()

    # --- ARMS -------------------------------------------------------------------------

    def schedule_arms(self, moment: dt.datetime, trigger: str) -> None:
        self.arms_gen += 1
        gen = self.arms_gen
        self.at(moment, lambda: self._arms(gen, trigger))

    def _arms(self, gen: int, trigger: str) -> None:
        if gen != self.arms_gen or not self.active():
            return
        rng = self.rng
        if trigger == ArmsTrigger.SCHEDULED and rng.random() < 0.08:
            # Occasionally the assessed risk moves by one step.
            i = RISK_STEPS.index(self.level) + rng.choice([-1, 1])
            self.level = RISK_STEPS[min(max(i, 0), len(RISK_STEPS) - 1)]
        arms = services.arms_record(
            actor=self.manager,
            nominal=self.nominal,
            answers=self.gen.arms_answers(self.level),
            formulation="Risk and protective factors weighed; see the case notes.",
            judgement_level=self.level,
            static_tool=rng.choice([StaticTool.RM2000S, StaticTool.OSP_C]),
            static_band=self.level if rng.random() < 0.8 else rng.choice(RISK_STEPS),
            static_tool_version=rng.choice(["2007", "v6"]),
            trigger=trigger,
        )
        self.counts["arms"] += 1
        self._after_trigger()
        self._schedule_review(arms.review, after=lambda outcome: self._arms_reviewed(outcome))
        months = 12 - rng.random() * 0.6
        if rng.random() < 0.08:
            months += rng.uniform(0.5, 2.5)  # a late annual ARMS
        self.schedule_arms(clock.now() + _months(months), ArmsTrigger.SCHEDULED)

    def _arms_reviewed(self, outcome: str) -> None:
        if outcome == ReviewOutcome.APPROVED:
            self._consider_reactive()
        if outcome == ReviewOutcome.RETURNED:
            self.schedule_arms(
                clock.now() + dt.timedelta(days=self.rng.randint(7, 26)), ArmsTrigger.SCHEDULED
            )
            return
        if not self.has_plan:
            self.schedule_plan(clock.now() + dt.timedelta(days=self.rng.randint(1, 12)))
        elif self.nominal.plans.order_by("-version").first().visit_every_months > (
            services.max_visit_months(self.level)
        ):
            # The plan no longer meets the minimum visits for the new risk level.
            self.schedule_plan(clock.now() + dt.timedelta(days=self.rng.randint(5, 25)))

    # --- plans --------------------------------------------------------------------------

    def schedule_plan(self, moment: dt.datetime) -> None:
        self.plan_gen += 1
        gen = self.plan_gen
        self.at(moment, lambda: self._plan(gen))

    def _plan(self, gen: int) -> None:
        if gen != self.plan_gen or not self.active():
            return
        rng = self.rng
        self.nominal.refresh_from_db(fields=["risk_level"])
        level = services._plan_level(self.nominal)
        maximum = services.max_visit_months(level)
        every = maximum if rng.random() < 0.85 else max(1, maximum // 2)
        review_months = 6 if level in (RiskLevel.HIGH, RiskLevel.VERY_HIGH) else 12
        today = clock.today()
        plan = services.plan_create(
            actor=self.manager,
            nominal=self.nominal,
            visit_every_months=every,
            review_due=add_months(today, review_months),
            summary="Manage the risk of contact offending through monitoring and support.",
            actions=[
                {
                    "category": "control",
                    "description": "Inspect devices at each home visit.",
                    "owner": "Offender manager",
                    "due_date": today + dt.timedelta(days=30),
                },
                {
                    "category": rng.choice(["rehabilitation", "multi_agency", "monitoring"]),
                    "description": "Review engagement with the programme with probation.",
                    "owner": "Probation",
                    "due_date": today + dt.timedelta(days=90),
                },
            ],
        )
        self.has_plan = True
        self.counts["plans"] += 1
        self._schedule_review(plan.review)
        self.schedule_visit()
        late = rng.random() < 0.1
        next_at = _moment(
            plan.review_due
            + dt.timedelta(days=rng.randint(5, 60) if late else -rng.randint(0, 14)),
            rng,
        )
        self.schedule_plan(next_at)

    # --- visits -------------------------------------------------------------------------

    def schedule_visit(self) -> None:
        """The next visit: the plan's interval after the last one (or the plan), mostly a
        little early, sometimes late; none after the lapse date for neglected nominals."""
        rng = self.rng
        plan = self.nominal.plans.order_by("-version").first()
        if plan is None or self.reactive:
            return
        self.nominal.refresh_from_db(fields=["risk_level"])
        every = services._visit_interval(self.nominal, plan)
        last = self.nominal.visits.order_by("-visited_at").values_list("visited_at", flat=True)
        since = last.first() or plan.completed_at
        if rng.random() < 0.1:
            gap = _months(every) + dt.timedelta(days=rng.randint(5, 50))
        else:
            gap = _months(every) - dt.timedelta(days=rng.randint(0, min(25, every * 10)))
        day = timezone.localdate(since + max(gap, dt.timedelta(days=5)))
        moment = _moment(day, rng, start=7, end=20)
        if self.neglected and moment > self.lapses_after:
            return
        self.visit_gen += 1
        gen = self.visit_gen
        self.at(moment, lambda: self._visit(gen))
        if self.gen.pnd_before(self.nominal.risk_level or RiskLevel.LOW) and rng.random() < 0.85:
            check_at = moment - dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
            if check_at > clock.now():
                self.at(check_at, lambda: self._pnd(None))

    def _visit(self, gen: int) -> None:
        if gen != self.visit_gen or not self.active() or self.reactive:
            return
        rng = self.rng
        roll = rng.random()
        colleague = rng.choice(self.colleagues) if self.colleagues else None
        announced = roll >= 0.95
        pair = colleague is not None and not (0.88 <= roll < 0.95)
        officers = [self.manager, colleague] if pair else [self.manager]
        access_result = rng.choices(["gained", "no_reply", "refused"], weights=[90, 7, 3])[0]
        visit = services.visit_record(
            actor=self.manager,
            nominal=self.nominal,
            visited_at=clock.now(),
            location="home" if rng.random() < 0.95 else "elsewhere",
            announced=announced,
            officers=officers,
            access_result=access_result,
            outcome=rng.choice(OUTCOMES),
            concerns=rng.choice(CONCERNS) if rng.random() < 0.08 else "",
            intelligence_submitted=rng.random() < 0.05,
            notification_checked=rng.random() < 0.8,
        )
        self.counts["visits"] += 1
        if not visit.compliant:
            self.counts["visits_non_compliant"] += 1
            self._authorise(visit)
        self._schedule_review(visit.review)
        self.schedule_visit()

    def _authorise(self, visit) -> None:
        """Most non-compliant visits are authorised in time (often decided before the
        visit); some late; some never (they stay flagged)."""
        rng = self.rng
        if not self.gen.can_authorise(self.supervisor):
            return
        roll = rng.random()
        if roll < 0.1:
            self.counts["authorisations_missing"] += 1
            return
        if roll < 0.6:
            decided = visit.visited_at - dt.timedelta(hours=rng.randint(2, 72))
            recorded = visit.visited_at + dt.timedelta(hours=rng.randint(1, 20))
        elif roll < 0.85:
            decided = recorded = visit.visited_at + dt.timedelta(hours=rng.randint(1, 23))
        else:
            decided = recorded = visit.visited_at + dt.timedelta(hours=rng.randint(26, 120))
            self.counts["authorisations_late"] += 1

        def authorise():
            services.visit_authorise(
                actor=self.supervisor,
                visit=visit,
                rationale=rng.choice(NON_COMPLIANT_RATIONALE),
                decided_at=decided,
            )
            self.counts["authorisations"] += 1

        self.at(recorded, authorise)

    # --- supervisor reviews -----------------------------------------------------------

    def _schedule_review(self, review, after: Callable[[str], None] | None = None) -> None:
        rng = self.rng
        late = rng.random() < 0.12
        days = rng.randint(32, 75) if late else rng.randint(2, 27)
        returned = rng.random() < 0.04

        def record():
            outcome = ReviewOutcome.RETURNED if returned else ReviewOutcome.APPROVED
            services.review_record(
                actor=self.supervisor,
                review=review,
                outcome=outcome,
                actions="Add the partner's details and the children's services check."
                if returned
                else "",
            )
            self.counts["reviews"] += 1
            if late:
                self.counts["reviews_late"] += 1
            if after is not None:
                after(outcome)

        self.at(
            _moment(timezone.localdate(review.opened_at + dt.timedelta(days=days)), rng), record
        )

    # --- intelligence, breaches, custody ----------------------------------------------

    def intelligence(self, moment: dt.datetime) -> None:
        rng = self.rng

        def receive():
            if self.nominal.status == NominalStatus.NO_LONGER_SUBJECT:
                return
            source, summary = rng.choice(INTELLIGENCE)
            entry = services.intelligence_record(
                actor=self.manager,
                nominal=self.nominal,
                received_on=clock.today(),
                source=source,
                summary=summary,
            )
            self.counts["intelligence"] += 1
            self._after_trigger()
            arms_needed = rng.random() < 0.5

            def review():
                services.intelligence_review(
                    actor=self.manager,
                    entry=entry,
                    note="Discussed with the supervisor; recorded on the plan.",
                    arms_needed=arms_needed,
                )
                if arms_needed and self.active():
                    self.schedule_arms(
                        clock.now() + dt.timedelta(days=rng.randint(5, 27)),
                        ArmsTrigger.INTELLIGENCE,
                    )

            self.at(moment + dt.timedelta(days=rng.randint(1, 10)), review)

        self.at(moment, receive)

    def breach(self, moment: dt.datetime) -> None:
        def record():
            if not self.active():
                return
            services.breach_record(
                actor=self.manager,
                nominal=self.nominal,
                occurred_on=clock.today() - dt.timedelta(days=self.rng.randint(0, 3)),
                summary="Failed to notify a change of address within three days.",
                action_taken="Arrested; charged with failing to comply.",
            )
            self.counts["breaches"] += 1
            self._after_trigger()
            self.schedule_arms(
                clock.now() + dt.timedelta(days=self.rng.randint(5, 27)), ArmsTrigger.BREACH
            )

        self.at(moment, record)

    def release(self, moment: dt.datetime) -> None:
        def record():
            services.nominal_update(
                actor=self.manager, nominal=self.nominal, status=NominalStatus.ACTIVE
            )
            self.counts["released"] += 1
            self.schedule_pnd(clock.now() + dt.timedelta(days=self.rng.randint(3, 40)))
            self.schedule_arms(
                clock.now() + dt.timedelta(days=self.rng.randint(5, 27)), ArmsTrigger.RELEASE
            )

        self.at(moment, record)

    # --- PND checks (Q) -------------------------------------------------------------

    def schedule_pnd(self, moment: dt.datetime) -> None:
        self.pnd_gen += 1
        gen = self.pnd_gen
        self.at(moment, lambda: self._pnd(gen))

    def _pnd(self, gen: int | None) -> None:
        """A PND check: the yearly one (`gen`, which schedules the next: now and then
        late, so lapsed) or one before a visit (None). Most are assessed within days,
        a few late, a few never."""
        if gen is not None and gen != self.pnd_gen:
            return
        if not self.active() or (self.neglected and clock.now() > self.lapses_after):
            return
        rng = self.rng
        found = rng.random() < 0.12
        check = services.pnd_check_record(
            actor=self.manager,
            nominal=self.nominal,
            checked_on=clock.today(),
            result="information" if found else "no_trace",
            summary=rng.choice(PND_FOUND) if found else "",
        )
        self.counts["pnd_checks"] += 1
        roll = rng.random()
        if roll < 0.05:
            self.counts["pnd_unassessed"] += 1
        else:
            days = rng.randint(8, 40) if roll < 0.12 else rng.randint(0, 6)

            def assess():
                check.refresh_from_db(fields=["assessed_at"])
                if check.assessed_at is None:
                    services.pnd_check_assess(
                        actor=self.manager,
                        check=check,
                        action_taken=PND_ACTIONS[1 if found else 0],
                    )

            self.at(clock.now() + dt.timedelta(days=days, hours=rng.randint(1, 8)), assess)
        if gen is not None:
            months = 12 - rng.random() * 0.8
            if rng.random() < 0.1:
                months += rng.uniform(0.5, 3)  # lapsed
                self.counts["pnd_late"] += 1
            self.schedule_pnd(clock.now() + _months(months))

    # --- reactive management (P) ----------------------------------------------------

    def _consider_reactive(self) -> None:
        """After an approved ARMS: half the low-risk nominals that meet every condition
        are put forward for reactive management within a month."""
        rng = self.rng
        if self.reactive or self.reactive_pending or not self.active():
            return
        if self.person.is_restricted:  # the approver is not named on the restriction
            return
        approver = self.gen.approver(self.team)
        if approver is None or approver.pk == self.manager.pk:
            return
        self.nominal.refresh_from_db(fields=["risk_level"])
        if self.nominal.risk_level != RiskLevel.LOW or rng.random() >= 0.5:
            return
        if not services.reactive_assessment(self.nominal, include_approval=False).all_met:
            return
        self.reactive_pending = True
        self.at(clock.now() + dt.timedelta(days=rng.randint(3, 30)), self._request_reactive)

    def _request_reactive(self) -> None:
        rng = self.rng
        try:
            decision = services.reactive_request(
                actor=self.manager,
                nominal=self.nominal,
                proposal="Low risk for over three years, compliant, no intelligence of concern.",
            )
        except ValidationFailed:
            self.reactive_pending = False
            return
        self.counts["reactive_requests"] += 1

        def decide():
            approver = self.gen.approver(self.team)
            try:
                services.reactive_decide(
                    actor=approver,
                    decision=decision,
                    approve=True,
                    rationale="All the conditions hold: approved for reactive management.",
                )
            except ValidationFailed:
                services.reactive_decide(
                    actor=approver,
                    decision=decision,
                    approve=False,
                    rationale="A condition is no longer met; stay on active management.",
                )
                self.counts["reactive_declined"] += 1
                self.reactive_pending = False
                return
            self.reactive, self.reactive_pending = True, False
            self.nominal.refresh_from_db(fields=["management_mode", "reactive_review_triggered_on"])
            self.visit_gen += 1  # no more scheduled visits
            self.counts["reactive"] += 1
            self._schedule_reactive_review(decision.next_review_due)
            if rng.random() < 0.3:  # something new turns up later
                self.intelligence(clock.now() + dt.timedelta(days=rng.randint(30, 700)))

        self.at(clock.now() + dt.timedelta(days=rng.randint(1, 12), hours=2), decide)

    def _schedule_reactive_review(self, due: dt.date, *, soon: bool = False) -> None:
        rng = self.rng
        self.reactive_gen += 1
        gen = self.reactive_gen
        if soon:
            moment = clock.now() + dt.timedelta(days=rng.randint(3, 60))
        elif rng.random() < 0.1:
            moment = _moment(due + dt.timedelta(days=rng.randint(5, 60)), rng)
            self.counts["reactive_reviews_late"] += 1
        else:
            moment = _moment(due - dt.timedelta(days=rng.randint(0, 20)), rng)
        self.at(moment, lambda: self._reactive_review(gen))

    def _reactive_review(self, gen: int) -> None:
        """The yearly review, or one new information called for: stay reactive when every
        condition is still met, otherwise back to active management (visits resume)."""
        if gen != self.reactive_gen or not self.reactive:
            return
        if services.reactive_assessment(self.nominal, include_approval=False).all_met:
            decision = services.reactive_review_record(
                actor=self.manager,
                nominal=self.nominal,
                outcome="continue",
                rationale="Reviewed: every condition is still met.",
            )
            self.counts["reactive_reviews"] += 1
            self._schedule_reactive_review(decision.next_review_due)
            return
        services.reactive_review_record(
            actor=self.manager,
            nominal=self.nominal,
            outcome="return",
            rationale="A condition is no longer met: back to active management.",
        )
        self.reactive = False
        self.counts["reactive_returned"] += 1
        self.schedule_visit()

    def _after_trigger(self) -> None:
        """New information on a reactive nominal: its review comes sooner."""
        if not self.reactive:
            return
        self.nominal.refresh_from_db(fields=["reactive_review_triggered_on"])
        if self.nominal.reactive_review_triggered_on is not None:
            self._schedule_reactive_review(clock.today(), soon=True)


class _Generator:
    def __init__(self, rng, today, years):
        self.rng = rng
        self.years = years
        now = clock.now()
        self.end = now.astimezone(dt.UTC) if today >= timezone.localdate(now) else _end_of(today)
        self.start = today - dt.timedelta(days=365 * years)
        self.counts: Counter = Counter()
        definition = engine.registry().find(services.ARMS_INSTRUMENT, None)
        self.questions = [(q.id, [o.id for o in q.options]) for q in definition.questions]
        self._authorisers: dict[int, bool] = {}
        self._approvers: dict[int, object] = {}
        self._pnd_before: dict[str, bool] = {}

    def pnd_before(self, level: str) -> bool:
        if level not in self._pnd_before:
            self._pnd_before[level] = services.pnd_before_visit(level)
        return self._pnd_before[level]

    def approver(self, team):
        """Someone of the policy rank (default inspector) supervising `team` who may
        approve reactive management, or None."""
        if team.pk not in self._approvers:
            from django.db.models import Q

            from vigil.accounts.choices import RANK_LEVEL, SUPERVISORY_ROLES
            from vigil.accounts.models import User
            from vigil.core.policy_registry import policy_value

            level = policy_value("offenders.reactive_approval_rank_level")
            self._approvers[team.pk] = (
                User.objects.filter(
                    Q(memberships__team_id=team.pk)
                    | Q(memberships__scope="force", memberships__team__force_id=team.force_id),
                    is_active=True,
                    rank__in=[r for r, lv in RANK_LEVEL.items() if lv >= level],
                    memberships__role__in=SUPERVISORY_ROLES,
                )
                .order_by("pk")
                .first()
            )
        return self._approvers[team.pk]

    def arms_answers(self, level: str) -> dict[str, str]:
        """Answers leaning towards the higher options for higher risk levels."""
        lean = RISK_STEPS.index(level)
        answers = {}
        for qid, options in self.questions:
            weights = [
                max(1, 4 - abs(i * 3 // max(len(options) - 1, 1) - lean))
                for i in range(len(options))
            ]
            answers[qid] = self.rng.choices(options, weights=weights)[0]
        return answers

    def can_authorise(self, user) -> bool:
        if user.pk not in self._authorisers:
            self._authorisers[user.pk] = access.rank_at_least(user, services.authoriser_rank())
        return self._authorisers[user.pk]


def _end_of(day: dt.date) -> dt.datetime:
    from vigil.core.calendar import end_of_day

    return end_of_day(day).astimezone(dt.UTC)


def generate_nominals(
    *, rng: random.Random, people, managers, supervisors, today, years: int = YEARS
) -> dict:
    """Register `people` (Person rows of MOSOVO teams) as nominals with five years of
    history. `managers` maps team id to the team's offender managers (officers);
    `supervisors` maps team id to the team's supervisor (a sergeant, who reviews and
    authorises). `years` of history (five unless a test wants less). Returns counts
    (nominals, by risk, ARMS, plans, visits, reviews...).

    Steps for each person: skip one whose record the team cannot work on (restricted
    without the supervisor); pick the risk level from the national mix, an offender
    manager and a start (most were already on the register five years ago); register
    with the notification requirements (re-notifications before the start recorded);
    then simulate: ARMS and its review, the plan and its reviews, visits at the plan's
    frequency with their reviews and authorisations, yearly ARMS and re-notifications,
    now and then intelligence, a breach or a release from custody.
    """
    gen = _Generator(rng, today, years)
    people = list(people)
    restricted = _restricted_names([p for p in people if p.is_restricted])
    for person in people:
        team_id = person.team_id
        team_managers = list(managers.get(team_id) or [])
        supervisor = supervisors.get(team_id)
        if not team_managers or supervisor is None:
            gen.counts["skipped"] += 1
            continue
        manager = team_managers[rng.randrange(len(team_managers))]
        if person.is_restricted and supervisor.pk not in restricted.get(person.pk, set()):
            gen.counts["skipped"] += 1
            continue
        level = rng.choices([r for r, _w in RISK_MIX], weights=[w for _r, w in RISK_MIX])[0]
        disposal = rng.choices(DISPOSALS, weights=[d[1] for d in DISPOSALS])[0]
        years = disposal[3]
        # The requirement must still run today: a fixed period started within it.
        earliest = gen.start - dt.timedelta(days=6 * 365)
        if years is not None:
            earliest = max(earliest, today - dt.timedelta(days=365 * years - 45))
        if rng.random() < 0.6:  # on the register before Vigil's history begins
            t0_day = gen.start + dt.timedelta(days=rng.randint(0, 60))
        else:
            t0_day = gen.start + dt.timedelta(days=rng.randint(60, max(61, 365 * gen.years - 15)))
        t0_day = max(t0_day, earliest)
        start = t0_day - dt.timedelta(days=rng.randint(0, max((t0_day - earliest).days, 0)))
        if (t0_day - start).days > 400 and rng.random() < 0.5:
            start = t0_day - dt.timedelta(days=rng.randint(0, 400))
        t0 = _moment(t0_day, rng)
        if t0 > gen.end:
            t0 = gen.end - dt.timedelta(hours=1)
        sim = _Nominal(
            gen=gen,
            person=person,
            team=person.team,
            manager=manager,
            colleagues=[m for m in team_managers if m.pk != manager.pk],
            supervisor=supervisor,
            level=level,
            rng=rng,
        )
        custody = rng.random() < 0.05
        with transaction.atomic():
            with clock.replay(t0):
                if person.is_restricted:
                    _name_on_restriction(person, supervisor, manager)
                sim.register(
                    t0,
                    NominalStatus.CUSTODY if custody else NominalStatus.ACTIVE,
                    disposal,
                    start,
                )
            if custody:
                if rng.random() < 0.5:
                    sim.release(t0 + dt.timedelta(days=rng.randint(60, 365 * gen.years)))
            else:
                trigger_days = rng.randint(30, 70) if rng.random() < 0.1 else rng.randint(2, 26)
                sim.schedule_arms(t0 + dt.timedelta(days=trigger_days), ArmsTrigger.INITIAL)
                sim.schedule_pnd(t0 + dt.timedelta(days=rng.randint(1, 40)))
            if rng.random() < 0.12:
                sim.intelligence(t0 + dt.timedelta(days=rng.randint(30, 365 * gen.years)))
            if rng.random() < 0.03:
                sim.breach(t0 + dt.timedelta(days=rng.randint(60, 365 * gen.years)))
            sim.run()
    return dict(sorted(gen.counts.items()))


def _restricted_names(people) -> dict[int, set[int]]:
    if not people:
        return {}
    from vigil.people.models import Person

    through = Person.restricted_to.through
    names: dict[int, set[int]] = {}
    for person_id, user_id in through.objects.filter(
        person_id__in=[p.pk for p in people]
    ).values_list("person_id", "user_id"):
        names.setdefault(person_id, set()).add(user_id)
    return names


def _name_on_restriction(person, supervisor, manager) -> None:
    """Name the offender manager on a restricted record (the supervisor is named)."""
    from vigil.people import services as people

    current = list(person.restricted_to.all())
    if any(u.pk == manager.pk for u in current):
        return
    people.person_restrict(
        actor=supervisor,
        person=person,
        users=[*current, manager],
        reason=person.restriction_reason or "Need to know",
    )


DIP_CHECK_NOTES = {
    "agree": [
        "Rationale sound: the risk was weighed and the decision recorded in time.",
        "Agree: a single-officer visit was proportionate for this nominal.",
    ],
    "disagree": [
        "The rationale does not say why a second officer could not attend.",
    ],
}


def generate_dip_checks(*, rng: random.Random, today: dt.date) -> Counter:
    """The monthly dip-checks of visit authorisations (point O) over the history: each
    month sampled on the first working morning of the next (the policy share, through
    `dip_check_sample`), and each check recorded by its reviewer within three weeks —
    a few late, a few never (some of those are open today). Run after the nominals'
    histories, so that every month's authorisations exist when it is sampled."""
    from vigil.offenders.models import VisitAuthorisation

    counts: Counter = Counter()
    first = VisitAuthorisation.objects.order_by("authorised_at").values_list(
        "authorised_at", flat=True
    )[:1]
    if not first:
        return counts
    month = timezone.localdate(first[0]).replace(day=1)
    this_month = today.replace(day=1)
    end = clock.now()  # nothing after the present
    while month < this_month:
        sampled_on = add_months(month, 1)
        sampled_at = _moment(sampled_on, rng, start=8, end=9)
        if sampled_at > end:
            break
        with clock.replay(sampled_at):
            checks = services.dip_check_sample(month=month)
        counts["dip_checks"] += len(checks)
        for check in checks:
            if rng.random() < 0.06:
                continue  # never recorded
            late = rng.random() < 0.1
            day = sampled_on + dt.timedelta(
                days=rng.randint(35, 60) if late else rng.randint(1, 21)
            )
            outcome = "disagree" if rng.random() < 0.08 else "agree"
            at = _moment(day, rng)
            if at > end:
                continue
            with clock.replay(at):
                services.dip_check_record(
                    actor=check.reviewer,
                    dip_check=check,
                    outcome=outcome,
                    note=rng.choice(DIP_CHECK_NOTES[outcome]),
                )
            counts["dip_checks_recorded"] += 1
        month = add_months(month, 1)
    return counts
