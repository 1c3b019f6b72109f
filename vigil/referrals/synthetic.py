"""Synthetic referrals: years of realistic intake written through the ordinary services.

Each referral is replayed at the moments its steps happened (`clock.replay`), so audit
events, duties and targets carry real historic dates. Imperfections are deliberate: some
referrals are assessed late, some targets are missed, a few are still awaiting assessment
today, some are closed or linked to an earlier referral.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from vigil.core import clock
from vigil.instruments import engine
from vigil.people.models import Person
from vigil.referrals import services
from vigil.referrals.choices import Source, Status
from vigil.synthetic import draw, names

SOURCES = [
    (Source.NCA_CEOP, 76),
    (Source.OTHER_FORCE, 8),
    (Source.INTERNAL, 7),
    (Source.OTHER_AGENCY, 5),
    (Source.PUBLIC, 4),
]
PLATFORMS = ["Snapchat", "Instagram", "Kik", "Discord", "TikTok", "WhatsApp", "Telegram"]
SUMMARIES = [
    "Platform report of uploads of indecent images of children.",
    "Chat logs suggest sexual communication with a child.",
    "IP address linked to downloads of indecent images.",
    "Account shared indecent images in a group chat.",
    "Report from a parent about messages to their child.",
    "Intelligence of a user asking children for images.",
]


def _answers(rng: random.Random, definition) -> dict[str, str]:
    """Answers mostly of the lowest option, so that bands come out mostly low and medium."""
    answers = {}
    risky = rng.random() < 0.25
    for question in definition.questions:
        options = question.options
        weights = [6 if i == 0 else (3 if risky else 1) for i in range(len(options))]
        answers[question.id] = rng.choices(options, weights=weights)[0].id
    return answers


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    hour = rng.choices([rng.randint(8, 17), rng.randint(0, 23)], weights=[85, 15])[0]
    naive = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def generate_referrals(
    *,
    rng: random.Random,
    force,
    polit_team,
    other_teams,
    officers,
    supervisors,
    today: dt.date,
    per_week: float,
    years: int = 5,
    growth: float = 0.08,
) -> dict[str, int]:
    """Generate `years` of referrals for `polit_team`, about `per_week` a week now and
    `growth` fewer each year further back. Returns counts by outcome.

    Steps for each referral, each at its own moment and stopping at the present: receive
    (a new suspect through the people services, a registered offender now and then, a few
    linked to an earlier referral); close a few unassessed; assess (usually within a
    working day, sometimes days late); grade (occasionally overridden, then signed off);
    allocate (sometimes outside POLIT); first action before or after the target.
    """
    definition = engine.registry().latest(services.INSTRUMENT_CODE)
    officers = list(officers)
    supervisors = list(supervisors)
    allocation_teams = [polit_team, *other_teams]
    offenders = list(
        Person.objects.filter(force=force, is_restricted=False)
        .exclude(register_reference="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = clock.now()
    start = today - dt.timedelta(days=365 * years)
    counts: Counter = Counter()
    earlier: list = []
    serial = 0
    week_start = start
    while week_start <= today:
        years_ago = (today - week_start).days / 365
        # per_week is the average over the period: fewer in early years, more lately.
        mean = per_week * (1 + growth) ** (years / 2 - years_ago)
        with transaction.atomic():
            for _ in range(draw.poisson(rng, mean)):
                day = week_start + dt.timedelta(days=rng.randint(0, 6))
                if day > today:
                    continue
                received = _moment(day, rng)
                if received > now:
                    continue
                serial += 1
                outcome = _one(
                    rng=rng,
                    serial=serial,
                    force=force,
                    polit_team=polit_team,
                    allocation_teams=allocation_teams,
                    officers=officers,
                    supervisors=supervisors,
                    offenders=offenders,
                    earlier=earlier,
                    received=received,
                    now=now,
                    definition=definition,
                )
                counts["referrals"] += 1
                counts[outcome] += 1
        week_start += dt.timedelta(days=7)
    return dict(counts)


def _one(
    *,
    rng,
    serial,
    force,
    polit_team,
    allocation_teams,
    officers,
    supervisors,
    offenders,
    earlier,
    received,
    now,
    definition,
) -> str:
    officer = rng.choice(officers)
    source = rng.choices([s for s, _w in SOURCES], weights=[w for _s, w in SOURCES])[0]
    reference = (
        f"NCA-{received:%Y%m}-{serial:06d}"
        if source == Source.NCA_CEOP
        else (f"REF-{serial:06d}" if rng.random() < 0.6 else "")
    )
    kwargs = {
        "actor": officer,
        "team": polit_team,
        "source": source,
        "source_reference": reference,
        "summary": rng.choice(SUMMARIES),
        "suspect_age": rng.choices(["adult", "child", "unknown"], weights=[82, 10, 8])[0],
        "confirm_not_duplicate": True,
    }
    given = rng.choice(names.GIVEN_MALE if rng.random() < 0.9 else names.GIVEN_FEMALE)
    if rng.random() < 0.7:
        kwargs["identifiers"] = [
            (
                "username",
                f"{given.lower()}{rng.randint(10, 99999)}",
                rng.choice(PLATFORMS),
            )
        ]
    if rng.random() < 0.15:
        kwargs["children"] = [
            {
                "status": rng.choice(["identified", "believed_at_risk"]),
                "description": f"Child {rng.choice('ABCDEFGHJK')}",
                "approximate_age": rng.randint(4, 16),
            }
        ]
    if source == Source.NCA_CEOP:
        kwargs["material"] = [
            {
                "description": "Referral package from the NCA",
                "item_count": rng.randint(1, 400),
                "category": rng.choice(["A", "B", "C"]),
                "held_at": "NCA",
            }
        ]
    link = earlier and rng.random() < 0.02
    if link:
        kwargs["link_to"] = rng.choice(earlier[-200:])
    elif offenders and rng.random() < 0.03:
        kwargs["suspect"] = Person.objects.get(pk=rng.choice(offenders))
    elif rng.random() < 0.97:
        kwargs["new_suspect"] = {
            "given_name": given,
            "family_name": rng.choice(names.FAMILY),
            "date_of_birth": received.date() - dt.timedelta(days=rng.randint(15 * 365, 70 * 365)),
            "gender": "male",
        }
    with clock.replay(received):
        kwargs["received_at"] = received
        referral = services.referral_receive(**kwargs)
    if link:
        return "linked"
    earlier.append(referral)

    def at(moment):
        return moment if moment <= now else None

    # A few are closed before assessment (no UK connection, no offence disclosed).
    if rng.random() < 0.03:
        moment = at(received + dt.timedelta(hours=rng.randint(2, 30)))
        if moment is None:
            return "awaiting_assessment"
        with clock.replay(moment):
            services.referral_close(
                actor=officer, referral=referral, reason="No offence disclosed on research."
            )
        return "closed"
    late = rng.random() < 0.1
    delay = dt.timedelta(hours=rng.randint(50, 150) if late else rng.randint(1, 20))
    assessed = at(received + delay)
    if assessed is None:
        return "awaiting_assessment"
    with clock.replay(assessed):
        services.referral_assess(
            actor=officer, referral=referral, answers=_answers(rng, definition)
        )
    graded_at = assessed + dt.timedelta(minutes=rng.randint(5, 90))
    if at(graded_at) is None:
        return "awaiting_grading"
    override = rng.random() < 0.05
    with clock.replay(graded_at):
        referral = services.referral_grade(
            actor=officer,
            referral=referral,
            child_in_household=rng.random() < 0.2,
            position_of_trust=rng.random() < 0.05,
            live_or_contact_abuse=rng.random() < 0.05,
            override_priority="very_high" if override else "",
            override_rationale="Further intelligence of contact offending." if override else "",
        )
    if referral.status == Status.AWAITING_SIGN_OFF:
        signed = at(graded_at + dt.timedelta(hours=rng.randint(1, 30)))
        if signed is None:
            return "awaiting_sign_off"
        signer = rng.choice([s for s in supervisors if s.pk != officer.pk] or supervisors)
        with clock.replay(signed):
            services.referral_sign_off(actor=signer, referral=referral)
    if referral.suspect_id is None:
        closed = at(graded_at + dt.timedelta(days=rng.randint(1, 10)))
        if closed is None:
            return "awaiting_allocation"
        with clock.replay(closed):
            services.referral_close(
                actor=officer, referral=referral, reason="The suspect could not be identified."
            )
        return "closed"
    span = referral.target_at - graded_at
    allocated = at(graded_at + span * rng.uniform(0.05, 0.5))
    if allocated is None:
        return "awaiting_allocation"
    team = polit_team if rng.random() < 0.8 else rng.choice(allocation_teams)
    officer_in_team = rng.choice(officers) if team.pk == polit_team.pk else None
    with clock.replay(allocated):
        services.referral_allocate(
            actor=rng.choice(supervisors), referral=referral, team=team, officer=officer_in_team
        )
    missed = rng.random() < 0.12
    actioned = (
        referral.target_at + dt.timedelta(hours=rng.randint(2, 24 * 20))
        if missed
        else allocated + (referral.target_at - allocated) * rng.uniform(0.1, 0.95)
    )
    if at(actioned) is None:
        return "allocated"
    with clock.replay(actioned):
        services.referral_mark_actioned(
            actor=officer_in_team or officer, referral=referral, note="First action"
        )
    return "actioned_late" if missed else "actioned"
