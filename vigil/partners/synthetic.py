"""Synthetic partnership history for the demo force: a probation region (Wales) with its
practitioners (the demo probation account among them), the agreement and a second version
of its terms, five years of requests both ways with realistic lateness, and its quarterly
reviews. Everything is written through the services under `clock.replay(moment)`, so each
row, duty and audit event carries the moment it happened in the story."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from vigil.accounts import services as accounts
from vigil.accounts.choices import Rank, Role
from vigil.accounts.models import Membership, Team, User
from vigil.core import clock
from vigil.core.calendar import add_working_days
from vigil.partners.choices import Direction, RequestKind
from vigil.partners.services import agreements, requests, reviews

YEARS = 5
PER_WEEK = {Direction.TO_PROBATION: 1.6, Direction.TO_POLICE: 1.2}
# Of the requests answered: the share answered in time, and declined, each way.
IN_TIME = {Direction.TO_PROBATION: 0.78, Direction.TO_POLICE: 0.86}
DECLINED = 0.06
KIND_WEIGHTS = {
    RequestKind.INFORMATION: 30,
    RequestKind.RISK_UPDATE: 20,
    RequestKind.JOINT_VISIT: 12,
    RequestKind.MAPPA_REFERRAL: 6,
    RequestKind.MAPPA_ACTION: 10,
    RequestKind.CIRCUMSTANCES: 12,
    RequestKind.BREACH_RECALL: 6,
    RequestKind.OTHER: 4,
}
ASKS = {
    RequestKind.INFORMATION: "Please confirm the current address and any licence conditions.",
    RequestKind.RISK_UPDATE: "Please share the latest OASys risk of serious harm summary.",
    RequestKind.JOINT_VISIT: "Can we arrange a joint home visit in the next fortnight?",
    RequestKind.MAPPA_REFERRAL: "Referral for MAPPA level 2 management: new concerns.",
    RequestKind.MAPPA_ACTION: "Action from the MAPPA meeting: update on the exclusion zone.",
    RequestKind.CIRCUMSTANCES: "New relationship reported with a woman who has two children.",
    RequestKind.BREACH_RECALL: "Possible breach of licence: please share what you hold.",
    RequestKind.OTHER: "Please call to discuss the accommodation plan.",
}
ANSWERS = [
    "Information shared as asked; details are in the case record.",
    "Visit arranged for the date proposed.",
    "Risk summary attached to the case record; no change in level.",
    "Confirmed: no change since the last review.",
]
DECLINES = [
    "Not ours to share: please ask the managing organisation.",
    "Duplicate of an earlier request that has been answered.",
]
PRACTITIONERS = [("Sian", "Pugh"), ("Dylan", "Jenkins"), ("Lowri", "Evans")]


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    naive = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59)))
    return timezone.make_aware(naive, timezone.get_default_timezone()).astimezone(dt.UTC)


def _practitioners(admin, region, *, domain: str, password_hash: str) -> list[User]:
    """The demo probation account (if there is one) and three more, in the region's team."""
    users = []
    demo = User.objects.filter(email=f"probation@{domain}").first()
    if demo is not None:
        users.append(demo)
    for given, family in PRACTITIONERS:
        email = f"{given.lower()}.{family.lower()}.probation@{domain}"
        user = User.objects.filter(email=email).first() or accounts.user_create(
            actor=admin,
            email=email,
            full_name=f"{given} {family}",
            password=None,
            rank=Rank.EXTERNAL,
            validate=False,
        )
        User.objects.filter(pk=user.pk).update(password=password_hash)
        users.append(user)
    for user in users:
        accounts.membership_add(actor=admin, user=user, team=region.team, role=Role.PROBATION)
    return users


def _officers(teams: list[Team]) -> dict[int, list[User]]:
    staff: dict[int, list[User]] = {t.pk: [] for t in teams}
    for m in Membership.objects.filter(team__in=teams, role=Role.OFFICER).select_related("user"):
        staff[m.team_id].append(m.user)
    return staff


