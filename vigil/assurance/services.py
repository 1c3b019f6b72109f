"""Every write of the assurance module: the register's status, owner and narrative
(assurance role only, audited), and the daily metric snapshots (the sweep)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import Role
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


@transaction.atomic
def snapshot_take(*, as_of: dt.date | None = None) -> int:
    """Store every metric's figures as of `as_of` (default today): one row per metric per
    day, replaced when taken again the same day (idempotent; safe with several sweeps).
    Returns the number of metrics stored. Aggregates only: no personal data."""
    from vigil.assurance import metrics

    window = metrics.window_for(as_of)
    first = not MetricSnapshot.objects.filter(as_of=window.as_of).exists()
    thresholds = metrics.thresholds_at(window.moment)
    rows = []
    for metric in metrics.all_metrics():
        result = metrics.compute(metric, window, thresholds=thresholds)
        rows.append(
            MetricSnapshot(
                metric_key=metric.key,
                as_of=window.as_of,
                numerator=result.numerator,
                denominator=result.denominator,
                status=result.status,
            )
        )
    MetricSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["metric_key", "as_of"],
        update_fields=["numerator", "denominator", "status", "updated_at"],
    )
    if first:
        # Once a day, not on every refresh: the sweep may run every minute.
        audit.record(
            None,
            "assurance.snapshot",
            None,
            changes={"as_of": window.as_of.isoformat(), "metrics": len(rows)},
        )
    return len(rows)


REFRESH_AFTER = dt.timedelta(hours=1)


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


def drill_down_record(*, actor, metric_key: str, as_of: dt.date, page: int) -> None:
    """A drill-down page was shown (record references: audited like any view of records)."""
    audit.record(
        actor,
        "assurance.drill_down",
        None,
        changes={"metric": metric_key, "as_of": as_of.isoformat(), "page": page},
    )


def report_record(
    *, actor, as_of: dt.date, language: str, document: str, publication: bool
) -> None:
    """A report was produced (audited, like every export)."""
    audit.record(
        actor,
        "assurance.report",
        None,
        changes={
            "as_of": as_of.isoformat(),
            "language": language,
            "format": document,
            "publication": publication,
        },
    )
