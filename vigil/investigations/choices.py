from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """The investigation lifecycle. Transitions are defined in one place: lifecycle.py."""

    RESEARCH = "research", _("Research")
    AWAITING_ENFORCEMENT = "awaiting_enforcement", _("Awaiting enforcement")
    ENFORCEMENT = "enforcement", _("Enforcement")
    POST_ARREST = "post_arrest", _("Post-arrest")
    ON_BAIL = "on_bail", _("On pre-charge bail")
    RUI = "rui", _("Released under investigation")
    CHARGED = "charged", _("Charged")
    NFA = "nfa", _("No further action")
    CLOSED = "closed", _("Closed")


# States in which the investigation is still live (reassessment schedule, oversight).
OPEN_STATES = frozenset(
    {
        State.RESEARCH,
        State.AWAITING_ENFORCEMENT,
        State.ENFORCEMENT,
        State.POST_ARREST,
        State.ON_BAIL,
        State.RUI,
    }
)


class ReassessmentTrigger(models.TextChoices):
    """Why a risk assessment was made during the investigation."""

    INITIAL = "initial", _("Referral assessment")
    SCHEDULED = "scheduled", _("Scheduled reassessment")
    NEW_INTELLIGENCE = "new_intelligence", _("New intelligence")
    BEFORE_ENFORCEMENT = "before_enforcement", _("Before enforcement")
    AFTER_ARREST = "after_arrest", _("After arrest")
    BAIL_RETURN = "bail_return", _("On return from bail")


class DecisionKind(models.TextChoices):
    """Enforcement decisions (point E): at the enforcement decision point, then after arrest."""

    ARREST = "arrest", _("Arrest")
    VOLUNTARY_ATTENDANCE = "voluntary_attendance", _("Voluntary attendance")
    NFA = "nfa", _("No further action")
    PRE_CHARGE_BAIL = "pre_charge_bail", _("Pre-charge bail")
    RUI = "rui", _("Release under investigation")
    CHARGE = "charge", _("Charge")
    CAUTION = "caution", _("Caution")


# Decisions that are enforcement actions: a reassessment must precede them (point B).
ENFORCEMENT_KINDS = frozenset({DecisionKind.ARREST, DecisionKind.VOLUNTARY_ATTENDANCE})


class DecisionPointKind(models.TextChoices):
    """Moments at which a decision about the suspect must be recorded (point E)."""

    ENFORCEMENT = "enforcement", _("Enforcement decision")
    POST_ARREST = "post_arrest", _("Decision after arrest")


class ReviewOutcome(models.TextChoices):
    SATISFACTORY = "satisfactory", _("Satisfactory")
    ACTION_REQUIRED = "action_required", _("Action required")


class EscalationTrigger(models.TextChoices):
    """What raises an entry in the escalation log (point C). Each has a policy level."""

    PRIORITY_TARGET_MISSED = "priority_target_missed", _("Priority target missed")
    REASSESSMENT_OVERDUE = "reassessment_overdue", _("Reassessment overdue")
    BAND_RAISED = "band_raised", _("Risk band raised to high or very high")
    BAIL_EXPIRING = "bail_expiring", _("Bail expiring without a decision")
    EXTERNAL_NOT_REVIEWED = "external_not_reviewed", _("External allocation not reviewed")
    DECISION_OVERDUE = "decision_overdue", _("Decision point passed without a decision")


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


# --- pre-charge bail (point F) -------------------------------------------------------------


class BailStage(models.TextChoices):
    """Stages of the applicable bail period under PACE 1984 s47ZA–ZM (as amended in 2022)."""

    INITIAL = "initial", _("Initial period (up to 3 months)")
    EXTENDED_6 = "extended_6", _("Extended to 6 months")
    EXTENDED_9 = "extended_9", _("Extended to 9 months")
    COURT = "court", _("Extended by a magistrates' court")


# The stage that follows each one when extended by a police officer (then the court).
NEXT_STAGE = {
    BailStage.INITIAL: BailStage.EXTENDED_6,
    BailStage.EXTENDED_6: BailStage.EXTENDED_9,
    BailStage.EXTENDED_9: BailStage.COURT,
    BailStage.COURT: BailStage.COURT,
}


class BailEndReason(models.TextChoices):
    RETURNED = "returned", _("Answered bail: decision due")
    CHARGED = "charged", _("Charged")
    NFA = "nfa", _("No further action")
    RUI = "rui", _("Released under investigation")
    CAUTION = "caution", _("Cautioned")


class CheckMethod(models.TextChoices):
    HOME_VISIT = "home_visit", _("Visit to the bail address")
    PHONE = "phone", _("Telephone call")
    DEVICE = "device", _("Check of devices or online activity")
    PARTNER = "partner", _("Information from a partner agency")
    OTHER = "other", _("Other")


class CheckOutcome(models.TextChoices):
    COMPLIED = "complied", _("Complied with the conditions")
    BREACH = "breach", _("Breach of conditions")


class CourtOutcome(models.TextChoices):
    GRANTED = "granted", _("Extension granted")
    REFUSED = "refused", _("Extension refused")


# --- support for the suspect's family (point G) ---------------------------------------------


class WelfareAssessment(models.TextChoices):
    """The suspect welfare prompt at enforcement: self-harm and suicide risk considered."""

    NO_INDICATION = "no_indication", _("Considered: no indication of self-harm or suicide risk")
    RISK_IDENTIFIED = "risk_identified", _("Considered: risk of self-harm or suicide identified")


class SupportOfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
