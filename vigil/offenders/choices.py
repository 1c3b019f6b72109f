"""Choices of the offender-management app (translated labels, stable stored values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NominalStatus(models.TextChoices):
    ACTIVE = "active", _("Active in the community")
    CUSTODY = "custody", _("In custody")
    ABROAD = "abroad", _("Abroad")
    MISSING = "missing", _("Missing or wanted")
    NO_LONGER_SUBJECT = "ended", _("No longer subject to notification")


class MappaCategory(models.IntegerChoices):
    ONE = 1, _("Category 1: registered sexual offender")
    TWO = 2, _("Category 2: violent offender")
    THREE = 3, _("Category 3: other dangerous offender")


class MappaLevel(models.IntegerChoices):
    ONE = 1, _("Level 1: ordinary agency management")
    TWO = 2, _("Level 2: active multi-agency management")
    THREE = 3, _("Level 3: active multi-agency management with senior oversight")


class Disposal(models.TextChoices):
    """The sentence or disposal a notification period follows (Sexual Offences Act 2003,
    s82 table)."""

    IMPRISONMENT = "imprisonment", _("Imprisonment or detention (give the term)")
    HOSPITAL_RESTRICTED = "hospital_restricted", _("Hospital order with a restriction order")
    HOSPITAL = "hospital", _("Hospital order without a restriction order")
    CAUTION = "caution", _("Caution")
    CONDITIONAL_DISCHARGE = "conditional_discharge", _("Conditional discharge (give the period)")
    OTHER = "other", _("Any other disposal, such as a community order or a fine")


class NotificationKind(models.TextChoices):
    INITIAL = "initial", _("Initial notification")
    CHANGE = "change", _("Notification of changes")
    ANNUAL = "annual", _("Annual re-notification")
    FOREIGN_TRAVEL = "foreign_travel", _("Foreign travel")
    WEEKLY = "weekly", _("Weekly reporting (no fixed abode)")
    HOUSEHOLD_CHILD = "household_child", _("Staying in a household with a child")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Due")
    NOTIFIED = "notified", _("Notified")
    SUPERSEDED = "superseded", _("Superseded by a later notification")
    CANCELLED = "cancelled", _("No longer required")


class OrderKind(models.TextChoices):
    SHPO = "shpo", _("Sexual harm prevention order (SHPO)")
    SRO = "sro", _("Sexual risk order (SRO)")
    NOTIFICATION_ORDER = "notification_order", _("Notification order")
    OTHER = "other", _("Other order")


class ArmsTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled (annual)")
    INITIAL = "initial", _("First assessment")
    INTELLIGENCE = "intelligence", _("New intelligence")
    CIRCUMSTANCES = "circumstances", _("Change of circumstances")
    BREACH = "breach", _("Breach")
    RELEASE = "release", _("Release from custody")


class StaticTool(models.TextChoices):
    """Licensed static actuarial tools: Vigil records the assessor's result, never computes it."""

    RM2000S = "rm2000s", _("Risk Matrix 2000/S")
    OSP_C = "osp_c", _("OASys Sexual reoffending Predictor (contact, OSP/C)")
    OSP_I = "osp_i", _("OASys Sexual reoffending Predictor (images, OSP/I)")


class PlanActionCategory(models.TextChoices):
    CONTROL = "control", _("Control")
    MONITORING = "monitoring", _("Monitoring")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    MULTI_AGENCY = "multi_agency", _("Multi-agency")


class VisitLocation(models.TextChoices):
    HOME = "home", _("Home address")
    ELSEWHERE = "elsewhere", _("Elsewhere")


class VisitAccess(models.TextChoices):
    GAINED = "gained", _("Access gained")
    REFUSED = "refused", _("Access refused")
    NO_REPLY = "no_reply", _("No reply")


class ReviewSubject(models.TextChoices):
    ARMS = "arms", _("ARMS assessment")
    PLAN = "plan", _("Risk management plan")
    VISIT = "visit", _("Home visit")


class ReviewOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with actions")


class DipCheckOutcome(models.TextChoices):
    AGREE = "agree", _("Agree with the decision")
    DISAGREE = "disagree", _("Disagree with the decision")


class ManagementMode(models.TextChoices):
    ACTIVE = "active", _("Active management")
    REACTIVE = "reactive", _("Reactive management")


class ModeDecisionKind(models.TextChoices):
    TO_REACTIVE = "to_reactive", _("Move to reactive management")
    REVIEW = "review", _("Eligibility review (stay reactive)")
    TO_ACTIVE = "to_active", _("Return to active management")


class ModeDecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ReactiveTrigger(models.TextChoices):
    """What opens a review of a reactively managed nominal."""

    INTELLIGENCE = "intelligence", _("New intelligence")
    BREACH = "breach", _("Breach")
    CIRCUMSTANCES = "circumstances", _("Change of circumstances")
    STATUS = "status", _("Change of status")
    ARMS = "arms", _("ARMS assessment not low")


class ReactiveReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("Every condition is still met: stay on reactive management")
    RETURN = "return", _("Return to active management")


class PndResult(models.TextChoices):
    NO_TRACE = "no_trace", _("No trace")
    INFORMATION = "information", _("Information found")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