def generate_partnership(
    *,
    admin,
    force,
    teams: dict[str, Team],
    rng: random.Random,
    today: dt.date,
    domain: str,
    password_hash: str,
) -> dict:
    """The force's partnership with Probation in Wales over the last five years.

    Steps: five years ago, the region, its practitioners and the agreement (owned by the
    MOSOVO manager and the demo probation account); two years ago, a second version with
    quicker information requests; each week, requests each way about the force's
    nominals as they were then, answered in time or late, some declined, most rated;
    the last fortnight's partly still open; a review each quarter."""
    from vigil.offenders.models import Nominal

    start = today - dt.timedelta(days=365 * YEARS)
    mosovo = [teams["mosovo_1"], teams["mosovo_2"]]
    with clock.replay(_moment(start, rng)), transaction.atomic():
        region = agreements.region_create(actor=admin, force=force, name="Wales", name_cy="Cymru")
        practitioners = _practitioners(admin, region, domain=domain, password_hash=password_hash)
        owner = (
            Membership.objects.filter(team__in=mosovo, role=Role.MANAGER)
            .select_related("user")
            .order_by("id")
            .first()
        )
        police_owner = owner.user if owner else _officers(mosovo)[mosovo[0].pk][0]
        agreement = agreements.agreement_create(
            actor=admin,
            region=region,
            police_owner=police_owner,
            probation_owner=practitioners[0],
            started_on=start,
        )
    second = today - dt.timedelta(days=365 * 2)
    with clock.replay(_moment(second - dt.timedelta(days=14), rng)):
        terms = agreements.default_terms()
        for term in terms:
            if term["kind"] == RequestKind.INFORMATION:
                term["amount"] = 7
        agreements.version_create(
            actor=admin,
            agreement=agreement,
            effective_from=second,
            notes="Information requests answered within seven working days.",
            terms=terms,
        )
    nominals = list(
        Nominal.objects.filter(team__in=mosovo, person__is_restricted=False)
        .select_related("person", "offender_manager")
        .order_by("created_at", "id")
    )
    officers = _officers(mosovo)
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    counts = {"requests": 0, "late": 0, "open": 0, "reviews": 0, "escalations": 0}
    week = start + dt.timedelta(days=7)
    while week < today:
        for direction, base in PER_WEEK.items():
            # As many as a force of 175 nominals makes, in proportion (a tenth a week at least).
            rate = max(0.1, base * len(nominals) / 175)
            n = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
            for _ in range(n):
                day = week + dt.timedelta(days=rng.randint(0, 4))
                if day >= today:
                    continue
                raised_at = _moment(day, rng)
                to_probation = direction == Direction.TO_PROBATION
                # Probation asks about nominals still managed (the register shares those).
                known = [
                    x
                    for x in nominals
                    if x.created_at <= raised_at and (to_probation or x.status == "active")
                ]
                if not known:
                    continue
                nominal = rng.choice(known)
                staff = officers.get(nominal.team_id) or []
                police = nominal.offender_manager or (rng.choice(staff) if staff else None)
                if police is None:
                    continue
                raiser = police if to_probation else rng.choice(practitioners)
                answerer = rng.choice(practitioners) if to_probation else police
                _one(
                    rng,
                    agreement,
                    nominal,
                    raiser,
                    answerer,
                    direction,
                    rng.choices(kinds, weights)[0],
                    raised_at,
                    today,
                    counts,
                )
        week += dt.timedelta(days=7)
    counts["reviews"] = _reviews(rng, agreement, practitioners[0], police_owner, start, today)
    return counts


def _one(rng, agreement, nominal, raiser, answerer, direction, kind, raised_at, today, counts):
    """One request and its story: acknowledged or not, answered in time or late (or still
    open when recent), sometimes declined, often rated."""
    urgent = rng.random() < 0.08
    with clock.replay(raised_at):
        request = requests.request_raise(
            actor=raiser,
            agreement=agreement,
            kind=kind,
            register_reference=nominal.person.register_reference,
            details=ASKS[kind],
            urgent=urgent,
        )
    counts["requests"] += 1
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(7, 0))).astimezone(dt.UTC)
    allowed = request.due_at - raised_at
    if rng.random() < IN_TIME[direction]:
        answered = raised_at + allowed * rng.uniform(0.15, 0.95)
    else:
        late_days = rng.choice([1, 1, 2, 3, 5, 8, 12])
        due_day = timezone.localdate(request.due_at)
        answered = _moment(add_working_days(due_day, late_days), rng)
        if answered <= request.due_at:
            answered = request.due_at + dt.timedelta(hours=late_days * 6)
    counts["escalations"] += _escalate_as_the_sweep_did(request, until=min(answered, now))
    if answered >= now:
        counts["open"] += 1
        return
    if answered > request.due_at:
        counts["late"] += 1
    if rng.random() < 0.6:
        with clock.replay(raised_at + (answered - raised_at) * 0.3):
            requests.request_acknowledge(actor=answerer, request=request)
    with clock.replay(answered):
        if rng.random() < DECLINED:
            requests.request_decline(actor=answerer, request=request, reason=rng.choice(DECLINES))
        else:
            requests.request_respond(actor=answerer, request=request, response=rng.choice(ANSWERS))
    rated_at = answered + dt.timedelta(hours=rng.randint(2, 72))
    if rng.random() < 0.55 and rated_at < now:
        with clock.replay(rated_at):
            late = answered > request.due_at
            requests.request_rate(
                actor=raiser,
                request=request,
                rating=rng.choice([2, 3, 3]) if late else rng.choice([3, 4, 4, 5]),
                feedback="Later than agreed." if late and rng.random() < 0.5 else "",
            )


