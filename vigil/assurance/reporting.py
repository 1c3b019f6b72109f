"""The assurance report: one structure for the page, the PDF and the workbook, in English
or Welsh, as of any date, with small numbers suppressed when it is for publication.

Suppression (publication only): a denominator from 1 to 4 hides the numerator, the
denominator, the percentage and the status (each can be worked out from the others); a
numerator or a gap (denominator less numerator) from 1 to 4 hides the numerator and the
percentage. Zero is never suppressed ("no cases" says nothing about a person).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from vigil.assurance import charts, metrics, policies, selectors
from vigil.assurance.choices import Rag
from vigil.core.policy_registry import policy_value

TREND_POINTS = 12


@dataclass
class Figure:
    """A metric's figures as shown (text), after any suppression."""

    key: str
    label: str
    definition: str
    numerator: str
    denominator: str
    percent: str
    status: str
    status_label: str
    reason: str = ""
    suppressed: bool = False
    trend: list[dict] = field(default_factory=list)
    # The numbers themselves for the workbook (None when suppressed or not measurable).
    n: int | None = None
    d: int | None = None
    value: float | None = None
    # A sparkline of the trend (only points whose figures are shown).
    spark: str = ""


def _small(n: int | None, below: int) -> bool:
    return n is not None and 0 < n < below


def fewer_than(below: int) -> str:
    return _("fewer than %(number)s") % {"number": below}


def present(result: metrics.Result, *, publication: bool, below: int) -> dict:
    """numerator, denominator, percent (text) and status of a result, suppressed as the
    module docstring says when `publication`."""
    num, den = result.numerator, result.denominator
    if num is None or den is None:
        return {"numerator": "", "denominator": "", "percent": "", "status": result.status}
    out = {
        "numerator": f"{num:,}",
        "denominator": f"{den:,}",
        "percent": "" if result.percent is None else f"{result.percent:.1f}%",
        "status": result.status,
        "suppressed": False,
    }
    if not publication:
        return out
    hidden = fewer_than(below)
    if _small(den, below):
        return {
            "numerator": hidden,
            "denominator": hidden,
            "percent": hidden,
            "status": "suppressed",
            "suppressed": True,
        }
    if _small(num, below) or _small(den - num, below):
        out.update(numerator=hidden, percent=hidden, suppressed=True)
    return out


def status_label(status: str) -> str:
    if status == "suppressed":
        return _("Not shown (small numbers)")
    return str(Rag(status).label)


@dataclass
class Report:
    as_of: dt.date
    start: dt.date
    language: str
    publication: bool
    below: int
    points: list[dict]
    generated: dt.datetime | None = None
    force_name: str = ""


def build(
    as_of: dt.date | None = None,
    *,
    language: str = "en",
    publication: bool = False,
    force=None,
) -> Report:
    """The report's content in `language` (figures as of `as_of`, trends over the year
    before it from the daily snapshots) of `force` (None: every force). Aggregates and
    the register only."""
    from vigil.core import clock

    with translation.override(language):
        evaluation = selectors.evaluate(as_of, with_updates=True, force=force)
        window = evaluation.window
        below = int(policy_value(policies.SUPPRESS_BELOW, at=window.moment))
        keys = [r.metric.key for row in evaluation.rows for r in row.results]
        history = selectors.snapshots(
            keys, start=window.as_of - dt.timedelta(days=365), end=window.as_of, force=force
        )
        points = []
        for row in evaluation.rows:
            figures = []
            for r in row.results:
                shown = present(r, publication=publication, below=below)
                trend, values = [], []
                for snap in _monthly(history.get(r.metric.key, [])):
                    snap_result = metrics.Result(
                        r.metric, snap.numerator, snap.denominator, snap.status
                    )
                    s = present(snap_result, publication=publication, below=below)
                    trend.append({"as_of": snap.as_of, **s})
                    shown_value = None if s.get("suppressed") else snap_result.value
                    values.append(shown_value)
                figures.append(
                    Figure(
                        key=r.metric.key,
                        label=str(r.metric.label),
                        definition=str(r.metric.definition),
                        numerator=shown["numerator"],
                        denominator=shown["denominator"],
                        percent=shown["percent"],
                        status=shown["status"],
                        status_label=status_label(shown["status"]),
                        reason=str(r.metric.reason) if not r.measurable else "",
                        suppressed=shown.get("suppressed", False),
                        trend=trend,
                        n=None if shown.get("suppressed") else r.numerator,
                        d=None if shown["status"] == "suppressed" else r.denominator,
                        value=None if shown.get("suppressed") else r.value,
                        spark=charts.sparkline_svg(values, title=str(r.metric.label)),
                    )
                )
            point = row.point
            update = row.latest_update
            points.append(
                {
                    "letter": point.letter,
                    "recommendation": point.recommendation.number,
                    "text": point.text(language),
                    "owner": point.owner(language),
                    "deadline": point.deadline,
                    "deadline_passed": point.deadline < window.as_of,
                    "progress": point.get_status_display(),
                    "status": row.status,
                    "status_label": status_label(row.status),
                    "narrative": update.text if update else "",
                    "narrative_on": update.written_on if update else None,
                    "figures": figures,
                }
            )
        return Report(
            as_of=window.as_of,
            start=window.start,
            language=language,
            publication=publication,
            below=below,
            points=points,
            generated=clock.now(),
            force_name=force.localised_name if force is not None else _("Every force"),
        )


