"""Building investigations for the tests: a referral made directly (the referrals services
are written separately), then opened through `investigation_open` as allocation does."""

from __future__ import annotations

import itertools

from vigil.accounts.choices import Rank, Role
from vigil.core import clock
from vigil.core.testing import make_user
from vigil.investigations import services
from vigil.people import services as people
from vigil.referrals.models import Referral

_n = itertools.count(1)

LOW = {
    "previous_sexual_convictions": "none",
    "previous_contact_offence": "no",
    "previous_indecent_images": "no",
    "previous_breaches": "no",
    "lives_with_children": "no",
    "access_through_work": "no",
    "unsupervised_contact": "none",
    "grooming": "no",
    "incitement": "no",
    "producing_images": "no",
    "sexual_communication": "no",
    "other_convictions": "no",
    "domestic_abuse": "no",
    "substance_misuse": "no",
}
# 4 + 4 + 4 + 4 = 16 points: high.
HIGH = {
    **LOW,
    "lives_with_children": "yes",
    "grooming": "yes",
    "incitement": "yes",
    "producing_images": "yes",
}
# 8 points: medium.
MEDIUM = {**LOW, "lives_with_children": "yes", "grooming": "yes"}


def make_referral(team, *, actor=None, risk_band="medium"):
    actor = actor or make_user(Role.SUPERVISOR, team)
    n = next(_n)
    suspect = people.person_create(
        actor=actor,
        team=team,
        given_name=f"Suspect{n}",
        family_name="Test",
        confirm_not_duplicate=True,
    )
    return Referral.objects.create(
        force=team.force,
        team=team,
        source="nca_ceop",
        source_reference=f"NCA-INV-{n:06d}",
        received_at=clock.now(),
        summary="Synthetic referral for tests.",
        suspect=suspect,
        risk_band=risk_band,
        priority=risk_band,
    )


def make_investigation(team, *, allocated_team=None, officer=None, actor=None, risk_band="medium"):
    """An investigation owned by `team`, allocated to `allocated_team` (default: itself)."""
    actor = actor or make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
    referral = make_referral(team, actor=actor, risk_band=risk_band)
    return services.investigation_open(
        actor=actor,
        referral=referral,
        allocated_team=allocated_team or team,
        allocated_officer=officer,
    )


def reassess(investigation, actor, answers=None, trigger="new_intelligence"):
    return services.investigation_reassess(
        actor=actor, investigation=investigation, trigger=trigger, answers=answers or LOW
    )


def to_post_arrest(investigation, officer):
    """Reassess, arrest (welfare considered) and record the arrest carried out."""
    from vigil.investigations.choices import DecisionKind, State

    reassess(investigation, officer)
    services.enforcement_decision_record(
        actor=officer,
        investigation=investigation,
        kind=DecisionKind.ARREST,
        rationale="Access to children; devices to seize.",
        welfare_assessment="no_indication",
    )
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.POST_ARREST
    )
    return investigation


CONDITIONS = ["No unsupervised contact with children under 18.", "Live at the bail address."]


def bail(investigation, custody_officer, *, conditions=None, views="Mother of the child agrees."):
    """Pre-charge bail from post-arrest; returns the Bail."""
    from vigil.investigations.choices import DecisionKind

    conditions = CONDITIONS if conditions is None else conditions
    decision = services.enforcement_decision_record(
        actor=custody_officer,
        investigation=investigation,
        kind=DecisionKind.PRE_CHARGE_BAIL,
        rationale="Conditions needed to protect children.",
        bail_conditions=conditions,
        victim_views=views if conditions else "",
    )
    return decision.bail
