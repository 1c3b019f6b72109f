"""Offender management's tunable numbers: each with its default and where it comes from."""

from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Kind, Source, declare

RANK_LEVEL_NOTE = _(
    "Rank levels: 1 constable or police staff, 2 sergeant or staff supervisor, 3 inspector "
    "or staff manager, 4 chief inspector, 5 superintendent or senior staff, 6 chief "
    "superintendent, 7 chief officer."
)

# --- notification (Sexual Offences Act 2003) ------------------------------------------
declare(
    "offenders.notify_within_days",
    label=_("Initial notification, changes and staying with a child: notify within"),
    default=3,
    unit=_("days"),
    source=Source.LAW,
    minimum=1,
    maximum=14,
    note=_(
        "Sexual Offences Act 2003 ss83, 84 and 2012 regulations: 3 days beginning with the day."
    ),
)
declare(
    "offenders.renotify_months",
    label=_("Re-notify at least every"),
    default=12,
    unit=_("months"),
    source=Source.LAW,
    minimum=1,
    maximum=12,
    note=_("Sexual Offences Act 2003 s85: within one year of the last notification."),
)
declare(
    "offenders.foreign_travel_notice_days",
    label=_("Foreign travel: notify at least this many days before leaving"),
    default=7,
    unit=_("days"),
    source=Source.LAW,
    minimum=0,
    maximum=30,
)
declare(
    "offenders.weekly_reporting_days",
    label=_("No fixed abode: report every"),
    default=7,
    unit=_("days"),
    source=Source.LAW,
    minimum=1,
    maximum=14,
)

# --- risk, plans, reviews -------------------------------------------------------------
declare(
    "offenders.arms_interval_months",
    label=_("ARMS assessment due every"),
    default=12,
    unit=_("months"),
    source=Source.VIGIL,
    minimum=1,
    maximum=24,
)
declare(
    "offenders.arms_trigger_days",
    label=_("ARMS after a trigger (intelligence, change, breach, release) due within"),
    default=28,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=90,
)
declare(
    "offenders.intelligence_review_days",
    label=_("Offender manager reviews new intelligence within"),
    default=7,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=60,
)
declare(
    "offenders.supervisor_review_months",
    label=_("Supervisor reviews each ARMS, plan and visit within"),
    default=1,
    unit=_("months"),
    source=Source.HMICFRS,
    minimum=1,
    maximum=3,
)
_PRE_2017 = _(
    "The national visit regime before 2017 (APP). Plans may set visits more often, never less."
)
for level, months, label in [
    ("very_high", 1, _("Home visits for very high risk: at least every")),
    ("high", 3, _("Home visits for high risk: at least every")),
    ("medium", 6, _("Home visits for medium risk: at least every")),
    ("low", 12, _("Home visits for low risk: at least every")),
]:
    declare(
        f"offenders.visit_max_months.{level}",
        label=label,
        default=months,
        unit=_("months"),
        source=Source.APP,
        minimum=1,
        maximum=24,
        note=_PRE_2017,
    )

# --- visits: authorisation and dip-checks ----------------------------------------------
declare(
    "offenders.visit_authorisation_rank_level",
    label=_("Announced or single-officer visits are authorised by at least rank level"),
    default=2,
    unit=_("rank level"),
    source=Source.APP,
    minimum=1,
    maximum=7,
    note=RANK_LEVEL_NOTE,
)
declare(
    "offenders.visit_authorisation_hours",
    label=_("Authorise a non-compliant visit no later than this after it"),
    default=24,
    unit=_("hours"),
    source=Source.VIGIL,
    minimum=1,
    maximum=168,
)
declare(
    "offenders.visit_authorisation_backdate_days",
    label=_("An authorisation may be dated at most this many days before the visit"),
    default=14,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=90,
    note=_(
        "When the authoriser says the decision was made before it was entered (before the "
        "visit, say). The audit log keeps when it was entered."
    ),
)
declare(
    "offenders.dip_check_percent",
    label=_("Share of visit authorisations dip-checked each month"),
    default=10,
    unit=_("per cent"),
    source=Source.VIGIL,
    kind=Kind.DECIMAL,
    minimum=1,
    maximum=100,
)
declare(
    "offenders.dip_check_rank_level",
    label=_("Dip-checks of authorisations are made by at least rank level"),
    default=3,
    unit=_("rank level"),
    source=Source.VIGIL,
    minimum=2,
    maximum=7,
    note=RANK_LEVEL_NOTE,
)

# --- caseload (L) ----------------------------------------------------------------------
declare(
    "offenders.caseload_threshold",
    label=_("Manageable caseload per offender manager"),
    default=50,
    unit=_("nominals"),
    source=Source.VIGIL,
    minimum=1,
    maximum=500,
    note=_('HMICFRS called 100 per manager "double what we would like to see".'),
)

# --- reactive management (P) -----------------------------------------------------------
declare(
    "offenders.reactive_low_years",
    label=_("Reactive management: risk level low for at least"),
    default=3,
    unit=_("years"),
    source=Source.APP,
    minimum=1,
    maximum=10,
    note=_(
        "Also the period with no breach, new offending or intelligence of concern. The "
        "risk level is the one of the approved ARMS assessments."
    ),
)
declare(
    "offenders.reactive_approval_rank_level",
    label=_("Reactive management is approved by at least rank level"),
    default=3,
    unit=_("rank level"),
    source=Source.VIGIL,
    minimum=2,
    maximum=7,
    note=RANK_LEVEL_NOTE,
)
declare(
    "offenders.reactive_approval_days",
    label=_("A request for reactive management is decided within"),
    default=14,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=60,
)
declare(
    "offenders.reactive_review_months",
    label=_("Eligibility for reactive management is reviewed every"),
    default=12,
    unit=_("months"),
    source=Source.VIGIL,
    minimum=1,
    maximum=24,
)
declare(
    "offenders.reactive_trigger_review_days",
    label=_(
        "Reactive management is reviewed after new intelligence, a breach or a change "
        "of circumstances within"
    ),
    default=14,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=60,
)

# --- transfers to another force ----------------------------------------------------------
declare(
    "offenders.transfer_decision_days",
    label=_("A request to transfer management to another force is decided within"),
    default=14,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=90,
)

# --- PND checks (Q) -----------------------------------------------------------------------
declare(
    "offenders.pnd_interval_months",
    label=_("PND check at least every"),
    default=12,
    unit=_("months"),
    source=Source.VIGIL,
    minimum=1,
    maximum=24,
)
declare(
    "offenders.pnd_first_check_days",
    label=_("First PND check after registration within"),
    default=28,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=180,
)
declare(
    "offenders.pnd_assess_days",
    label=_("A PND check is assessed within"),
    default=7,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=60,
)
_PND_BEFORE_VISIT = _("When yes, a PND check is also due before each home visit at this level.")
for level, default, label in [
    ("very_high", True, _("PND check before each home visit for very high risk")),
    ("high", True, _("PND check before each home visit for high risk")),
    ("medium", False, _("PND check before each home visit for medium risk")),
    ("low", False, _("PND check before each home visit for low risk")),
]:
    declare(
        f"offenders.pnd_before_visit.{level}",
        label=label,
        default=default,
        unit=_("yes or no"),
        source=Source.VIGIL,
        kind=Kind.BOOLEAN,
        note=_PND_BEFORE_VISIT,
    )

from vigil.offenders import completeness  # noqa: E402,F401  (declares the completeness rules' policies)
