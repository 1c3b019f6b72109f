"""Reads of the assurance module: the register, the evidence as of a date, the machine-
readable document, trends from snapshots and the drill-down to the gap records.

Everything here but `gap_rows` is aggregate (no personal data). Figures are per force
(`scope_for`): a user reads their own force's (the forces of their memberships); only the
system administrator reads the system-wide figures of every force together, or any one
force's. The drill-down is for
operational roles (supervisors and managers) and shows only the records their scope
reaches, through each app's own scoped selector; anyone else gets NotFound (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.assurance import metrics
from vigil.assurance.choices import Rag
from vigil.assurance.models import MetricSnapshot, NarrativeUpdate, Point, Recommendation
from vigil.core import clock
from vigil.core.exceptions import NotFound, ValidationFailed


@dataclass(frozen=True)
class Scope:
    """Whose figures a user is reading: `force`, or every force when None (the system
    administrator only); `choices` are the forces they may switch to."""

    force: object | None
    choices: list
    system_wide_allowed: bool

    @property
    def code(self) -> str:
        return self.force.code if self.force is not None else ""


def reader_forces(user) -> list | None:
    """The forces whose figures `user` reads: None (every force) for the system
    administrator; otherwise the forces of their assurance, supervisor, manager and
    administrator memberships, by name."""
    from vigil.accounts.choices import Role

    if access.is_system_admin(user):
        return None
    wanted = {Role.ASSURANCE, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
    forces = {m.team.force_id: m.team.force for m in access.memberships(user) if m.role in wanted}
    return sorted(forces.values(), key=lambda f: f.name)


def scope_for(user, code: str | None = None) -> Scope:
    """The force whose figures `user` reads: the one whose `code` is asked for (NotFound
    when it is not one of theirs), else their first force; the system administrator reads
    every force together unless a force is asked for."""
    from vigil.accounts.models import Force

    code = (code or "").strip()
    allowed = reader_forces(user)
    if allowed is None:
        choices = list(Force.objects.order_by("name"))
        force = next((f for f in choices if f.code == code), None) if code else None
        if code and force is None:
            raise NotFound(_("There is no such force, or you do not read its figures."))
        return Scope(force, choices, True)
    if not allowed:
        raise NotFound(_("There is no such force, or you do not read its figures."))
    if not code:
        return Scope(allowed[0], allowed, False)
    force = next((f for f in allowed if f.code == code), None)
    if force is None:
        raise NotFound(_("There is no such force, or you do not read its figures."))
    return Scope(force, allowed, False)


def recommendations() -> list[Recommendation]:
    """Every recommendation with its points (two queries)."""
    return list(
        Recommendation.objects.prefetch_related(
            Prefetch("points", queryset=Point.objects.order_by("letter"))
        ).order_by("number")
    )


def get_point(letter: str) -> Point:
    point = (
        Point.objects.select_related("recommendation").filter(letter=(letter or "").upper()).first()
    )
    if point is None:
        raise NotFound(_("There is no point with that letter."))
    return point


def point_updates(point: Point) -> QuerySet[NarrativeUpdate]:
    return point.updates.select_related("author").order_by("-written_on", "-id")


@dataclass
class PointRow:
    point: Point
    results: list[metrics.Result]
    status: str
    latest_update: NarrativeUpdate | None = None

    @property
    def headline(self) -> metrics.Result | None:
        """The metric shown first: the worst measured one, else the first."""
        for status in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NO_CASES):
            for r in self.results:
                if r.status == status:
                    return r
        return self.results[0] if self.results else None


@dataclass
class Evaluation:
    window: metrics.Window
    rows: list[PointRow]
    # When today's figures were read from the sweep's snapshots: when the oldest of them
    # was taken (None: every figure computed now, or the day is over and they are final).
    stored_at: dt.datetime | None = None


# Today's snapshots are taken again by the sweep when more than this old; one as fresh as
# this may stand for today's figures.
SNAPSHOT_FRESH_FOR = dt.timedelta(hours=1)


def _stored_figures(
    window: metrics.Window, keys: list[str], force
) -> tuple[dict[str, tuple[int, int]], dt.datetime | None]:
    """The figures of `keys` as of the window's day that the sweep has stored and that
    are the same as computing them now would give: taken after the day ended (final), or
    today's taken in the last hour. For `force`, or (None) every force's added up, when
    each force has one. One query (two for every force). Returns ({key: (numerator,
    denominator)}, when the oldest of today's used was taken)."""
    from vigil.accounts.models import Force

    qs = MetricSnapshot.objects.filter(
        as_of=window.as_of, metric_key__in=keys, numerator__isnull=False
    ).filter(denominator__isnull=False)
    if force is not None:
        qs = qs.filter(force=force)
    final_after = window.period_end
    fresh_after = clock.now() - SNAPSHOT_FRESH_FOR
    rows: dict[str, list] = {}
    oldest_today: dict[str, dt.datetime] = {}
    for key, n, d, taken in qs.values_list("metric_key", "numerator", "denominator", "updated_at"):
        if taken >= final_after:
            pass
        elif window.as_of == clock.today() and taken >= fresh_after:
            oldest_today[key] = min(taken, oldest_today.get(key, taken))
        else:
            rows.setdefault(key, []).append(None)  # this force's is not usable
            continue
        rows.setdefault(key, []).append((n, d))
    forces = 1 if force is not None else Force.objects.count()
    out = {}
    for key, cells in rows.items():
        if len(cells) != forces or None in cells:
            continue
        out[key] = (sum(c[0] for c in cells), sum(c[1] for c in cells))
    used = [at for key, at in oldest_today.items() if key in out]
    return out, (min(used) if used else None)


def evaluate(
    as_of: dt.date | None = None,
    *,
    recommendation: int | None = None,
    status: str = "",
    letters: list[str] | None = None,
    with_updates: bool = False,
    force=None,
    stored: bool = False,
) -> Evaluation:
    """Every point (or those of `recommendation`, `letters`) with its metrics' figures as of
    `as_of` for `force` (None: every force), optionally only those whose status is `status`. One query per metric, plus the
    register (and, `with_updates`, one for the latest narrative updates).

    `stored`: read the figures the sweep has stored for the day where they are the same
    as computing them would give (see `_stored_figures`; today's may be up to an hour
    old, and `stored_at` says when they were taken), computing only the others: one
    query for them all instead of one per metric."""
    window = metrics.window_for(as_of)
    thresholds = metrics.thresholds_at(window.moment)
    points = Point.objects.select_related("recommendation").order_by("letter")
    if recommendation:
        points = points.filter(recommendation__number=recommendation)
    if letters:
        points = points.filter(letter__in=letters)
    points = list(points)
    latest: dict[int, NarrativeUpdate] = {}
    if with_updates:
        for u in (
            NarrativeUpdate.objects.filter(point__in=points, created_at__lte=window.moment)
            .select_related("author")
            .order_by("point_id", "-written_on", "-id")
        ):
            latest.setdefault(u.point_id, u)
    figures: dict[str, tuple[int, int]] = {}
    stored_at = None
    if stored:
        keys = [
            m.key
            for point in points
            for m in metrics.metrics_for_point(point.letter)
            if m.denominator is not None
        ]
        figures, stored_at = _stored_figures(window, keys, force)

    def result(metric: metrics.Metric) -> metrics.Result:
        if metric.key in figures and metric.measurable:
            n, d = figures[metric.key]
            return metrics.Result(metric, n, d, metrics.rag(n, d, thresholds))
        return metrics.compute(metric, window, thresholds=thresholds, force=force)

    rows = []
    for point in points:
        results = [result(m) for m in metrics.metrics_for_point(point.letter)]
        row = PointRow(
            point, results, metrics.worst([r.status for r in results]), latest.get(point.pk)
        )
        if status and row.status != status:
            continue
        rows.append(row)
    return Evaluation(window, rows, stored_at)


def check_as_of(as_of: dt.date | None) -> None:
    """Figures can be taken as of today or any past date, not a future one."""
    if as_of is not None and as_of > clock.today():
        raise ValidationFailed(_("The as-of date must be today or in the past"), field="as_of")


def document(as_of: dt.date | None = None, *, force=None) -> dict:
    """The machine-readable document (`vigil assurance --json`, GET /api/v1/assurance) of
    `force` (None: every force): see docs/formats/assurance.md."""
    check_as_of(as_of)
    evaluation = evaluate(as_of, force=force)
    window = evaluation.window
    return {
        "as_of": window.as_of.isoformat(),
        "force": force.code if force is not None else None,
        "period": {"from": window.start.isoformat(), "to": window.as_of.isoformat()},
        "points": [
            {
                "id": row.point.letter,
                "recommendation": row.point.recommendation.number,
                "deadline": row.point.deadline.isoformat(),
                "status": str(row.status),
                "metrics": [
                    {
                        "key": r.metric.key,
                        "label": str(r.metric.label),
                        "numerator": r.numerator,
                        "denominator": r.denominator,
                        "value": r.value,
                        "status": str(r.status),
                        "measurable": r.measurable,
                    }
                    for r in row.results
                ],
            }
            for row in evaluation.rows
        ],
    }


@dataclass
class Day:
    """A metric's figures as of one day (summed over the forces in scope)."""

    as_of: dt.date
    numerator: int | None
    denominator: int | None
    status: str

    @property
    def value(self) -> float | None:
        if not self.denominator or self.numerator is None:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self) -> float | None:
        value = self.value
        return None if value is None else round(100 * value, 1)

    def get_status_display(self) -> str:
        return str(Rag(self.status).label) if self.status in Rag.values else self.status


