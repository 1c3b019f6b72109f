"""CSV downloads of lists: streamed, in the user's language, and audited."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from django.utils import timezone

from vigil import audit


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
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(["" if v is None else v for v in row])

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
