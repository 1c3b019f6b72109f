"""`vigil duties check`: compare the open duties with what domain state says should be open."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from vigil.core import clock
from vigil.duties.models import Duty
from vigil.duties.registry import all_kinds

MISSING = "missing"
UNEXPECTED = "unexpected"


@dataclass(frozen=True, order=True)
class Difference:
    kind: str
    subject_type: str
    subject_id: str
    problem: str  # MISSING: should be open and is not; UNEXPECTED: open and should not be


def duties_check(
    *, now: dt.datetime | None = None, kinds: list[str] | None = None
) -> list[Difference]:
    """Every difference between the expected and the open duties, sorted.

    Steps: take the declared kinds that can say what they expect (optionally only those
    named); read the open duties of those kinds in one query; for each kind, ask its
    `expected(now)` for the subjects that should have an open duty; report subjects
    expected but not open (missing) and open but not expected (unexpected).
    """
    now = now or clock.now()
    checked = [
        k for k in all_kinds() if k.expected is not None and (kinds is None or k.code in kinds)
    ]
    if not checked:
        return []
    open_now: dict[str, set[tuple[str, str]]] = defaultdict(set)
    rows = Duty.objects.filter(
        completed_at__isnull=True, kind__in=[k.code for k in checked]
    ).values_list("kind", "subject_type", "subject_id")
    for kind, subject_type, subject_id in rows.iterator(chunk_size=5000):
        open_now[kind].add((subject_type, str(subject_id)))
    differences = []
    for kind in checked:
        expected = {(t, str(uuid.UUID(str(i)))) for t, i in kind.expected(now)}
        actual = open_now[kind.code]
        differences += [Difference(kind.code, t, i, MISSING) for t, i in expected - actual]
        differences += [Difference(kind.code, t, i, UNEXPECTED) for t, i in actual - expected]
    return sorted(differences)
