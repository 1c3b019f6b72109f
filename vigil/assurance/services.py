"""Every write of the assurance module: the register's status, owner and narrative
(assurance role only, audited), and the daily metric snapshots (the sweep)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import Role
from vigil.assurance import selectors
from vigil.assurance.choices import PointStatus
from vigil.assurance.models import MetricSnapshot, NarrativeUpdate, Point
from vigil.core import clock
from vigil.core.exceptions import PermissionDenied, ValidationFailed


def can_edit(user) -> bool:
    """The assurance office keeps the register (administrators too)."""
    return access.has_role(user, Role.ASSURANCE) or access.is_admin(user)


def _require_editor(actor) -> None:
    if not can_edit(actor):
        raise PermissionDenied(_("Only the assurance office can change the register."))


@transaction.atomic
def point_update(*, actor, point: Point, status: str, owner_en: str, owner_cy: str = "") -> Point:
    """Change a point's status and owner. Steps: the actor keeps the register; validate
    (a known status, an owner); lock and write the changed fields; audit before and after."""
    _require_editor(actor)
    owner_en = (owner_en or "").strip()
    owner_cy = (owner_cy or "").strip()
    errors = []
    if status not in PointStatus.values:
        errors.append(("status", _("Choose the point's status")))
    if not owner_en:
        errors.append(("owner_en", _("Enter who owns the point")))
    if len(owner_en) > 200 or len(owner_cy) > 200:
        errors.append(("owner_en", _("Enter an owner of 200 characters or fewer")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    locked = Point.objects.select_for_update().get(pk=point.pk)
    changes = {}
    for name, value in (("status", status), ("owner_en", owner_en), ("owner_cy", owner_cy)):
        before = getattr(locked, name)
        if before != value:
            changes[name] = [before, value]
            setattr(locked, name, value)
    if changes:
        locked.save(update_fields=[*changes, "updated_at"])
        audit.record(actor, "assurance.point_update", locked, changes=changes)
    return locked


@transaction.atomic
def narrative_add(
    *, actor, point: Point, text: str, written_on: dt.date | None = None
) -> NarrativeUpdate:
    """Add a dated narrative update to a point, with its author. Not in the future."""
    _require_editor(actor)
    text = (text or "").strip()
    written_on = written_on or clock.today()
    errors = []
    if not text:
        errors.append(("text", _("Enter the update")))
    if written_on > clock.today():
        errors.append(("written_on", _("The date of the update must be today or in the past")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    update = NarrativeUpdate.objects.create(
        point=point, text=text, written_on=written_on, author=actor
    )
    audit.record(
        actor,
        "assurance.narrative_add",
        update,
        changes={"point": point.letter, "written_on": written_on.isoformat(), "text": text},
    )
    return update


def _snapshot_rows(as_of: dt.date | None, force_ids: list[int]) -> list[MetricSnapshot]:
    """Every metric's figures of every force in `force_ids` as of `as_of`: one grouped
    query per metric, whatever the number of forces."""
    from vigil.assurance import metrics

    window = metrics.window_for(as_of)
    thresholds = metrics.thresholds_at(window.moment)
    rows = []
    for metric in metrics.all_metrics():
        by_force = metrics.compute_by_force(metric, window, force_ids)
        for force_id, (numerator, denominator) in by_force.items():
            rows.append(
                MetricSnapshot(
                    force_id=force_id,
                    metric_key=metric.key,
                    as_of=window.as_of,
                    numerator=numerator,
                    denominator=denominator,
                    status=metrics.rag(numerator, denominator, thresholds),
                )
            )
    return rows


def _store(rows: list[MetricSnapshot]) -> None:
    MetricSnapshot.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["force", "metric_key", "as_of"],
        update_fields=["numerator", "denominator", "status", "updated_at"],
    )


def _force_ids() -> list[int]:
    from vigil.accounts.models import Force

    return list(Force.objects.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def snapshot_take(*, as_of: dt.date | None = None) -> int:
    """Store every metric's figures of every force as of `as_of` (default today): one row
    per force per metric per day, replaced when taken again the same day (idempotent; safe
    with several sweeps). Returns the number of metrics stored. Aggregates only: no
    personal data."""
    from vigil.assurance import metrics

    as_of = metrics.window_for(as_of).as_of
    first = not MetricSnapshot.objects.filter(as_of=as_of).exists()
    rows = _snapshot_rows(as_of, _force_ids())
    _store(rows)
    if first:
        # Once a day, not on every refresh: the sweep may run every minute.
        audit.record(
            None,
            "assurance.snapshot",
            None,
            changes={"as_of": as_of.isoformat(), "metrics": len(metrics.all_metrics())},
        )
    return len(metrics.all_metrics())


def snapshot_backfill(*, start: dt.date, end: dt.date, only_missing: bool = False) -> int:
    """Store the daily snapshots of every force from `start` to `end`, each computed as of
    its own day (`only_missing`: skip the days already stored). Returns the days stored."""
    if start > end:
        return 0
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    if only_missing:
        done = set(
            MetricSnapshot.objects.filter(as_of__gte=start, as_of__lte=end)
            .values_list("as_of", flat=True)
            .distinct()
        )
        days = [d for d in days if d not in done]
    return snapshot_backfill_days(days)


def snapshot_backfill_days(days: list[dt.date]) -> int:
    """Store the snapshots of every force for each of `days`, computed as of that day: one
    grouped query per metric per day (whatever the number of forces), written in bulk; one
    transaction and one audit event per 31 days, so a long history neither holds the
    database for long nor loses what was done when stopped. Returns the days stored."""
    force_ids = _force_ids()
    days = sorted(days)
    for first in range(0, len(days), 31):
        chunk = days[first : first + 31]
        with transaction.atomic():
            rows = []
            for day in chunk:
                rows.extend(_snapshot_rows(day, force_ids))
            _store(rows)
            audit.record(
                None,
                "assurance.snapshot_backfill",
                None,
                changes={
                    "from": chunk[0].isoformat(),
                    "to": chunk[-1].isoformat(),
                    "days": len(chunk),
                },
            )
    return len(days)


REFRESH_AFTER = selectors.SNAPSHOT_FRESH_FOR  # the dashboard reads them while this fresh


def snapshot_daily(*, now: dt.datetime | None = None) -> int:
    """The sweep's daily job: store yesterday's final figures if they are missing, and
    today's if missing or more than an hour old. Returns the number of snapshots taken."""
    now = now or clock.now()
    today = clock.today()
    taken = 0
    yesterday = today - dt.timedelta(days=1)
    if not MetricSnapshot.objects.filter(as_of=yesterday).exists():
        taken += snapshot_take(as_of=yesterday)
    latest = (
        MetricSnapshot.objects.filter(as_of=today)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    if latest is None or latest < now - REFRESH_AFTER:
        taken += snapshot_take(as_of=today)
    return taken


def drill_down_record(*, actor, metric_key: str, as_of: dt.date, page: int, force=None) -> None:
    """A drill-down page was shown (record references: audited like any view of records)."""
    audit.record(
        actor,
        "assurance.drill_down",
        None,
        changes={
            "metric": metric_key,
            "as_of": as_of.isoformat(),
            "page": page,
            "force": force.code if force is not None else None,
        },
    )


def report_record(
    *, actor, as_of: dt.date, language: str, document: str, publication: bool, force=None
) -> None:
    """A report was produced (audited, like every export), with the force it is of (None:
    every force)."""
    audit.record(
        actor,
        "assurance.report",
        None,
        changes={
            "force": force.code if force is not None else None,
            "as_of": as_of.isoformat(),
            "language": language,
            "format": document,
            "publication": publication,
        },
    )
