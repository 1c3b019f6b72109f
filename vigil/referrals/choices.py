from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    NCA_CEOP = "nca_ceop", _("NCA / CEOP package")
    OTHER_FORCE = "other_force", _("Another force")
    INTERNAL = "internal", _("Internal intelligence")
    OTHER_AGENCY = "other_agency", _("Other agency")
    PUBLIC = "public", _("Member of the public")


class Status(models.TextChoices):
    """Where a referral is on its way from receipt to allocation."""

    AWAITING_ASSESSMENT = "awaiting_assessment", _("Awaiting risk assessment")
    AWAITING_GRADING = "awaiting_grading", _("Assessed, awaiting priority grading")
    AWAITING_SIGN_OFF = "awaiting_sign_off", _("Grading awaiting supervisor sign-off")
    AWAITING_ALLOCATION = "awaiting_allocation", _("Awaiting allocation")
    ALLOCATED = "allocated", _("Allocated")
    LINKED = "linked", _("Linked to an existing referral")
    CLOSED = "closed", _("Closed")


class SuspectAge(models.TextChoices):
    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child (under 18)")
    UNKNOWN = "unknown", _("Not known yet")


class ChildStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    BELIEVED_AT_RISK = "believed_at_risk", _("Believed at risk, not identified")


class MatchReason(models.TextChoices):
    """Why an earlier referral or a known person may be the same matter as a new referral."""

    SOURCE_REFERENCE = "source_reference", _("Same source reference")
    IDENTIFIER = "identifier", _("Same online identifier")
    SUSPECT = "suspect", _("Same suspect")


class ImportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    JSON = "json", _("JSON")


# Referrals still on their way to allocation (work for the receiving team).
OPEN_STATUSES = (
    Status.AWAITING_ASSESSMENT,
    Status.AWAITING_GRADING,
    Status.AWAITING_SIGN_OFF,
    Status.AWAITING_ALLOCATION,
)
