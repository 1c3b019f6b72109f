"""The evidence-metric engine: a registry of metrics, each declared once, and their
computation as of any date.

A metric is numerator / denominator over a period (default the 12 months to the as-of
date, policy `assurance.period_months`). It is declared with:

- `denominator(window)`: a queryset of the records it counts, as the force's records stood
  at `window.moment` (only rows created by then; only completions made by then);
- `numerator(window)`: a condition (Q) on those rows: the ones that meet the standard;
- `team_field`: the path from the row to its owning team (to limit a computation to teams);
- `force_field`: the path from the row to its force (default the owning team's force): the
  figures are per force, and nothing of one force is counted in another's;
- `visible(user)`: a condition giving the rows a user may see in the drill-down (the apps'
  own scoped selectors), and `gap_columns` / `gap_link`: what the drill-down shows.

A point whose records Vigil does not hold is declared with `reason` instead of a
denominator: it is "not yet measurable", never an invented figure. `available`, when
given, is asked at computation time: a metric whose app has not landed yet stays not
measurable until it has.

Computation is one aggregate query per metric (`COUNT(*)` and a filtered `COUNT`), in the
database. A zero denominator is "no cases in period", not 0% or 100%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, QuerySet
from django.utils.functional import Promise

from vigil.assurance import policies
from vigil.assurance.choices import RAG_SEVERITY, Rag
from vigil.core import clock
from vigil.core.calendar import start_of_day
from vigil.core.policy_registry import policy_values


@dataclass(frozen=True)
class Window:
    """The as-of date and the period before it.

    `moment` is the instant the figures are taken at: the last instant of the as-of day, or
    now when that is still to come. `period_start`..`period_end` are the period's instants (the start
    of its first day to the end of the as-of day, Europe/London).
    """

    as_of: dt.date
    start: dt.date
    moment: dt.datetime
    period_start: dt.datetime
    period_end: dt.datetime

    def in_period(self, field_name: str) -> Q:
        """A datetime field falling inside the period, and not after the moment."""
        return Q(
            **{
                f"{field_name}__gte": self.period_start,
                f"{field_name}__lt": self.period_end,
                f"{field_name}__lte": self.moment,
            }
        )

    def existed(self, prefix: str = "") -> Q:
        """The row had been recorded by the moment."""
        return Q(**{f"{prefix}created_at__lte": self.moment})

    def open_at(self, field_name: str = "completed_at") -> Q:
        """Not completed (by `field_name`) by the moment."""
        return Q(**{f"{field_name}__isnull": True}) | Q(**{f"{field_name}__gt": self.moment})

    def done_by(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__isnull": False, f"{field_name}__lte": self.moment})


def window_for(as_of: dt.date | None = None, *, months: int | None = None) -> Window:
    """The window for `as_of` (default today), over `months` (default the policy in force at
    the as-of date)."""
    today = clock.today()
    as_of = as_of or today
    period_end = start_of_day(as_of + dt.timedelta(days=1))
    # The last instant of the as-of day (a policy taking effect at midnight is not yet in
    # force), or now.
    moment = min(period_end - dt.timedelta(microseconds=1), clock.now())
    if months is None:
        months = int(policy_values([policies.PERIOD_MONTHS], at=moment)[policies.PERIOD_MONTHS])
    start = as_of - relativedelta(months=months) + dt.timedelta(days=1)
    return Window(
        as_of=as_of,
        start=start,
        moment=moment,
        period_start=start_of_day(start),
        period_end=period_end,
    )


@dataclass(frozen=True)
class GapColumn:
    name: str
    path: str
    label: str | Promise


def choice_labels(model, path: str) -> dict:
    """The display labels of the field at `path` (a lookup like "investigation__state")
    from `model`, when that field has choices; else an empty dict."""
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return {str(k): v for k, v in (getattr(field, "flatchoices", None) or [])}


@dataclass(frozen=True)
class Metric:
    key: str
    point: str
    label: str | Promise
    definition: str | Promise
    denominator: Callable[[Window], QuerySet] | None = None
    numerator: Callable[[Window], Q] | None = None
    team_field: str = "team"
    force_field: str | None = None
    visible: Callable[[object], Q] | None = None
    gap_columns: tuple[GapColumn, ...] = ()
    gap_link: tuple[str, str] | None = None  # (URL name, path to the uuid it takes)
    reason: str | Promise = ""
    available: Callable[[], bool] | None = None
    order: int = 0

    @property
    def force_path(self) -> str:
        """The lookup from a row to its force's id."""
        if self.force_field:
            return self.force_field if self.force_field.endswith("id") else f"{self.force_field}_id"
        if self.team_field in ("pk", "id"):
            return "force_id"  # the rows are teams
        return f"{self.team_field}__force_id"

    @property
    def measurable(self) -> bool:
        if self.denominator is None:
            return False
        return self.available() if self.available is not None else True


_REGISTRY: dict[str, Metric] = {}
_order = iter(range(10_000))


