"""Tunable numbers of referral intake: assessment time, priority target times, sign-off."""

from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Kind, Source, declare

HMICFRS_NOTE = _(
    "The response times reported for HMICFRS's 2023 inspection of the police response to "
    "online child sexual abuse. A force sets its own."
)

# Priority → policy key of its target action time (days from grading).
TARGET_DAYS_KEYS = {
    "very_high": "referrals.target_days.very_high",
    "high": "referrals.target_days.high",
    "medium": "referrals.target_days.medium",
    "low": "referrals.target_days.low",
}
ASSESSMENT_WORKING_DAYS = "referrals.assessment_working_days"
SIGN_OFF_WORKING_DAYS = "referrals.sign_off_working_days"
RSO_NOTICE_WORKING_DAYS = "referrals.rso_notice_working_days"
GRADING_REQUIRES_SIGN_OFF = "referrals.grading_requires_sign_off"

declare(
    TARGET_DAYS_KEYS["very_high"],
    label=_("Target action time for a very high priority referral"),
    default=1,
    unit=_("days"),
    source=Source.HMICFRS,
    minimum=0,
    maximum=365,
    note=HMICFRS_NOTE,
)
declare(
    TARGET_DAYS_KEYS["high"],
    label=_("Target action time for a high priority referral"),
    default=7,
    unit=_("days"),
    source=Source.HMICFRS,
    minimum=0,
    maximum=365,
    note=HMICFRS_NOTE,
)
declare(
    TARGET_DAYS_KEYS["medium"],
    label=_("Target action time for a medium priority referral"),
    default=14,
    unit=_("days"),
    source=Source.HMICFRS,
    minimum=0,
    maximum=365,
    note=HMICFRS_NOTE,
)
declare(
    TARGET_DAYS_KEYS["low"],
    label=_("Target action time for a low priority referral"),
    default=30,
    unit=_("days"),
    source=Source.HMICFRS,
    minimum=0,
    maximum=365,
    note=HMICFRS_NOTE,
)
declare(
    ASSESSMENT_WORKING_DAYS,
    label=_("Risk-assess and grade a referral within this many working days of receipt"),
    default=1,
    unit=_("working days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=30,
)
declare(
    SIGN_OFF_WORKING_DAYS,
    label=_("A supervisor signs off a referral's grading within this many working days"),
    default=1,
    unit=_("working days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=30,
)
declare(
    RSO_NOTICE_WORKING_DAYS,
    label=_(
        "The offender manager acknowledges a referral about a registered sex offender "
        "within this many working days"
    ),
    default=1,
    unit=_("working days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=30,
)
declare(
    GRADING_REQUIRES_SIGN_OFF,
    label=_("Every referral grading needs a supervisor's sign-off"),
    default=False,
    unit="",
    source=Source.VIGIL,
    kind=Kind.BOOLEAN,
    note=_("An override of the priority always needs sign-off, whatever this says."),
)
