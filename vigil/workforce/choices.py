from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    """What a person does in a POLIT or MOSOVO team (sets their manageable workload)."""

    OFFICER = "officer", _("Investigator or offender manager")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Police staff (research, administration)")


# Roles that carry a caseload and so have a workload threshold.
CASELOAD_ROLES = (StaffRole.OFFICER, StaffRole.SUPERVISOR)
SUPERVISING_ROLES = (StaffRole.SUPERVISOR, StaffRole.MANAGER)


class AbstractionReason(models.TextChoices):
    COURT = "court", _("Court")
    TRAINING = "training", _("Training")
    OTHER_DUTIES = "other_duties", _("Other duties")
    PUBLIC_ORDER = "public_order", _("Public order")
    SICKNESS_COVER = "sickness_cover", _("Sickness cover")
    MAJOR_INCIDENT = "major_incident", _("Major incident")
    OTHER = "other", _("Other")


class Attendance(models.TextChoices):
    """Whether an appointment was kept: never why, never what was said."""

    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    DID_NOT_ATTEND = "dna", _("Did not attend")
    CANCELLED = "cancelled", _("Cancelled")
