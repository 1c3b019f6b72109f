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
