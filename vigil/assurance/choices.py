"""Choices of the assurance app (translated labels, stable stored values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointStatus(models.TextChoices):
    """How far the force says it has got with a point (set by the assurance role)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    VERIFIED = "verified", _("Verified")


class Rag(models.TextChoices):
    """What the evidence shows: a metric's (or a point's, the worst of its metrics') status."""

    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")
    NO_CASES = "no_cases", _("No cases in period")
    NOT_MEASURABLE = "not_measurable", _("Not yet measurable")


# Worst first: a point's status is the first of these any of its metrics has.
RAG_SEVERITY = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NO_CASES, Rag.NOT_MEASURABLE]

# GOV.UK tag colour of each status.
RAG_TAG = {
    Rag.GREEN: "govuk-tag--green",
    Rag.AMBER: "govuk-tag--yellow",
    Rag.RED: "govuk-tag--red",
    Rag.NO_CASES: "govuk-tag--grey",
    Rag.NOT_MEASURABLE: "govuk-tag--grey",
}


class ReportFormat(models.TextChoices):
    HTML = "html", _("Web page")
    PDF = "pdf", _("PDF document")
    XLSX = "xlsx", _("Excel workbook (XLSX)")
