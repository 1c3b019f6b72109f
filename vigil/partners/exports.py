"""The request lists as CSV, audited before anything is sent."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.core.exports import csv_download
from vigil.partners.choices import Direction, RequestKind, RequestState


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _header() -> list[str]:
    return [
        _("Reference"),
        _("Direction"),
        _("Kind of request"),
        _("Urgent"),
        _("Nominal"),
        _("Police team"),
        _("Probation region"),
        _("State"),
        _("Raised"),
        _("Due"),
        _("Answered"),
        _("Within the agreed time"),
        _("Rating"),
        _("Record id"),
    ]


def _row(r) -> list:
    within = r.within_sla
    return [
        r.reference,
        str(Direction(r.direction).label),
        str(RequestKind(r.kind).label),
        _("Yes") if r.urgent else _("No"),
        r.nominal.person.full_name,
        r.police_team.localised_name,
        r.agreement.region.localised_name,
        str(RequestState(r.state).label),
        _when(r.raised_at),
        _when(r.due_at),
        _when(r.answered_at),
        "" if within is None else (_("Yes") if within else _("No")),
        r.rating or "",
        str(r.uuid),
    ]


def requests_csv(*, actor, queryset, filters: dict):
    """Stream the requests (already scoped to the actor) as CSV; audited."""
    return csv_download(
        actor=actor,
        filename="partner-requests",
        header=_header(),
        rows=(_row(r) for r in queryset.iterator(chunk_size=2000)),
        action="partners.requests_export",
        filters=filters,
    )
