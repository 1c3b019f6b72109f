"""Duties the offenders app opens, and what `vigil duties check` expects of each.

| kind                              | subject                 | open while                         |
|-----------------------------------|-------------------------|------------------------------------|
| offenders.notification            | NotificationEvent       | the notification is due            |
| offenders.arms                    | Nominal                 | the nominal is active              |
| offenders.plan_review             | Plan (latest version)   | the nominal is active              |
| offenders.visit                   | Nominal                 | active, with a plan                |
| offenders.visit_authorisation     | Visit                   | non-compliant and not authorised   |
| offenders.supervisor_review       | Review                  | not yet reviewed                   |
| offenders.intelligence_review     | Intelligence            | not yet reviewed by the manager    |
| offenders.dip_check               | DipCheck                | not yet checked                    |
| offenders.pnd_check               | Nominal                 | the nominal is active              |
| offenders.reactive_approval       | ModeDecision            | the request awaits a decision      |
| offenders.reactive_review         | Nominal                 | reactive (and still subject)       |
| offenders.reactive_trigger        | Nominal                 | reactive, with a review called for |
| offenders.transfer                | ManagementTransfer      | requested, not yet decided         |

The visit duty is not kept for a nominal on reactive management (no scheduled visits).
"""

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.duties.registry import declare_duty_kind, declare_risk_unassessed

NOTIFICATION = "offenders.notification"
ARMS = "offenders.arms"
PLAN_REVIEW = "offenders.plan_review"
VISIT = "offenders.visit"
VISIT_AUTHORISATION = "offenders.visit_authorisation"
SUPERVISOR_REVIEW = "offenders.supervisor_review"
INTELLIGENCE_REVIEW = "offenders.intelligence_review"
DIP_CHECK = "offenders.dip_check"
PND_CHECK = "offenders.pnd_check"
REACTIVE_APPROVAL = "offenders.reactive_approval"
REACTIVE_REVIEW = "offenders.reactive_review"
REACTIVE_TRIGGER = "offenders.reactive_trigger"
TRANSFER = "offenders.transfer"

# Every kind this app opens (a nominal's duties follow its risk level).
ALL_KINDS = [
    NOTIFICATION,
    ARMS,
    PLAN_REVIEW,
    VISIT,
    VISIT_AUTHORISATION,
    SUPERVISOR_REVIEW,
    INTELLIGENCE_REVIEW,
    DIP_CHECK,
    PND_CHECK,
    REACTIVE_APPROVAL,
    REACTIVE_REVIEW,
    REACTIVE_TRIGGER,
    TRANSFER,
]
# The kinds point L's matrix shows for MOSOVO (ARMS, plan reviews and visits).
OUTSTANDING_KINDS = [ARMS, PLAN_REVIEW, VISIT]


def _pairs(label, qs):
    return {(label, u) for u in qs.values_list("uuid", flat=True)}


def _expected_notifications(now):
    from vigil.offenders.models import NotificationEvent

    return _pairs(
        "offenders.notificationevent",
        NotificationEvent.objects.filter(status="pending").exclude(nominal__status="ended"),
    )


def _expected_arms(now):
    from vigil.offenders.models import Nominal

    return _pairs("offenders.nominal", Nominal.objects.filter(status="active"))


def _expected_plan_reviews(now):
    from vigil.offenders.models import Plan

    latest = (
        Plan.objects.filter(nominal_id=OuterRef("nominal_id"))
        .values("nominal_id")
        .annotate(v=Max("version"))
        .values("v")
    )
    return _pairs(
        "offenders.plan",
        Plan.objects.filter(nominal__status="active", version=Subquery(latest)),
    )


def _expected_visits(now):
    from vigil.offenders.models import Nominal

    return _pairs(
        "offenders.nominal",
        Nominal.objects.filter(status="active", plans__isnull=False)
        .exclude(management_mode="reactive")
        .distinct(),
    )


def _expected_authorisations(now):
    from vigil.offenders.models import Visit

    return _pairs(
        "offenders.visit", Visit.objects.filter(compliant=False, authorisation__isnull=True)
    )


def _expected_reviews(now):
    from vigil.offenders.models import Review

    return _pairs("offenders.review", Review.objects.filter(reviewed_at__isnull=True))


