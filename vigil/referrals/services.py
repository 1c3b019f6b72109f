"""Writes for referrals: every change through here, audited with its duties."""

from __future__ import annotations

from django.db import transaction

from vigil import audit
from vigil.core import clock
from vigil.referrals.models import Referral


@transaction.atomic
def referral_mark_actioned(*, actor, referral: Referral, at=None, note: str = "") -> Referral:
    """Record the referral's first action (point A: actioned within the priority's target).

    Called by the investigation when its first action or enforcement decision is recorded.
    Only the first action counts: later calls change nothing.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.actioned_at is not None:
        return referral
    referral.actioned_at = at or clock.now()
    referral.save(update_fields=["actioned_at", "updated_at"])
    audit.record(
        actor,
        "referral.actioned",
        referral,
        person=referral.suspect,
        changes={"actioned_at": referral.actioned_at.isoformat(), "note": note},
    )
    return referral
