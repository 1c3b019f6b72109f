"""Duties the referrals app opens, each with what domain state says should be open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.duties.registry import declare_duty_kind

ASSESSMENT = "referrals.assessment"
SIGN_OFF = "referrals.grading_sign_off"
ACTION_TARGET = "referrals.action_target"
RSO_NOTICE = "referrals.rso_suspect_notified"

SUBJECT_TYPE = "referrals.referral"


def _subjects(**filters):
    from vigil.referrals.models import Referral

    return {
        (SUBJECT_TYPE, uuid)
        for uuid in Referral.objects.filter(**filters).values_list("uuid", flat=True)
    }


def _awaiting_assessment(now):
    from vigil.referrals.choices import Status

    return _subjects(status__in=[Status.AWAITING_ASSESSMENT, Status.AWAITING_GRADING])


def _awaiting_sign_off(now):
    from vigil.referrals.choices import Status

    return _subjects(status=Status.AWAITING_SIGN_OFF)


def _awaiting_action(now):
    from vigil.referrals.choices import Status

    return _subjects(
        status__in=[Status.AWAITING_ALLOCATION, Status.ALLOCATED], actioned_at__isnull=True
    )


def _rso_notices(now):
    return _subjects(suspect_is_rso=True, rso_notice_acknowledged_at__isnull=True)


declare_duty_kind(
    ASSESSMENT,
    label=_("Risk-assess and prioritise a referral"),
    expected=_awaiting_assessment,
    url=lambda subject_id: reverse("referrals:detail", args=[subject_id]),
    escalate_supervisor_days=1,
    escalate_manager_days=5,
)
declare_duty_kind(
    SIGN_OFF,
    label=_("Sign off a referral's priority grading"),
    expected=_awaiting_sign_off,
    url=lambda subject_id: reverse("referrals:detail", args=[subject_id]),
    escalate_supervisor_days=1,
    escalate_manager_days=5,
)
declare_duty_kind(
    ACTION_TARGET,
    label=_("Action a referral within its priority's target time"),
    expected=_awaiting_action,
    url=lambda subject_id: reverse("referrals:detail", args=[subject_id]),
    escalate_supervisor_days=0,
    escalate_manager_days=7,
)
declare_duty_kind(
    RSO_NOTICE,
    label=_("A registered sex offender you manage is the suspect in a new referral"),
    expected=_rso_notices,
    url=lambda subject_id: reverse("referrals:rso-notice", args=[subject_id]),
    escalate_supervisor_days=2,
    escalate_manager_days=7,
)