def _expected_intelligence(now):
    from vigil.offenders.models import Intelligence

    return _pairs("offenders.intelligence", Intelligence.objects.filter(reviewed_at__isnull=True))


def _expected_dip_checks(now):
    from vigil.offenders.models import DipCheck

    return _pairs("offenders.dipcheck", DipCheck.objects.filter(checked_at__isnull=True))


def _expected_pnd_checks(now):
    from vigil.offenders.models import Nominal

    return _pairs("offenders.nominal", Nominal.objects.filter(status="active"))


def _expected_reactive_approvals(now):
    from vigil.offenders.models import ModeDecision

    return _pairs("offenders.modedecision", ModeDecision.objects.filter(status="proposed"))


def _expected_reactive_reviews(now):
    from vigil.offenders.models import Nominal

    return _pairs(
        "offenders.nominal",
        Nominal.objects.filter(management_mode="reactive").exclude(status="ended"),
    )


def _expected_reactive_triggers(now):
    from vigil.offenders.models import Nominal

    return _pairs(
        "offenders.nominal",
        Nominal.objects.filter(
            management_mode="reactive", reactive_review_triggered_on__isnull=False
        ).exclude(status="ended"),
    )


def _expected_transfers(now):
    from vigil.offenders.models import ManagementTransfer

    return _pairs(
        "offenders.managementtransfer", ManagementTransfer.objects.filter(status="requested")
    )


def _url(name):
    return lambda subject_id: reverse(f"offenders:{name}", args=[subject_id])


declare_duty_kind(
    NOTIFICATION,
    label=_("Notification due from a nominal"),
    expected=_expected_notifications,
    url=_url("notification-record"),
)
declare_duty_kind(ARMS, label=_("ARMS assessment"), expected=_expected_arms, url=_url("risk"))
declare_duty_kind(
    PLAN_REVIEW,
    label=_("Risk management plan review"),
    expected=_expected_plan_reviews,
    url=_url("plan-go"),
)
declare_duty_kind(VISIT, label=_("Home visit"), expected=_expected_visits, url=_url("visits"))
declare_duty_kind(
    VISIT_AUTHORISATION,
    label=_("Authorise a non-compliant home visit"),
    expected=_expected_authorisations,
    url=_url("visit-detail"),
    escalate_supervisor_days=1,
    escalate_manager_days=3,
)
declare_duty_kind(
    SUPERVISOR_REVIEW,
    label=_("Supervisor review (ARMS, plan or visit)"),
    expected=_expected_reviews,
    url=_url("review-record"),
)
declare_duty_kind(
    INTELLIGENCE_REVIEW,
    label=_("Review new intelligence on a nominal"),
    expected=_expected_intelligence,
    url=_url("intelligence-review"),
)
declare_duty_kind(
    DIP_CHECK,
    label=_("Dip-check a visit authorisation"),
    expected=_expected_dip_checks,
    url=_url("dip-check-record"),
)
declare_duty_kind(
    PND_CHECK,
    label=_("PND check (carry out and assess)"),
    expected=_expected_pnd_checks,
    url=_url("pnd"),
)
declare_duty_kind(
    REACTIVE_APPROVAL,
    label=_("Decide a request for reactive management"),
    expected=_expected_reactive_approvals,
    url=_url("mode-decision"),
)
declare_duty_kind(
    REACTIVE_REVIEW,
    label=_("Review eligibility for reactive management"),
    expected=_expected_reactive_reviews,
    url=_url("management"),
)
declare_duty_kind(
    REACTIVE_TRIGGER,
    label=_("Review reactive management after new information"),
    expected=_expected_reactive_triggers,
    url=_url("management"),
)
declare_duty_kind(
    TRANSFER,
    label=_("Decide a transfer of management from another force"),
    expected=_expected_transfers,
    url=_url("transfer-detail"),
)


def _never_assessed(person) -> bool:
    """No risk level yet (no approved ARMS): the nominal's work is "not yet assessed"."""
    from vigil.offenders.models import Nominal

    return Nominal.objects.filter(person_id=person.pk, risk_level="").exists()


declare_risk_unassessed(ALL_KINDS, _never_assessed)
