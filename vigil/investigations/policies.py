"""The investigation lifecycle's tunable numbers (points B, C and E)."""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, declare
from vigil.investigations.choices import EscalationTrigger

declare(
    "investigations.reassessment_interval_days",
    label=_("Reassess the risk of an open investigation at least every this many days"),
    default=28,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=365,
    note=_("A reassessment duty falls due this many days after the last assessment."),
)
declare(
    "investigations.reassessment_before_enforcement_days",
    label=_("An arrest or voluntary attendance needs a reassessment within this many days"),
    default=7,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=90,
    note=_("Without one, only a supervisor can record the decision, with a reason."),
)
declare(
    "investigations.event_reassessment_days",
    label=_("Reassess within this many days of an arrest or a return from bail"),
    default=2,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=30,
)
declare(
    "investigations.oversight_review_days",
    label=_("Owning-team supervisor reviews an investigation allocated outside the team every"),
    default=28,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=365,
)
declare(
    "investigations.enforcement_decision_days",
    label=_("Record the enforcement decision within this many days of awaiting enforcement"),
    default=14,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=365,
)
declare(
    "investigations.post_arrest_decision_days",
    label=_("Record the decision after arrest (bail, release, charge) within"),
    default=1,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=30,
    note=_("The custody time limit under PACE is normally 24 hours."),
)
declare(
    "investigations.rui_authorising_rank",
    label=_("Release under investigation is authorised at this rank level or above"),
    default=3,
    unit=_("rank level"),
    source=Source.VIGIL,
    minimum=2,
    maximum=7,
    note=_(
        "2 sergeant, 3 inspector, 4 chief inspector, 5 superintendent, 6 chief superintendent, "
        "7 chief officer. Police staff grades count at the level of the rank beside them."
    ),
)
declare(
    "investigations.escalation_acknowledge_days",
    label=_("An escalation is acknowledged within this many days"),
    default=2,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=90,
    note=_("Not acknowledged in time, it rises to the team's managers."),
)
declare(
    "investigations.escalation_resolve_days",
    label=_("An escalation is resolved within this many days"),
    default=14,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=365,
)

# The level each trigger raises an escalation at: 0 off, 1 supervisors, 2 managers.
TRIGGER_LEVEL_DEFAULTS = {
    EscalationTrigger.PRIORITY_TARGET_MISSED: 1,
    EscalationTrigger.REASSESSMENT_OVERDUE: 1,
    EscalationTrigger.BAND_RAISED: 1,
    EscalationTrigger.BAIL_EXPIRING: 2,
    EscalationTrigger.EXTERNAL_NOT_REVIEWED: 1,
    EscalationTrigger.DECISION_OVERDUE: 1,
}


def trigger_level_key(trigger: str) -> str:
    return f"investigations.escalation_level.{trigger}"


def _trigger_label(trigger_label) -> str:
    return gettext("Escalation level when: %(trigger)s") % {"trigger": str(trigger_label)}


trigger_label = lazy(_trigger_label, str)

for _trigger, _default in TRIGGER_LEVEL_DEFAULTS.items():
    declare(
        trigger_level_key(_trigger),
        label=trigger_label(_trigger.label),
        default=_default,
        unit=_("escalation level"),
        source=Source.VIGIL,
        minimum=0,
        maximum=2,
        note=_("0: not escalated; 1: the owning team's supervisors; 2: its managers."),
    )

# --- pre-charge bail (point F) -------------------------------------------------------------

PACE_NOTE = _(
    "Police and Criminal Evidence Act 1984, sections 47ZA to 47ZD, as amended by the Police, "
    "Crime, Sentencing and Courts Act 2022."
)
RANK_LEVELS_NOTE = _(
    "2 sergeant, 3 inspector, 4 chief inspector, 5 superintendent, 6 chief superintendent, "
    "7 chief officer. Only police officers authorise bail, not police staff."
)
# (stage, months from the bail start date, rank level, label of the months, label of the rank)
BAIL_STAGE_POLICIES = {
    "initial": (
        "investigations.bail_initial_months",
        3,
        _("Initial applicable bail period (months from the bail start date)"),
        "investigations.bail_initial_rank",
        2,
        _("The initial bail period is authorised by a custody officer of this rank level or above"),
    ),
    "extended_6": (
        "investigations.bail_extension_1_months",
        6,
        _("First extension: bail period ends this many months after the bail start date"),
        "investigations.bail_extension_1_rank",
        3,
        _("The first extension is authorised at this rank level or above"),
    ),
    "extended_9": (
        "investigations.bail_extension_2_months",
        9,
        _("Second extension: bail period ends this many months after the bail start date"),
        "investigations.bail_extension_2_rank",
        5,
        _("The second extension is authorised at this rank level or above"),
    ),
}
for (
    _months_key,
    _months,
    _months_label,
    _rank_key,
    _rank,
    _rank_label,
) in BAIL_STAGE_POLICIES.values():
    declare(
        _months_key,
        label=_months_label,
        default=_months,
        unit=_("months"),
        source=Source.LAW,
        minimum=1,
        maximum=24,
        note=PACE_NOTE,
    )
    declare(
        _rank_key,
        label=_rank_label,
        default=_rank,
        unit=_("rank level"),
        source=Source.LAW,
        minimum=2,
        maximum=7,
        note=lazy(lambda: f"{PACE_NOTE} {RANK_LEVELS_NOTE}", str)(),
    )
declare(
    "investigations.bail_expiry_warning_days",
    label=_("Warn this many days before pre-charge bail expires without a decision"),
    default=14,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=60,
    note=_(
        "A duty to decide (extend, charge, release or take no further action) falls due this "
        "many days before the bail expires; left undone, the sweep escalates it and raises "
        "“bail expiring without a decision” in the escalation log."
    ),
)
declare(
    "investigations.bail_check_due_percent",
    label=_("A bail condition check falls due this far into each bail period"),
    default=50,
    unit=_("% of the period"),
    source=Source.VIGIL,
    minimum=1,
    maximum=100,
    note=_("At least one check is recorded inside every bail period (HMICFRS, point F)."),
)

# --- support for the suspect's family (point G) ---------------------------------------------

declare(
    "investigations.family_support_days",
    label=_("Offer support to the suspect's family within this many days of first enforcement"),
    default=2,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=60,
    note=_("Counted in calendar days from the day of the first arrest or voluntary attendance."),
)