def snapshots(
    keys: list[str], *, start: dt.date, end: dt.date, force=None, days: list[dt.date] | None = None
) -> dict[str, list[Day]]:
    """The stored daily figures of `keys` from `start` to `end` (or only `days`), oldest
    first, for `force` (None: the forces added up). One query."""
    out: dict[str, list[Day]] = {k: [] for k in keys}
    qs = MetricSnapshot.objects.filter(metric_key__in=keys, as_of__gte=start, as_of__lte=end)
    if days is not None:
        qs = qs.filter(as_of__in=days)
    if force is not None:
        qs = qs.filter(force=force)
    summed: dict[tuple, list] = {}
    for key, as_of, n, d, status in qs.order_by("metric_key", "as_of").values_list(
        "metric_key", "as_of", "numerator", "denominator", "status"
    ):
        cell = summed.setdefault((key, as_of), [None, None, status, 0])
        cell[3] += 1
        if n is not None and d is not None:
            cell[0] = (cell[0] or 0) + n
            cell[1] = (cell[1] or 0) + d
    threshold = None
    for (key, as_of), (n, d, status, forces) in summed.items():
        if forces > 1:
            # Several forces added up: their status is the sum's, against the thresholds
            # in force at the end of the range.
            threshold = threshold or metrics.thresholds_at(metrics.window_for(end).moment)
            status = metrics.rag(n, d, threshold)
        out[key].append(Day(as_of, n, d, status))
    return out


def can_drill_down(user) -> bool:
    """Operational roles only: supervisors and managers (need to know applies per record).
    The assurance/PCC office sees aggregates only."""
    return access.is_supervisor(user) and not access.is_aggregates_only(user)


def gap_rows(*, user, key: str, as_of: dt.date | None = None, force=None):
    """(metric, window, rows) of the drill-down: the records of `force` in the metric's
    denominator that are not in its numerator and that the user may see. NotFound for anyone who may
    not drill down, an unknown metric, or one that is not measurable."""
    metric = metrics.get_metric(key)
    if metric is None or not metric.measurable or not can_drill_down(user):
        raise NotFound(_("There is no such figure, or you do not have access to its records."))
    window = metrics.window_for(as_of)
    return metric, window, metrics.gap_queryset(metric, window, user=user, force=force)
