from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    VERY_HIGH = "very_high", _("Very high")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class DutyRisk(models.TextChoices):
    """A duty's risk level: the risk levels, and "not yet assessed" for work about a person
    whose risk has not been assessed yet (a nominal before their first approved ARMS), so
    that it is not counted as low risk."""

    VERY_HIGH = "very_high", _("Very high")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNASSESSED = "unassessed", _("Not yet assessed")


# Sort weight: highest risk first; work not yet assessed after low.
RISK_ORDER = {
    RiskLevel.VERY_HIGH: 0,
    RiskLevel.HIGH: 1,
    RiskLevel.MEDIUM: 2,
    RiskLevel.LOW: 3,
    DutyRisk.UNASSESSED: 4,
}


class EscalationLevel(models.IntegerChoices):
    ASSIGNEE = 0, _("Assignee")
    SUPERVISOR = 1, _("Supervisor")
    MANAGER = 2, _("Manager")


class OverdueBand(models.TextChoices):
    NOT_DUE = "not_due", _("Not yet due")
    D1_30 = "1_30", _("1 to 30 days overdue")
    D31_90 = "31_90", _("31 to 90 days overdue")
    D91_180 = "91_180", _("91 to 180 days overdue")
    OVER_180 = "over_180", _("Over 180 days overdue")
