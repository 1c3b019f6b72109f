"""`vigil duties check`: compare the open duties with what domain state says should be open,
and find open duties whose assignee can no longer do them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from vigil.accounts.choices import Scope
from vigil.accounts.models import Membership
from vigil.core import clock
from vigil.duties.models import Duty
from vigil.duties.registry import all_kinds

MISSING = "missing"
UNEXPECTED = "unexpected"
ASSIGNEE_INACTIVE = "assignee_inactive"
ASSIGNEE_NOT_IN_TEAM = "assignee_not_in_team"


@dataclass(frozen=True, order=True)
class Difference:
    kind: str
    subject_type: str
    subject_id: str
    # MISSING: should be open and is not; UNEXPECTED: open and should not be;
    # ASSIGNEE_INACTIVE: open, assigned to a deactivated user; ASSIGNEE_NOT_IN_TEAM: open,
    # assigned to a user with no membership reaching the duty's team.
    problem: str
    duty_id: str = ""  # the open duty's UUID, for the assignee problems


def _assignee_differences(kinds: list[str] | None) -> list[Difference]:
    """Open duties whose assignee is inactive or no longer reaches the duty's team (a
    membership in it, or force-wide in its force), in one query."""
    member = Membership.objects.filter(user_id=OuterRef("assignee_id")).filter(
        Q(team_id=OuterRef("team_id"))
        | Q(scope=Scope.FORCE, team__force_id=OuterRef("team__force_id"))
    )
    rows = Duty.objects.filter(completed_at__isnull=True, assignee__isnull=False)
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    rows = (
        rows.annotate(member=Exists(member))
        .filter(Q(assignee__is_active=False) | Q(member=False))
        .values_list("kind", "subject_type", "subject_id", "uuid", "assignee__is_active")
    )
    return [
        Difference(
            kind,
            subject_type,
            str(subject_id),
            ASSIGNEE_NOT_IN_TEAM if active else ASSIGNEE_INACTIVE,
            str(duty_id),
        )
        for kind, subject_type, subject_id, duty_id, active in rows.iterator(chunk_size=5000)
    ]


def duties_check(
    *, now: dt.datetime | None = None, kinds: list[str] | None = None
) -> list[Difference]:
    """Every difference between the expected and the open duties, sorted.

    Steps: take the declared kinds that can say what they expect (optionally only those
    named); read the open duties of those kinds in one query; for each kind, ask its
    `expected(now)` for the subjects that should have an open duty; report subjects
    expected but not open (missing) and open but not expected (unexpected). Then, for
    open duties of every kind (or those named), report those assigned to an inactive user
    or to a user who no longer reaches the duty's team (one query).
    """
    now = now or clock.now()
    checked = [
        k for k in all_kinds() if k.expected is not None and (kinds is None or k.code in kinds)
    ]
    differences = _assignee_differences(kinds)
    if not checked:
        return sorted(differences)
    open_now: dict[str, set[tuple[str, str]]] = defaultdict(set)
    rows = Duty.objects.filter(
        completed_at__isnull=True, kind__in=[k.code for k in checked]
    ).values_list("kind", "subject_type", "subject_id")
    for kind, subject_type, subject_id in rows.iterator(chunk_size=5000):
        open_now[kind].add((subject_type, str(subject_id)))
    for kind in checked:
        expected = {(t, str(uuid.UUID(str(i)))) for t, i in kind.expected(now)}
        actual = open_now[kind.code]
        differences += [Difference(kind.code, t, i, MISSING) for t, i in expected - actual]
        differences += [Difference(kind.code, t, i, UNEXPECTED) for t, i in actual - expected]
    return sorted(differences)
