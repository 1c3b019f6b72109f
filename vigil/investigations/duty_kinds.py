"""Duties the investigations app opens, what domain state says should be open (for
`vigil duties check`), and the escalation log entries the sweep raises when they escalate.

Every duty's team is the owning team (POLIT keeps oversight of work allocated elsewhere);
its assignee is the officer in the case.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.duties.registry import add_escalate_hook, declare_duty_kind
from vigil.investigations.choices import OPEN_STATES, DecisionPointKind, EscalationTrigger

REASSESSMENT = "investigations.reassessment"
EVENT_REASSESSMENT = "investigations.event_reassessment"
ENFORCEMENT_DECISION = "investigations.enforcement_decision"
POST_ARREST_DECISION = "investigations.post_arrest_decision"
OVERSIGHT_REVIEW = "investigations.oversight_review"
ESCALATION_ACKNOWLEDGE = "investigations.escalation_acknowledge"
ESCALATION_RESOLVE = "investigations.escalation_resolve"
BAIL_EXPIRY = "investigations.bail_expiry"
BAIL_CONDITION_CHECK = "investigations.bail_condition_check"
BAIL_COURT_DECISION = "investigations.bail_court_decision"
FAMILY_SUPPORT = "investigations.family_support"

DECISION_DUTY = {
    DecisionPointKind.ENFORCEMENT: ENFORCEMENT_DECISION,
    DecisionPointKind.POST_ARREST: POST_ARREST_DECISION,
}

# Referral duties whose escalation is logged centrally (declared by the referrals app).
REFERRAL_TARGET_KINDS = ("referrals.action_target",)

INVESTIGATION = "investigations.investigation"
ENTRY = "investigations.escalationlogentry"
BAIL = "investigations.bail"
COURT_APPLICATION = "investigations.bailcourtapplication"


def _investigation_url(subject_id):
    return reverse("investigations:detail", args=[subject_id])


def _entry_url(subject_id):
    return reverse("investigations:escalation", args=[subject_id])


def _open_investigations(now):
    from vigil.investigations.models import Investigation

    rows = Investigation.objects.filter(state__in=OPEN_STATES).values_list("uuid", flat=True)
    return {(INVESTIGATION, u) for u in rows}


def _event_reassessments(now):
    from vigil.investigations.models import Investigation

    rows = Investigation.objects.filter(
        state__in=OPEN_STATES, event_reassessment_due_at__isnull=False
    ).values_list("uuid", flat=True)
    return {(INVESTIGATION, u) for u in rows}


def _decision_points(kind):
    def expected(now):
        from vigil.investigations.models import DecisionPoint

        rows = DecisionPoint.objects.filter(
            kind=kind, decided_at__isnull=True, withdrawn_at__isnull=True
        ).values_list("investigation__uuid", flat=True)
        return {(INVESTIGATION, u) for u in rows}

    return expected


def _external(now):
    from django.db.models import F

    from vigil.investigations.models import Investigation

    rows = (
        Investigation.objects.filter(state__in=OPEN_STATES)
        .exclude(allocated_team=F("owning_team"))
        .values_list("uuid", flat=True)
    )
    return {(INVESTIGATION, u) for u in rows}


def _entries(acknowledged: bool):
    def expected(now):
        from vigil.investigations.models import EscalationLogEntry

        rows = EscalationLogEntry.objects.filter(
            resolved_at__isnull=True, acknowledged_at__isnull=not acknowledged
        ).values_list("uuid", flat=True)
        return {(ENTRY, u) for u in rows}

    return expected


def _hook(trigger):
    def hook(duties, level, now):
        from vigil.investigations.services import escalations_from_duties

        escalations_from_duties(duties=duties, trigger=trigger, level=level, now=now)

    hook.__name__ = f"escalate_{trigger}"
    return hook


def _acknowledge_overdue(duties, level, now):
    from vigil.investigations.services import escalations_raise_level

    escalations_raise_level(duties=duties, level=level, now=now)


declare_duty_kind(
    REASSESSMENT,
    label=_("Reassess the risk in an investigation"),
    expected=_open_investigations,
    url=_investigation_url,
    on_escalate=_hook(EscalationTrigger.REASSESSMENT_OVERDUE),
)
declare_duty_kind(
    EVENT_REASSESSMENT,
    label=_("Reassess the risk after an arrest or bail return"),
    expected=_event_reassessments,
    url=_investigation_url,
    escalate_supervisor_days=1,
    escalate_manager_days=7,
    on_escalate=_hook(EscalationTrigger.REASSESSMENT_OVERDUE),
)
declare_duty_kind(
    ENFORCEMENT_DECISION,
    label=_("Record the enforcement decision"),
    expected=_decision_points(DecisionPointKind.ENFORCEMENT),
    url=_investigation_url,
    escalate_supervisor_days=0,
    escalate_manager_days=7,
    on_escalate=_hook(EscalationTrigger.DECISION_OVERDUE),
)
declare_duty_kind(
    POST_ARREST_DECISION,
    label=_("Record the decision after arrest"),
    expected=_decision_points(DecisionPointKind.POST_ARREST),
    url=_investigation_url,
    escalate_supervisor_days=0,
    escalate_manager_days=2,
    on_escalate=_hook(EscalationTrigger.DECISION_OVERDUE),
)
declare_duty_kind(
    OVERSIGHT_REVIEW,
    label=_("Review an investigation allocated outside the team"),
    expected=_external,
    url=_investigation_url,
    on_escalate=_hook(EscalationTrigger.EXTERNAL_NOT_REVIEWED),
)
declare_duty_kind(
    ESCALATION_ACKNOWLEDGE,
    label=_("Acknowledge an escalation"),
    expected=_entries(acknowledged=False),
    url=_entry_url,
    escalate_supervisor_days=0,
    escalate_manager_days=0,
    on_escalate=_acknowledge_overdue,
)
declare_duty_kind(
    ESCALATION_RESOLVE,
    label=_("Resolve an escalation"),
    expected=_entries(acknowledged=True),
    url=_entry_url,
)


def _bail_url(subject_id):
    return reverse("investigations:bail-redirect", args=[subject_id])


def _court_application_url(subject_id):
    return reverse("investigations:court-application-redirect", args=[subject_id])


def _bails_expiring(now):
    """Active bails without an application to the court waiting for its decision."""
    from vigil.investigations.models import Bail

    rows = (
        Bail.objects.filter(ended_at__isnull=True)
        .exclude(court_applications__outcome="")
        .values_list("uuid", flat=True)
    )
    return {(BAIL, u) for u in rows}


def _bail_checks_owed(now):
    from vigil.investigations.models import Bail

    rows = Bail.objects.filter(ended_at__isnull=True, check_due_at__isnull=False).values_list(
        "uuid", flat=True
    )
    return {(BAIL, u) for u in rows}


def _court_decisions(now):
    from vigil.investigations.models import BailCourtApplication

    rows = BailCourtApplication.objects.filter(outcome="", bail__ended_at__isnull=True).values_list(
        "uuid", flat=True
    )
    return {(COURT_APPLICATION, u) for u in rows}


def _family_support(now):
    from vigil.investigations.models import Investigation

    rows = Investigation.objects.filter(
        state__in=OPEN_STATES, first_enforcement_at__isnull=False, family_support__isnull=True
    ).values_list("uuid", flat=True)
    return {(INVESTIGATION, u) for u in rows}


def _bail_expiring(duties, level, now):
    from vigil.investigations.services import escalations_from_bail_duties

    escalations_from_bail_duties(duties=duties, level=level, now=now)


declare_duty_kind(
    BAIL_EXPIRY,
    label=_("Decide before pre-charge bail expires: extend, charge, release or no further action"),
    expected=_bails_expiring,
    url=_bail_url,
    # Due when the warning falls (policy: 14 days before expiry); escalated (and logged as
    # "bail expiring without a decision") a week later, to managers 12 days later.
    escalate_supervisor_days=7,
    escalate_manager_days=12,
    on_escalate=_bail_expiring,
)
declare_duty_kind(
    BAIL_CONDITION_CHECK,
    label=_("Check the suspect is keeping the bail conditions"),
    expected=_bail_checks_owed,
    url=_bail_url,
)
declare_duty_kind(
    BAIL_COURT_DECISION,
    label=_("Record the court's decision on extending bail"),
    expected=_court_decisions,
    url=_court_application_url,
    escalate_supervisor_days=0,
    escalate_manager_days=2,
)
declare_duty_kind(
    FAMILY_SUPPORT,
    label=_("Offer support to the suspect's family"),
    expected=_family_support,
    url=lambda subject_id: reverse("investigations:family-support", args=[subject_id]),
    escalate_supervisor_days=1,
    escalate_manager_days=7,
)
for _code in REFERRAL_TARGET_KINDS:
    add_escalate_hook(_code, _hook(EscalationTrigger.PRIORITY_TARGET_MISSED))
