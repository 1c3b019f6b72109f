"""The discrepancy list as CSV, and the reconciliation report as an XLSX workbook (its
counts, point I's figures and the discrepancies). Both audited before anything is sent."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core.exports import csv_download, xlsx_row
from vigil.register.choices import DiscrepancyKind, DiscrepancyStatus, Resolution


def _header() -> list[str]:
    return [
        _("Kind"),
        _("Field"),
        _("Register reference"),
        _("Name"),
        _("Team"),
        _("On the register"),
        _("In Vigil"),
        _("Matched by"),
        _("Opened"),
        _("Status"),
        _("Assigned to"),
        _("Resolution"),
        _("Closed"),
        _("Record id"),
    ]


def _row(d) -> list:
    name = (
        d.nominal.person.full_name
        if d.nominal_id
        else " ".join(
            p
            for p in (d.register_details.get("given_name"), d.register_details.get("family_name"))
            if p
        )
    )
    return [
        str(DiscrepancyKind(d.kind).label),
        d.field_label if d.field else "",
        d.register_reference,
        name,
        d.team.name if d.team_id else "",
        d.register_value,
        d.vigil_value,
        d.get_match_display() if d.match else "",
        timezone.localtime(d.opened_at).strftime("%Y-%m-%d %H:%M") if d.opened_at else "",
        str(DiscrepancyStatus(d.status).label),
        d.assignee.full_name if d.assignee_id else "",
        str(Resolution(d.resolution).label) if d.resolution else "",
        timezone.localtime(d.closed_at).strftime("%Y-%m-%d %H:%M") if d.closed_at else "",
        str(d.uuid),
    ]


def discrepancies_csv(*, actor, queryset, filters: dict):
    """Stream the discrepancies (already scoped to the actor) as CSV; audited."""
    return csv_download(
        actor=actor,
        filename="register-discrepancies",
        header=_header(),
        rows=(_row(d) for d in queryset.iterator(chunk_size=2000)),
        action="register.discrepancies_export",
        filters=filters,
    )


def report_xlsx(*, actor, report: dict, queryset) -> HttpResponse:
    """The report as a workbook: summary figures, counts by kind, age and team, and the
    open discrepancies the actor may see; audited."""
    from openpyxl import Workbook

    audit.record(
        actor, "register.report_export", None, changes={"format": "xlsx", "total": report["total"]}
    )
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    summary.append(
        [
            _("Force"),
            _("Active nominals"),
            _("With no open discrepancy"),
            _("Share (%)"),
            _("Latest reconciliation"),
            _("Age (days)"),
        ]
    )
    for f in report["figures"]:
        latest = f["latest_reconciliation"]
        summary.append(
            xlsx_row(
                summary,
                [
                    f["force"].name,
                    f["denominator"],
                    f["numerator"],
                    f["share"],
                    timezone.localtime(latest).strftime("%Y-%m-%d %H:%M") if latest else "",
                    f["age_days"],
                ],
            )
        )
    kinds = book.create_sheet(_("By kind"))
    kinds.append([_("Kind"), _("Open")])
    for k in report["kinds"]:
        kinds.append(xlsx_row(kinds, [str(k["label"]), k["count"]]))
    ages = book.create_sheet(_("By age"))
    ages.append([_("Open for"), _("Open")])
    for a in report["ages"]:
        ages.append(xlsx_row(ages, [str(a["label"]), a["count"]]))
    teams = book.create_sheet(_("By team"))
    teams.append(
        [
            _("Team"),
            _("Open"),
            str(DiscrepancyKind.NOT_IN_VIGIL.label),
            str(DiscrepancyKind.NOT_ON_REGISTER.label),
            str(DiscrepancyKind.FIELD_DIFFERS.label),
            _("Not assigned"),
        ]
    )
    for t in report["teams"]:
        teams.append(
            xlsx_row(
                teams,
                [
                    t["team__name"] or _("No team (not in Vigil)"),
                    t["n"],
                    t["not_in_vigil"],
                    t["not_on_register"],
                    t["field_differs"],
                    t["unassigned"],
                ],
            )
        )
    rows = book.create_sheet(_("Open discrepancies"))
    rows.append(_header())
    for d in queryset.iterator(chunk_size=2000):
        rows.append(xlsx_row(rows, _row(d)))
    out = io.BytesIO()
    book.save(out)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="register-report-{stamp}.xlsx"'
    return response
