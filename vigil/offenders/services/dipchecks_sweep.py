"""The monthly dip-check sample, drawn by `vigil sweep` (a sweep job registered in
`OffendersConfig.ready`): on the first pass after a month has ended, the month's visit
authorisations are sampled (`dip_check_sample`, idempotent per month). The management
command `offenders_dip_check` stays for a month the sweep did not see (a new
installation, or a month to draw again by hand)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from vigil.offenders.models import DipCheck
from vigil.offenders.services.visits import dip_check_sample


def previous_month(now: dt.datetime) -> dt.date:
    """The first day of the month before `now`'s (Europe/London)."""
    today = timezone.localdate(now)
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def dip_check_sweep(*, now: dt.datetime) -> int:
    """Draw last month's sample if it has not been drawn; returns how many checks were
    assigned on this pass (0 when the month was already sampled, or had no
    authorisations). Safe when two sweeps run at once: one authorisation has at most one
    check (a unique key), so the pass that loses the race draws nothing."""
    month = previous_month(now)
    if DipCheck.objects.filter(month=month).exists():
        return 0
    try:
        with transaction.atomic():
            return len(dip_check_sample(month=month))
    except IntegrityError:
        return 0
