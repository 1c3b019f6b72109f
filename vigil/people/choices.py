from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh")


class ChildRelationship(models.TextChoices):
    IN_HOUSEHOLD = "in_household", _("Lives in the household")
    HAS_ACCESS = "has_access", _("Has access")


class IdentifierKind(models.TextChoices):
    USERNAME = "username", _("Username")
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Phone number")
    IP_ADDRESS = "ip", _("IP address")
    DEVICE = "device", _("Device ID")


class MatchReason(models.TextChoices):
    """Why the duplicate check thinks two records may be the same person."""

    PNC = "pnc", _("Same PNC ID")
    REGISTER_REFERENCE = "register_reference", _("Same register reference")
    IDENTIFIER = "identifier", _("Same online identifier")
    NAME_DOB = "name_dob", _("Same name and date of birth")
    ALIAS_DOB = "alias_dob", _("Known by the same name (alias), with the same date of birth")
