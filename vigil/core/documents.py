"""Generated documents: HTML templates rendered to PDF with WeasyPrint, in either language.

A PDF is built from a template of its own (not the page layout: no navigation, no
forms) and the stylesheet `core/documents.css`. WeasyPrint fetches nothing over the
network: every URL in a document is refused, so a value typed into a record (a website
address, say) can never make the server fetch it.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

STYLESHEET = "core/documents.css"


def refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"Documents do not fetch resources ({url})")


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    """Render `template` in `language` and return the PDF's bytes."""
    from weasyprint import CSS, HTML  # imported here: loading Pango takes a moment

    with translation.override(language):
        html = render_to_string(template, {**context, "language": language})
    stylesheet = Path(finders.find(STYLESHEET))
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf(
        stylesheets=[CSS(filename=str(stylesheet), url_fetcher=refuse_fetch)]
    )


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """The PDF as a download (or shown in the browser's viewer when `inline`); never
    cached, since documents may be made for one person."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
