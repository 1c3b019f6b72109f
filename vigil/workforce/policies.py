"""The workforce module's tunable numbers: workload weights and thresholds, abstraction
review and repeat limits, the screening interval, and when a supervisor's trauma-informed
training is due (the refresh warning, and the time a newly in-scope supervisor has).

The workload weights are Vigil defaults for a force to set: points per case, by kind.
"""

from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, declare

POINTS = _("points")

NOMINAL_WEIGHT = {
    "very_high": "workforce.weight.nominal_very_high",
    "high": "workforce.weight.nominal_high",
    "medium": "workforce.weight.nominal_medium",
    "low": "workforce.weight.nominal_low",
    "": "workforce.weight.nominal_unassessed",
}
NOMINAL_REACTIVE = "workforce.weight.nominal_reactive"
INVESTIGATION_WEIGHT = {
    "very_high": "workforce.weight.investigation_very_high",
    "high": "workforce.weight.investigation_high",
    "medium": "workforce.weight.investigation_medium",
    "low": "workforce.weight.investigation_low",
    "": "workforce.weight.investigation_ungraded",
}
INVESTIGATION_ENFORCEMENT = "workforce.weight.investigation_enforcement_stage"
REFERRAL_TRIAGE = "workforce.weight.referral_in_triage"
OPEN_DUTY = "workforce.weight.open_duty"
THRESHOLD = {
    "officer": "workforce.threshold.officer",
    "supervisor": "workforce.threshold.supervisor",
}
ABSTRACTION_REVIEW_DAYS = "workforce.abstraction_review_days"
REPEAT_LIMIT = "workforce.abstraction_repeat_limit"
REPEAT_WINDOW_DAYS = "workforce.abstraction_repeat_window_days"
REPEAT_FLAG_DAYS = "workforce.abstraction_repeat_flag_days"
SCREENING_MONTHS = "workforce.screening_interval_months"
TRAINING_REFRESH_WARNING_DAYS = "workforce.training_refresh_warning_days"
TRAINING_FIRST_DAYS = "workforce.training_first_within_days"

_NOMINAL_DEFAULTS = {"very_high": 12, "high": 8, "medium": 4, "low": 2, "": 4}
_NOMINAL_LABELS = {
    "very_high": _("Workload of a very-high-risk nominal in active management"),
    "high": _("Workload of a high-risk nominal in active management"),
    "medium": _("Workload of a medium-risk nominal in active management"),
    "low": _("Workload of a low-risk nominal in active management"),
    "": _("Workload of a nominal without an approved risk assessment"),
}
for level, key in NOMINAL_WEIGHT.items():
    declare(
        key,
        label=_NOMINAL_LABELS[level],
        default=_NOMINAL_DEFAULTS[level],
        unit=POINTS,
        source=Source.VIGIL,
        minimum=0,
        maximum=100,
        note=_("Point D: weighted workload per officer. The force sets its own weights."),
    )
declare(
    NOMINAL_REACTIVE,
    label=_("Workload of a nominal in reactive management (any risk level)"),
    default=1,
    unit=POINTS,
    source=Source.VIGIL,
    minimum=0,
    maximum=100,
)

_INVESTIGATION_DEFAULTS = {"very_high": 15, "high": 10, "medium": 6, "low": 4, "": 6}
_INVESTIGATION_LABELS = {
    "very_high": _("Workload of an open very-high-priority investigation"),
    "high": _("Workload of an open high-priority investigation"),
    "medium": _("Workload of an open medium-priority investigation"),
    "low": _("Workload of an open low-priority investigation"),
    "": _("Workload of an open investigation without a priority"),
}
for level, key in INVESTIGATION_WEIGHT.items():
    declare(
        key,
        label=_INVESTIGATION_LABELS[level],
        default=_INVESTIGATION_DEFAULTS[level],
        unit=POINTS,
        source=Source.VIGIL,
        minimum=0,
        maximum=100,
    )
declare(
    INVESTIGATION_ENFORCEMENT,
    label=_("Extra workload of an investigation at enforcement or just after arrest"),
    default=4,
    unit=POINTS,
    source=Source.VIGIL,
    minimum=0,
    maximum=100,
)
declare(
    REFERRAL_TRIAGE,
    label=_("Workload of a referral in triage (assessment or grading assigned)"),
    default=2,
    unit=POINTS,
    source=Source.VIGIL,
    minimum=0,
    maximum=100,
)
declare(
    OPEN_DUTY,
    label=_("Workload of any other open duty"),
    default=1,
    unit=POINTS,
    source=Source.VIGIL,
    minimum=0,
    maximum=100,
)
declare(
    THRESHOLD["officer"],
    label=_("Manageable workload of a full-time investigator or offender manager"),
    default=120,
    unit=POINTS,
    source=Source.VIGIL,
    minimum=1,
    maximum=10000,
    note=_("Reduced in proportion to contracted hours and protected time."),
)
declare(
    THRESHOLD["supervisor"],
    label=_("Manageable workload of a full-time supervisor (own cases)"),
    default=40,
    unit=POINTS,
    source=Source.VIGIL,
    minimum=1,
    maximum=10000,
    note=_("Reduced in proportion to contracted hours and protected time."),
)
declare(
    ABSTRACTION_REVIEW_DAYS,
    label=_("Supervisor review of an abstraction within"),
    default=14,
    unit=_("days after it ends"),
    source=Source.VIGIL,
    minimum=1,
    maximum=90,
)
declare(
    REPEAT_LIMIT,
    label=_("Abstractions allowed in the repeat window before an officer is flagged"),
    default=2,
    unit=_("abstractions"),
    source=Source.HMICFRS,
    minimum=0,
    maximum=50,
    note=_("Point K: the inspection's example is more than 2 in 90 days."),
)
declare(
    REPEAT_WINDOW_DAYS,
    label=_("Repeat-abstraction window"),
    default=90,
    unit=_("days"),
    source=Source.HMICFRS,
    minimum=7,
    maximum=366,
)
declare(
    REPEAT_FLAG_DAYS,
    label=_("Manager's review of a repeatedly abstracted officer within"),
    default=10,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=90,
)
declare(
    SCREENING_MONTHS,
    label=_("Psychological health screening at least every"),
    default=12,
    unit=_("months"),
    source=Source.HMICFRS,
    minimum=1,
    maximum=36,
)
declare(
    TRAINING_REFRESH_WARNING_DAYS,
    label=_("Refresh duty for expiring training opened before expiry by"),
    default=60,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=365,
    note=_("Point S: the supervisor's duty to refresh trauma-informed training."),
)
declare(
    TRAINING_FIRST_DAYS,
    label=_("A supervisor in scope with no trauma-informed training to complete it within"),
    default=90,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=365,
)
