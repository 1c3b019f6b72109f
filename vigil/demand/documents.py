"""A saved forecast as a document: PDF (WeasyPrint) and XLSX (openpyxl), in English or
Welsh.

Both carry what the forecast page shows: the title, the force, who ran it and when, the
data and the policies used (each with its source), the history and forecast with their
intervals, the offender managers and supervisors needed each year against today's
establishment, and the backtest. Each page of the PDF and each sheet of the workbook is
marked OFFICIAL-SENSITIVE and says who printed it and when. A user's text (the title, a
name) goes into the workbook through `xlsx_row`, so it is never a formula; the PDF's
running footer takes it from the document's own text (CSS `string-set`), so it is never
written into a stylesheet.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vigil.core import clock
from vigil.core.documents import render_pdf as render_document

PDF = "pdf"
XLSX = "xlsx"
FORMATS = (PDF, XLSX)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def marking() -> str:
    """The protective marking of every forecast document, in the active language."""
    return _("OFFICIAL-SENSITIVE")


def language_of(requested: str | None) -> str:
    """The language asked for, else (none asked for) the active one; a language Vigil
    does not have is refused."""
    from vigil.core.exceptions import ValidationFailed

    if requested in LANGUAGES:
        return requested
    if requested:
        raise ValidationFailed(_("Choose English or Welsh"), field="language")
    active = (translation.get_language() or "en").split("-")[0]
    return active if active in LANGUAGES else "en"


def filename(forecast, document: str, language: str) -> str:
    return f"vigil-demand-{forecast.force.code}-{forecast.created_at:%Y%m%d-%H%M}-{language}.{document}"


def context(forecast, *, language: str, printed_by) -> dict:
    """What both documents show, in `language`."""
    from vigil.demand.views.forecasts import forecast_context

    with translation.override(language):
        out = forecast_context(forecast)
        now = clock.now()
        out.update(
            language=language,
            marking=marking(),
            printed_by=printed_by.full_name or printed_by.email,
            printed_at=now,
            printed_line=_("Printed by %(name)s on %(date)s")
            % {
                "name": printed_by.full_name or printed_by.email,
                "date": date_format(now, "j F Y H:i"),
            },
        )
    return out


def render_pdf(forecast, *, language: str, printed_by) -> bytes:
    return render_document(
        "demand/document.html",
        context(forecast, language=language, printed_by=printed_by),
        language=language,
    )


def download(request, forecast, document: str):
    """The forecast as a PDF or XLSX download in the language asked for (`?language=`,
    else the user's), audited. Shared by the page and the API."""
    language = language_of(request.GET.get("language"))
    from django.http import HttpResponse

    from vigil.demand.services import forecasts as services

    services.forecast_document_record(
        actor=request.user, forecast=forecast, document=document, language=language
    )
    if document == PDF:
        body = render_pdf(forecast, language=language, printed_by=request.user)
        content_type = "application/pdf"
    else:
        body = render_xlsx(forecast, language=language, printed_by=request.user)
        content_type = XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    name = filename(forecast, document, language)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- the workbook -------------------------------------------------------------------------


def _sheet(wb, title: str, header: list[str], rows: list[list], *, marking_line: str, widths):
    """A sheet: the marking on its first row, a bold frozen header with filters on the
    second, then `rows`; the marking and who printed it in the printed header and footer."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from vigil.core.exports import xlsx_row

    # Sheet names: at most 31 characters, none of []:*?/\
    safe = "".join(c for c in title if c not in "[]:*?/\\")[:31]
    sheet = wb.create_sheet(safe)
    sheet.append(xlsx_row(sheet, [marking_line]))
    sheet["A1"].font = Font(bold=True)
    sheet.append(xlsx_row(sheet, header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    sheet.freeze_panes = "A3"
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A2:{last}{max(sheet.max_row, 2)}"
    for i, (width, name) in enumerate(zip(widths, header, strict=True), start=1):
        # Wide enough for the header in either language (Welsh is often longer).
        sheet.column_dimensions[get_column_letter(i)].width = max(width, len(name) + 3)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    return sheet


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def render_xlsx(forecast, *, language: str, printed_by) -> bytes:
    """The forecast as a workbook: one sheet per table."""
    from openpyxl import Workbook

    c = context(forecast, language=language, printed_by=printed_by)
    with translation.override(language):
        mark = c["marking"]
        wb = Workbook()
        wb.remove(wb.active)

        def sheet(title, header, rows, widths):
            s = _sheet(wb, title, header, rows, marking_line=mark, widths=widths)
            s.oddHeader.center.text = mark
            s.oddFooter.center.text = mark
            s.oddFooter.left.text = c["printed_line"].replace("&", "&&")
            return s

        f = forecast
        chosen = c["chosen"]
        sheet(
            _("Forecast"),
            [_("Field"), _("Value")],
            [
                [_("Title"), f.title],
                [_("Force"), f.force.localised_name],
                [_("Source"), str(f.get_source_display())],
                [_("Run by"), f.created_by.full_name or f.created_by.email],
                [_("Run on"), date_format(f.created_at, "j F Y H:i")],
                [_("Method (chosen by backtest)"), str(f.get_method_display())],
                [
                    _("Backtest error (mean absolute percentage error)"),
                    chosen["mape_percent"] if chosen["mape_percent"] is not None else "",
                ],
                [_("Last year of history"), f.origin],
                [_("Years forecast"), f.horizon],
                [_("Prediction interval"), c["interval_percent"]],
                [_("Years filled in"), ", ".join(c["filled_years"])],
                [_("Printed"), c["printed_line"]],
            ],
            (44, 60),
        )
        history = [
            [
                _day(h["period_end"]),
                _("History") if h.get("observed", True) else _("Filled in"),
                h["value"],
                None,
                None,
            ]
            for h in c["history"]
        ] + [
            [_day(r["period_end"]), _("Forecast"), r["value"], r["lower"], r["upper"]]
            for r in c["rows"]
        ]
        sheet(
            _("History and forecast"),
            [_("Year ending"), _("Kind"), _("Value"), _("Lower"), _("Upper")],
            history,
            (14, 14, 14, 14, 14),
        )
        staffing = c["staffing"]
        if staffing:
            years = [
                [
                    _day(y["period_end"]),
                    y["stock"],
                    y["lower"],
                    y["upper"],
                    y["need"]["hours"],
                    y["need"]["officers"],
                    y["need_lower"]["officers"],
                    y["need_upper"]["officers"],
                    y["need"]["supervisors"],
                    y["need_lower"]["supervisors"],
                    y["need_upper"]["supervisors"],
                    staffing["establishment"]["officers"],
                    staffing["establishment"]["supervisors"],
                ]
                for y in staffing["years"]
            ]
            sheet(
                _("Staff needed"),
                [
                    _("Year ending"),
                    _("Nominals"),
                    _("Lower"),
                    _("Upper"),
                    _("Officer hours a year"),
                    _("Offender managers needed"),
                    _("Offender managers (lower)"),
                    _("Offender managers (upper)"),
                    _("Supervisors needed"),
                    _("Supervisors (lower)"),
                    _("Supervisors (upper)"),
                    _("Offender managers in post today"),
                    _("Supervisors in post today"),
                ],
                years,
                (14, 12, 12, 12, 16) + (18,) * 8,
            )
        sheet(
            _("Assumptions"),
            [_("Policy"), _("Key"), _("Value used"), _("Unit"), _("Source")],
            [
                [str(a["label"]), a["key"], a["value"], str(a["unit"]), str(a["source"])]
                for a in c["assumptions"]
            ],
            (60, 40, 12, 20, 24),
        )
        sheet(
            _("Backtest"),
            [
                _("Method"),
                _("Chosen"),
                _("Mean absolute percentage error"),
                _("Interval coverage"),
                _("Forecasts scored"),
            ],
            [
                [
                    str(m["label"]),
                    _("Yes") if m["chosen"] else _("No"),
                    m["mape_percent"]
                    if m["available"]
                    else _("Could not be fitted at every origin"),
                    m["coverage_percent"] if m["available"] else None,
                    m["forecasts"] if m["available"] else None,
                ]
                for m in c["methods"]
            ],
            (44, 10, 20, 18, 16),
        )
        sheet(
            _("Backtest forecasts"),
            [
                _("Origin"),
                _("Years ahead"),
                _("Actual"),
                _("Forecast"),
                _("Lower"),
                _("Upper"),
                _("Error (%)"),
                _("Within the interval"),
            ],
            [
                [
                    _day(r["origin"]),
                    r["horizon"],
                    r["actual"],
                    r["value"],
                    r["lower"],
                    r["upper"],
                    r["error_percent"],
                    _("Yes") if r["covered"] else _("No"),
                ]
                for r in c["backtest_rows"]
            ],
            (14, 12, 12, 12, 12, 12, 12, 18),
        )
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
