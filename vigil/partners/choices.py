"""Choices of the partners app (translated labels, stable stored values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    TO_PROBATION = "to_probation", _("Police to Probation")
    TO_POLICE = "to_police", _("Probation to police")


class RequestKind(models.TextChoices):
    INFORMATION = "information", _("Information request")
    RISK_UPDATE = "risk_update", _("Risk information update")
    JOINT_VISIT = "joint_visit", _("Joint home visit")
    MAPPA_REFERRAL = "mappa_referral", _("MAPPA referral")
    MAPPA_ACTION = "mappa_action", _("MAPPA meeting action")
    CIRCUMSTANCES = "circumstances", _("Change of circumstances")
    BREACH_RECALL = "breach_recall", _("Breach or recall information")
    OTHER = "other", _("Other")


class RequestState(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESPONDED = "responded", _("Responded")
    DECLINED = "declined", _("Declined")


OPEN_STATES = (RequestState.RAISED, RequestState.ACKNOWLEDGED)


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    HOURS = "hours", _("Hours")


class Rating(models.IntegerChoices):
    POOR = 1, _("Poor")
    FAIR = 2, _("Fair")
    GOOD = 3, _("Good")
    VERY_GOOD = 4, _("Very good")
    EXCELLENT = 5, _("Excellent")
