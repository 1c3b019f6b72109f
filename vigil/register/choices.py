"""Choices of the register app (translated labels, stable stored values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtractFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    JSON = "json", _("JSON")


class ExtractStatus(models.TextChoices):
    RECONCILING = "reconciling", _("Being reconciled")
    COMPLETE = "complete", _("Reconciled")


class MatchKind(models.TextChoices):
    REFERENCE = "reference", _("Register reference")
    NAME_DOB = "name_dob", _("Name and date of birth (weaker match)")


class DiscrepancyKind(models.TextChoices):
    NOT_IN_VIGIL = "not_in_vigil", _("On the register but not in Vigil")
    NOT_ON_REGISTER = "not_on_register", _("In Vigil but not on the register")
    FIELD_DIFFERS = "field_differs", _("A field differs")


class DiscrepancyStatus(models.TextChoices):
    # Found by an extract still being reconciled: not shown until the extract is complete.
    PENDING = "pending", _("Being reconciled")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Resolution(models.TextChoices):
    CORRECTED_IN_VIGIL = "corrected_in_vigil", _("Corrected in Vigil")
    REGISTER_TO_BE_CORRECTED = "register_to_be_corrected", _("Register to be corrected")
    EXPLAINED = "explained", _("Explained")
    AGREED = "agreed", _("A later extract agrees (closed automatically)")


# What a person may choose when resolving (AGREED is set by reconciliation only).
USER_RESOLUTIONS = [
    Resolution.CORRECTED_IN_VIGIL,
    Resolution.REGISTER_TO_BE_CORRECTED,
    Resolution.EXPLAINED,
]


class Field(models.TextChoices):
    """The fields of a nominal compared with the register, in the extract's order."""

    REGISTER_REFERENCE = "register_reference", _("Register reference")
    GIVEN_NAME = "given_name", _("Given name")
    FAMILY_NAME = "family_name", _("Family name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    ADDRESS = "address", _("Current address")
    POSTCODE = "postcode", _("Postcode")
    MAPPA_CATEGORY = "mappa_category", _("MAPPA category")
    MAPPA_LEVEL = "mappa_level", _("MAPPA level")
    RISK_LEVEL = "risk_level", _("Risk level")
    MANAGING_FORCE = "managing_force", _("Managing force")
    MANAGING_OFFICER = "managing_officer", _("Managing officer")
    NOTIFICATION_START = "notification_start", _("Notification start")
    NOTIFICATION_END = "notification_end", _("Notification end")
    STATUS = "status", _("Status")


class AgeBand(models.TextChoices):
    D0_30 = "0_30", _("Up to 30 days")
    D31_90 = "31_90", _("31 to 90 days")
    D91_180 = "91_180", _("91 to 180 days")
    OVER_180 = "over_180", _("Over 180 days")


# (band, lowest age in days) for the report's age columns.
AGE_BANDS = [
    (AgeBand.D0_30, 0),
    (AgeBand.D31_90, 31),
    (AgeBand.D91_180, 91),
    (AgeBand.OVER_180, 181),
]