SWEEP_AT = dt.time(6, 0)  # the daily sweep's run, in London


def _escalate_as_the_sweep_did(request, *, until: dt.datetime) -> int:
    """The escalations the daily sweep made of the request's duty while it was late and
    not yet answered (before `until`): to the supervisors on the day the kind's supervisor
    threshold was passed, to the managers (and the agreement's owner on the answering side)
    on the day the manager threshold was, each at the sweep's hour and with the thresholds
    in force then. Recorded as the sweep records them: the escalation (naming the first of
    those the sweep would tell), the duty's level, the audit event; no notification or
    e-mail (years-old news would fill today's inboxes). Returns how many."""
    from vigil import audit
    from vigil.accounts.choices import Role
    from vigil.core.policy_registry import policy_value
    from vigil.duties.choices import EscalationLevel
    from vigil.duties.models import Duty, Escalation
    from vigil.duties.registry import get_kind
    from vigil.duties.services import _recipients
    from vigil.partners import duty_kinds

    if until <= request.due_at:
        return 0
    duty = (
        Duty.objects.filter(kind=duty_kinds.REQUEST, subject_id=request.uuid)
        .select_related("team", "person", "assignee")
        .order_by("-id")
        .first()
    )
    if duty is None:
        return 0
    kind = get_kind(duty_kinds.REQUEST)
    due_day = timezone.localdate(request.due_at)
    made = 0
    for level, key, role in (
        (EscalationLevel.SUPERVISOR, kind.supervisor_days_key, Role.SUPERVISOR),
        (EscalationLevel.MANAGER, kind.manager_days_key, Role.MANAGER),
    ):
        days = max(int(policy_value(key, at=request.due_at)), 1)
        moment = timezone.make_aware(
            dt.datetime.combine(due_day + dt.timedelta(days=days), SWEEP_AT)
        ).astimezone(dt.UTC)
        if moment >= until:
            break
        with clock.replay(moment):
            told = _recipients([duty], role)[duty.team_id]
            if not told and level == EscalationLevel.MANAGER:
                told = _recipients([duty], Role.SUPERVISOR)[duty.team_id]
            Escalation.objects.create(
                duty=duty, level=level, escalated_at=moment, notified=(told or [None])[0]
            )
            before = duty.escalation_level
            Duty.objects.filter(pk=duty.pk).update(escalation_level=level, updated_at=moment)
            duty.escalation_level = level
            audit.record(
                None,
                "duty.escalate",
                duty,
                changes={"escalation_level": [before, level], "notified": [u.email for u in told]},
                person=duty.person,
            )
        made += 1
    return made


def _reviews(rng, agreement, probation_owner, police_owner, start: dt.date, today: dt.date) -> int:
    """A review each quarter after the start, alternately recorded by each owner."""
    done = 0
    held = start + dt.timedelta(days=91)
    period_start = start
    while held < today:
        recorder = probation_owner if done % 2 else police_owner
        with clock.replay(_moment(held, rng)):
            reviews.review_record(
                actor=recorder,
                agreement=agreement,
                held_on=held,
                period_start=period_start,
                period_end=held - dt.timedelta(days=1),
                police_notes="Information requests mostly in time; joint visits slower.",
                probation_notes="Breach information from the police arrived promptly.",
                actions=rng.choice(
                    [
                        "Name a single contact for joint visits in each area.",
                        "Chase overdue risk updates weekly at the MAPPA meeting.",
                        "No new actions: keep to the agreed times.",
                    ]
                ),
            )
        done += 1
        period_start = held
        held += dt.timedelta(days=91)
    return done
