"""Writes for investigations. (Opened from a referral's allocation.)"""

from __future__ import annotations

from django.db import transaction

from vigil import audit
from vigil.core import clock
from vigil.investigations.choices import State
from vigil.investigations.models import Investigation, Transition


@transaction.atomic
def investigation_open(*, actor, referral, allocated_team, allocated_officer=None) -> Investigation:
    """Open the investigation of a referral's suspect when the referral is allocated.

    The referral's receiving team owns it; `allocated_team` may be another unit. Opening an
    investigation that already exists for the referral returns it unchanged.
    """
    existing = Investigation.objects.filter(referral=referral).first()
    if existing is not None:
        return existing
    now = clock.now()
    investigation = Investigation.objects.create(
        referral=referral,
        suspect=referral.suspect,
        owning_team=referral.team,
        allocated_team=allocated_team,
        allocated_officer=allocated_officer,
        state=State.RESEARCH,
        opened_at=now,
    )
    Transition.objects.create(
        investigation=investigation, from_state="", to_state=State.RESEARCH, actor=actor, at=now
    )
    audit.record(
        actor,
        "investigation.open",
        investigation,
        person=referral.suspect,
        changes={"referral": str(referral.uuid), "allocated_team": str(allocated_team.uuid)},
    )
    return investigation
