"""CSV downloads of lists: streamed, in the user's language, and audited; and the one
place that makes a value safe to put in a spreadsheet cell (CSV or XLSX).

A value typed by a user (a name, an alias, a note) that begins with `=`, `+`, `-`, `@`,
a tab or a carriage return would be run as a formula by a spreadsheet program that opens
the file ("CSV injection", OWASP). In CSV such a value is written with a single quote in
front; in XLSX it is written as a text cell, never a formula. Every CSV and XLSX writer
in Vigil goes through `csv_row` or `xlsx_row`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from django.utils import timezone

from vigil import audit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value):
    """`value` as it may go into a CSV cell: None as empty, and a string that a
    spreadsheet would read as a formula with a single quote in front (OWASP)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    """A row of values, each made safe for a CSV cell (`csv_value`)."""
    return [csv_value(v) for v in values]


def xlsx_row(sheet, values: Iterable) -> list:
    """Cells for `sheet.append(...)` (normal or write-only workbook): every string is a
    text cell, never a formula, and loses the control characters that XLSX cannot hold
    (which would otherwise make the whole export fail)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # openpyxl makes a string that begins with "=" a formula
        else:
            cell = WriteOnlyCell(sheet, value=value)
        cells.append(cell)
    return cells


class _Echo:
    def write(self, value):
        return value


def csv_download(
    *,
    actor,
    filename: str,
    header: list[str],
    rows: Iterable[list],
    action: str,
    filters: dict | None = None,
) -> StreamingHttpResponse:
    """Stream `rows` as a CSV file and record the export in the audit log.

    The audit event (who, which list, which filters) is written before the first row is
    sent, so an export that fails half-way is still on record. Rows are written as they
    are read: a long list costs no more memory than a short one.
    """
    audit.record(
        actor,
        action,
        None,
        changes={"filters": {k: str(v) for k, v in (filters or {}).items() if v}},
    )
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8 (Welsh letters)
        yield writer.writerow(csv_row(header))
        for row in rows:
            yield writer.writerow(csv_row(row))

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