def declare_metric(key: str, *, point: str, label, definition, **kwargs) -> Metric:
    """Declare a metric (once; declaring the same key again replaces it: for apps that
    land later and wire up a point that was not measurable)."""
    existing = _REGISTRY.get(key)
    order = existing.order if existing is not None else next(_order)
    metric = Metric(key=key, point=point, label=label, definition=definition, order=order, **kwargs)
    _REGISTRY[key] = metric
    return metric


def get_metric(key: str) -> Metric | None:
    return _REGISTRY.get(key)


def all_metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: (m.point, m.order))


def metrics_for_point(letter: str) -> list[Metric]:
    return [m for m in all_metrics() if m.point == letter]


@dataclass
class Thresholds:
    green: float
    amber: float


def thresholds_at(moment: dt.datetime) -> Thresholds:
    values = policy_values([policies.GREEN_PERCENT, policies.AMBER_PERCENT], at=moment)
    return Thresholds(
        green=float(values[policies.GREEN_PERCENT]), amber=float(values[policies.AMBER_PERCENT])
    )


def rag(numerator: int | None, denominator: int | None, thresholds: Thresholds) -> str:
    """The status of a figure: compared as whole numbers, no rounding at the edges."""
    if numerator is None or denominator is None:
        return Rag.NOT_MEASURABLE
    if denominator == 0:
        return Rag.NO_CASES
    if numerator * 100 >= thresholds.green * denominator:
        return Rag.GREEN
    if numerator * 100 >= thresholds.amber * denominator:
        return Rag.AMBER
    return Rag.RED


def worst(statuses: list[str]) -> str:
    """A point's status: the worst of its metrics' (red, amber, green; then no cases;
    not measurable when nothing is)."""
    for status in RAG_SEVERITY:
        if status in statuses:
            return status
    return Rag.NOT_MEASURABLE


@dataclass
class Result:
    metric: Metric
    numerator: int | None
    denominator: int | None
    status: str
    measurable: bool = True
    history: list = field(default_factory=list)

    @property
    def value(self) -> float | None:
        if not self.denominator or self.numerator is None:
            return None
        return round(self.numerator / self.denominator, 4)

    @property
    def percent(self) -> float | None:
        if not self.denominator or self.numerator is None:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def gap(self) -> int | None:
        if self.denominator is None or self.numerator is None:
            return None
        return self.denominator - self.numerator


def _scoped(metric: Metric, qs: QuerySet, teams=None, force=None) -> QuerySet:
    if teams is not None:
        qs = qs.filter(**{f"{metric.team_field}__in": teams})
    if force is not None:
        qs = qs.filter(**{metric.force_path: getattr(force, "pk", force)})
    return qs


def compute(
    metric: Metric,
    window: Window,
    *,
    thresholds: Thresholds | None = None,
    teams=None,
    force=None,
) -> Result:
    """One metric's figures for the window, in one aggregate query. `force` (a Force or its
    id) limits it to that force's records and `teams` to records of those owning teams
    (default: every record of every force: the system-wide view)."""
    if not metric.measurable:
        return Result(metric, None, None, Rag.NOT_MEASURABLE, measurable=False)
    thresholds = thresholds or thresholds_at(window.moment)
    qs = _scoped(metric, metric.denominator(window), teams, force)
    counts = qs.aggregate(
        denominator=Count("pk", distinct=True),
        numerator=Count("pk", filter=metric.numerator(window), distinct=True),
    )
    numerator, denominator = counts["numerator"], counts["denominator"]
    return Result(metric, numerator, denominator, rag(numerator, denominator, thresholds))


def compute_by_force(
    metric: Metric, window: Window, force_ids: list[int]
) -> dict[int, tuple[int | None, int | None]]:
    """(numerator, denominator) of every force in `force_ids`, in one grouped query (a
    force without records has 0 of 0). Not measurable: (None, None) for each."""
    if not metric.measurable:
        return dict.fromkeys(force_ids, (None, None))
    out = dict.fromkeys(force_ids, (0, 0))
    path = metric.force_path
    rows = (
        metric.denominator(window)
        .filter(**{f"{path}__in": force_ids})
        .order_by()
        .values(path)
        .annotate(
            d=Count("pk", distinct=True),
            n=Count("pk", filter=metric.numerator(window), distinct=True),
        )
    )
    for row in rows:
        out[row[path]] = (row["n"], row["d"])
    return out


def gap_queryset(metric: Metric, window: Window, *, user, force=None) -> QuerySet:
    """The records in the denominator and not in the numerator that `user` may see (the
    metric's own scoped condition), of `force` when given, as rows of `gap_<column name>`
    plus `gap_link` (the uuid the record's page takes)."""
    if not metric.measurable or metric.visible is None:
        raise LookupError(metric.key)
    qs = _scoped(metric, metric.denominator(window), force=force)
    qs = qs.filter(metric.visible(user)).exclude(metric.numerator(window))
    link_path = metric.gap_link[1] if metric.gap_link else "uuid"
    columns = {f"gap_{c.name}": F(c.path) for c in metric.gap_columns}
    order = metric.gap_columns[-1].path if metric.gap_columns else "pk"
    return qs.order_by(order, "pk").values(gap_link=F(link_path), **columns)
