"""Reading a force's own records for the stock-and-flow model: counts, never a person.

One query for the nominals (their registration date, the end of their notification, an
early exit, the risk level) and one for the establishment. The offenders app's tables
are read, never written.
"""

from __future__ import annotations

from django.db.models import Exists, Max, Min, OuterRef

from vigil.accounts.choices import Role, TeamKind
from vigil.accounts.models import Membership
from vigil.demand.stockflow import Record
from vigil.offenders.choices import NominalStatus
from vigil.offenders.models import Nominal, NotificationRequirement


def force_records(force_id: int) -> list[Record]:
    """The force's nominals as stock-and-flow records.

    Registered on: the earliest requirement's start date, else the day the nominal was
    recorded. Ends on: the latest requirement's end date, or None when any requirement is
    indefinite or none is recorded. Left on: for a nominal no longer subject to
    notification before its end date, the day that was last recorded on the nominal."""
    requirements = NotificationRequirement.objects.filter(nominal_id=OuterRef("pk"))
    indefinite = requirements.filter(period_months__isnull=True)
    rows = (
        Nominal.objects.filter(team__force_id=force_id)
        .annotate(
            first_start=Min("requirements__start_date"),
            last_end=Max("requirements__end_date"),
            has_indefinite=Exists(indefinite),
            has_any=Exists(requirements),
        )
        .values_list(
            "created_at",
            "updated_at",
            "status",
            "risk_level",
            "first_start",
            "last_end",
            "has_indefinite",
            "has_any",
        )
        .order_by()
    )
    out = []
    for created, updated, status, risk, first_start, last_end, indef, has_any in rows:
        registered = first_start or created.date()
        ends = None if indef or not has_any else last_end
        left = None
        if status == NominalStatus.NO_LONGER_SUBJECT:
            changed = updated.date()
            if ends is None or changed < ends:
                left = changed
        out.append(Record(registered, ends, left, risk or ""))
    return out


def establishment(force_id: int) -> dict[str, int]:
    """Offender managers and supervisors in post now: active users holding the officer or
    supervisor role on one of the force's MOSOVO teams."""
    base = Membership.objects.filter(
        team__force_id=force_id, team__kind=TeamKind.MOSOVO, user__is_active=True
    )
    return {
        "officers": base.filter(role=Role.OFFICER).values("user_id").distinct().count(),
        "supervisors": base.filter(role=Role.SUPERVISOR).values("user_id").distinct().count(),
    }