def _monthly(snapshots: list) -> list:
    """The last snapshot of each month (at most TREND_POINTS)."""
    by_month = {}
    for s in snapshots:
        by_month[(s.as_of.year, s.as_of.month)] = s
    return [by_month[k] for k in sorted(by_month)][-TREND_POINTS:]


def render_html(report: Report, *, standalone: bool = True) -> str:
    with translation.override(report.language):
        return render_to_string(
            "assurance/report_document.html", {"report": report, "standalone": standalone}
        )


def render_pdf(report: Report) -> bytes:
    """The report as a PDF (WeasyPrint; DejaVu Sans carries the Welsh letters ŵ and ŷ)."""
    from weasyprint import HTML

    from vigil.core.documents import refuse_fetch

    return HTML(string=render_html(report), url_fetcher=refuse_fetch).write_pdf()


def render_xlsx(report: Report) -> bytes:
    """The report as a workbook: a sheet of points and a sheet of metrics (with trends)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from vigil.core.exports import xlsx_row

    with translation.override(report.language):
        wb = Workbook()
        sheet = wb.active
        sheet.title = _("Points")[:31]
        sheet.append([_("Assurance report as of %(date)s") % {"date": report.as_of.isoformat()}])
        sheet.append([report.force_name])
        sheet.append(
            [
                _("Period: %(start)s to %(end)s")
                % {"start": report.start.isoformat(), "end": report.as_of.isoformat()}
            ]
        )
        if report.publication:
            sheet.append(
                [
                    _("For publication: counts below %(number)s are not shown.")
                    % {"number": report.below}
                ]
            )
        sheet.append([])
        header = [
            _("Point"),
            _("Recommendation"),
            _("Text"),
            _("Owner"),
            _("Deadline"),
            _("Deadline passed"),
            _("Progress"),
            _("Evidence status"),
            _("Latest update"),
        ]
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for p in report.points:
            sheet.append(
                xlsx_row(
                    sheet,
                    [
                        p["letter"],
                        p["recommendation"],
                        p["text"],
                        p["owner"],
                        p["deadline"],
                        _("Yes") if p["deadline_passed"] else _("No"),
                        str(p["progress"]),
                        p["status_label"],
                        p["narrative"],
                    ],
                )
            )
        figures = wb.create_sheet(_("Metrics")[:31])
        figures.append(
            [
                _("Point"),
                _("Metric"),
                _("Numerator"),
                _("Denominator"),
                _("Proportion"),
                _("Status"),
                _("Not measurable because"),
                _("Trend (month end: percentage)"),
            ]
        )
        for cell in figures[1]:
            cell.font = Font(bold=True)
        for p in report.points:
            for f in p["figures"]:
                trend = "; ".join(
                    f"{t['as_of'].isoformat()}: {t['percent'] or '—'}" for t in f.trend
                )
                figures.append(
                    xlsx_row(
                        figures,
                        [
                            p["letter"],
                            f.label,
                            f.n if f.n is not None else f.numerator,
                            f.d if f.d is not None else f.denominator,
                            f.value if f.value is not None else f.percent,
                            f.status_label,
                            f.reason,
                            trend,
                        ],
                    )
                )
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
