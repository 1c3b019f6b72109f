"""The evidence metric of every point A–T, declared once each (see metrics.py).

Each is an exact query on what the operational apps record. "Due in the period" metrics
count the records whose deadline fell inside the period and had passed by the as-of
moment; the numerator is those done by their deadline. Point-in-time metrics (B's open
investigations, L's outstanding work, H's records) count what was open at the moment.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.assurance.metrics import GapColumn, Window, declare_metric

TEAM = _("Team")

# --- A: referrals --------------------------------------------------------------------------


def _referral_visible(user) -> Q:
    from vigil.referrals.selectors import referral_scope

    return Q(pk__in=referral_scope(user).values("pk"))


def _referrals_received(w: Window):
    from vigil.referrals.models import Referral

    return Referral.objects.filter(w.existed(), w.in_period("received_at"), linked_to__isnull=True)


def _graded_before_allocation(w: Window) -> Q:
    return (
        ~Q(priority="")
        & w.done_by("graded_at")
        & (Q(allocated_at__isnull=True) | Q(allocated_at__gte=F("graded_at")))
    )


REFERRAL_COLUMNS = (
    GapColumn("reference", "source_reference", _("Reference")),
    GapColumn("team", "team__name", TEAM),
    GapColumn("status", "status", _("Status")),
    GapColumn("date", "received_at", _("Received")),
)

declare_metric(
    "referrals_assessed_before_allocation",
    point="A",
    label=_("Referrals risk-assessed and graded before allocation"),
    definition=_(
        "Of the referrals received in the period (not linked to an earlier referral), those "
        "with a completed risk assessment and a priority grade by the as-of date, made "
        "before any allocation."
    ),
    denominator=_referrals_received,
    numerator=_graded_before_allocation,
    visible=_referral_visible,
    gap_columns=REFERRAL_COLUMNS,
    gap_link=("referrals:detail", "uuid"),
    force_field="force",
)


def _referrals_target_due(w: Window):
    from vigil.referrals.models import Referral

    closed_untouched = Q(
        closed_at__isnull=False, closed_at__lte=F("target_at"), actioned_at__isnull=True
    )
    return (
        Referral.objects.filter(w.existed(), w.done_by("graded_at"), w.in_period("target_at"))
        .filter(linked_to__isnull=True)
        .exclude(closed_untouched)
    )


declare_metric(
    "referrals_actioned_within_target",
    point="A",
    label=_("Referrals actioned within their priority's target time"),
    definition=_(
        "Of the graded referrals whose target time (set from the priority and the policy in "
        "force at grading) fell in the period, those first actioned by it. A referral closed "
        "before its target without action is not counted."
    ),
    denominator=_referrals_target_due,
    numerator=lambda w: w.done_by("actioned_at") & Q(actioned_at__lte=F("target_at")),
    visible=_referral_visible,
    gap_columns=(
        GapColumn("reference", "source_reference", _("Reference")),
        GapColumn("team", "team__name", TEAM),
        GapColumn("priority", "priority", _("Priority")),
        GapColumn("date", "target_at", _("Target")),
    ),
    gap_link=("referrals:detail", "uuid"),
    force_field="force",
)

# --- B, C, E, F, G: investigations ---------------------------------------------------------


def _investigation_visible(prefix: str = ""):
    def visible(user) -> Q:
        from vigil.investigations.selectors import visible_investigations

        key = f"{prefix}in" if prefix else "pk__in"
        return Q(**{key: visible_investigations(user).values("pk")})

    return visible


def _enforcement_decisions(w: Window):
    from vigil.investigations.choices import ENFORCEMENT_KINDS
    from vigil.investigations.models import EnforcementDecision

    return EnforcementDecision.objects.filter(
        w.existed(), w.in_period("decided_at"), kind__in=list(ENFORCEMENT_KINDS)
    )


DECISION_COLUMNS = (
    GapColumn("kind", "kind", _("Decision")),
    GapColumn("team", "investigation__owning_team__name", TEAM),
    GapColumn("date", "decided_at", _("Decided")),
)

declare_metric(
    "enforcement_preceded_by_reassessment",
    point="B",
    label=_("Arrests and voluntary attendances preceded by a risk reassessment in time"),
    definition=_(
        "Of the arrests and voluntary attendances decided in the period, those with a risk "
        "reassessment within the policy window before them (the window in force when the "
        "decision was recorded)."
    ),
    denominator=_enforcement_decisions,
    numerator=lambda w: Q(reassessed_in_window=True),
    team_field="investigation__owning_team",
    visible=_investigation_visible("investigation__"),
    gap_columns=DECISION_COLUMNS,
    gap_link=("investigations:detail", "investigation__uuid"),
)


def _state_at(w: Window):
    from vigil.investigations.models import Transition

    last = (
        Transition.objects.filter(investigation_id=OuterRef("pk"), at__lte=w.moment)
        .order_by("-at", "-id")
        .values("to_state")[:1]
    )
    return Coalesce(Subquery(last), Value("research"))


def _open_investigations(w: Window):
    from vigil.investigations.choices import OPEN_STATES
    from vigil.investigations.models import Investigation

    return (
        Investigation.objects.filter(w.existed(), opened_at__lte=w.moment)
        .annotate(state_then=_state_at(w))
        .filter(state_then__in=[str(s) for s in OPEN_STATES])
    )


def _no_overdue_reassessment(w: Window) -> Q:
    from vigil.duties.models import Duty
    from vigil.investigations import duty_kinds

    overdue = Duty.objects.filter(
        w.open_at(),
        kind__in=[duty_kinds.REASSESSMENT, duty_kinds.EVENT_REASSESSMENT],
        subject_type=duty_kinds.INVESTIGATION,
        subject_id=OuterRef("uuid"),
        created_at__lte=w.moment,
        due_at__lt=w.moment,
    )
    return ~Q(Exists(overdue))


INVESTIGATION_COLUMNS = (
    GapColumn("state", "state", _("State now")),
    GapColumn("team", "owning_team__name", TEAM),
    GapColumn("date", "opened_at", _("Opened")),
)

declare_metric(
    "open_investigations_reassessment_in_date",
    point="B",
    label=_("Open investigations with no overdue risk reassessment"),
    definition=_(
        "Of the investigations open at the as-of date, those with no scheduled or "
        "event-driven reassessment overdue then."
    ),
    denominator=_open_investigations,
    numerator=_no_overdue_reassessment,
    team_field="owning_team",
    visible=_investigation_visible(),
    gap_columns=INVESTIGATION_COLUMNS,
    gap_link=("investigations:detail", "uuid"),
)


def _oversight_reviewed(w: Window) -> Q:
    from vigil.investigations.models import OversightReview

    return Q(
        Exists(
            OversightReview.objects.filter(
                investigation__uuid=OuterRef("subject_id"),
                reviewed_at__gt=OuterRef("created_at"),
                reviewed_at__lte=OuterRef("due_at"),
            ).filter(reviewed_at__lte=w.moment)
        )
    )


def _oversight_duties(w: Window):
    from vigil.duties.models import Duty
    from vigil.investigations import duty_kinds

    # A duty closed before it fell due without a review (the work came back to the team,
    # or the investigation ended) owed nothing.
    owed = (
        _oversight_reviewed(w)
        | Q(completed_at__isnull=True)
        | Q(completed_at__gt=F("due_at"))
        | Q(completed_at__gt=w.moment)
    )
    return Duty.objects.filter(
        w.existed(), w.in_period("due_at"), kind=duty_kinds.OVERSIGHT_REVIEW
    ).filter(owed)


def _duty_investigation_visible(user) -> Q:
    from vigil.investigations.selectors import visible_investigations

    return Q(subject_id__in=visible_investigations(user).values("uuid"))


declare_metric(
    "external_investigations_reviewed_in_time",
    point="C",
    label=_("Investigations allocated outside the team reviewed by its supervisors in time"),
    definition=_(
        "Of the owning-team oversight reviews of investigations allocated to other units "
        "that fell due in the period, those made by the date due (review interval in force "
        "when each was scheduled)."
    ),
    denominator=_oversight_duties,
    numerator=_oversight_reviewed,
    visible=_duty_investigation_visible,
    gap_columns=(
        GapColumn("team", "team__name", TEAM),
        GapColumn("date", "due_at", _("Review due")),
    ),
    gap_link=("investigations:detail", "subject_id"),
)


def _escalations_due(w: Window):
    from vigil.investigations.models import EscalationLogEntry

    return EscalationLogEntry.objects.filter(w.existed(), w.in_period("resolve_by"))


declare_metric(
    "escalations_resolved_in_time",
    point="C",
    label=_("Escalations resolved within the time limit"),
    definition=_(
        "Of the entries in the central escalation log whose time limit for resolution fell "
        "in the period, those resolved by it."
    ),
    denominator=_escalations_due,
    numerator=lambda w: w.done_by("resolved_at") & Q(resolved_at__lte=F("resolve_by")),
    visible=lambda user: access.teams_q(user, SUPERVISORY_ROLES),
    gap_columns=(
        GapColumn("trigger", "trigger", _("Trigger")),
        GapColumn("team", "team__name", TEAM),
        GapColumn("date", "resolve_by", _("Resolve by")),
    ),
    gap_link=("investigations:escalation", "uuid"),
)


def _decision_points_due(w: Window):
    from vigil.investigations.models import DecisionPoint

    withdrawn = Q(withdrawn_at__isnull=False, withdrawn_at__lte=w.moment)
    return DecisionPoint.objects.filter(w.existed(), w.in_period("due_at")).exclude(withdrawn)


declare_metric(
    "suspects_decision_recorded",
    point="E",
    label=_("Suspects past a decision point with a recorded decision and rationale"),
    definition=_(
        "Of the decision points (enforcement, after arrest) that fell due in the period and "
        "were not withdrawn, those with a decision recorded, with its rationale, by the "
        "as-of date."
    ),
    denominator=_decision_points_due,
    numerator=lambda w: w.done_by("decided_at"),
    team_field="investigation__owning_team",
    visible=_investigation_visible("investigation__"),
    gap_columns=(
        GapColumn("kind", "kind", _("Decision point")),
        GapColumn("team", "investigation__owning_team__name", TEAM),
        GapColumn("date", "due_at", _("Due")),
    ),
    gap_link=("investigations:detail", "investigation__uuid"),
)


def _rui_decisions(w: Window):
    from vigil.investigations.choices import DecisionKind
    from vigil.investigations.models import EnforcementDecision

    return EnforcementDecision.objects.filter(
        w.existed(), w.in_period("decided_at"), kind=DecisionKind.RUI
    )


declare_metric(
    "rui_with_exceptional_rationale",
    point="E",
    label=_("Releases under investigation with exceptional rationale and authorisation"),
    definition=_(
        "Of the releases under investigation decided in the period, those with the "
        "exceptional circumstances recorded and authorised."
    ),
    denominator=_rui_decisions,
    numerator=lambda w: ~Q(exceptional_rationale="") & Q(authorised_by__isnull=False),
    team_field="investigation__owning_team",
    visible=_investigation_visible("investigation__"),
    gap_columns=DECISION_COLUMNS,
    gap_link=("investigations:detail", "investigation__uuid"),
)


def _bail_periods_ended(w: Window):
    from vigil.investigations.models import BailCondition, BailPeriod

    outer_end = Coalesce(OuterRef("ended_early_at"), OuterRef("ends_at"))
    in_force = BailCondition.objects.filter(
        bail_id=OuterRef("bail_id"), imposed_at__lt=outer_end, created_at__lte=w.moment
    ).filter(Q(removed_at__isnull=True) | Q(removed_at__gt=OuterRef("starts_at")))
    withdrawn = Q(withdrawn_at__isnull=False, withdrawn_at__lte=w.moment)
    return (
        BailPeriod.objects.annotate(effective_end=Coalesce(F("ended_early_at"), F("ends_at")))
        .filter(w.existed(), w.in_period("effective_end"))
        .exclude(withdrawn)
        .filter(Exists(in_force))
    )


def _bail_period_checked(w: Window) -> Q:
    from vigil.investigations.models import BailConditionCheck

    outer_end = Coalesce(OuterRef("ended_early_at"), OuterRef("ends_at"))
    return Q(
        Exists(
            BailConditionCheck.objects.filter(
                period_id=OuterRef("pk"),
                checked_at__gte=OuterRef("starts_at"),
                checked_at__lt=outer_end,
                created_at__lte=w.moment,
            )
        )
    )


declare_metric(
    "bail_periods_with_condition_check",
    point="F",
    label=_("Bail periods with at least one condition check inside the period"),
    definition=_(
        "Of the applicable bail periods (with a condition in force) that ended in the "
        "period, those with at least one bail condition check recorded inside them."
    ),
    denominator=_bail_periods_ended,
    numerator=_bail_period_checked,
    team_field="bail__investigation__owning_team",
    visible=_investigation_visible("bail__investigation__"),
    gap_columns=(
        GapColumn("stage", "stage", _("Stage")),
        GapColumn("team", "bail__investigation__owning_team__name", TEAM),
        GapColumn("date", "ends_at", _("Ends")),
    ),
    gap_link=("investigations:bail", "bail__investigation__uuid"),
)


def _family_support_due(w: Window):
    from vigil.investigations.models import Investigation

    # Due dates that had passed by the moment (a date passes at the end of its day).
    today = timezone.localdate(w.moment + dt.timedelta(microseconds=1))
    return Investigation.objects.filter(
        w.existed(),
        first_enforcement_at__isnull=False,
        first_enforcement_at__lte=w.moment,
        family_support_due_on__gte=w.start,
        family_support_due_on__lt=today,
    )


def _family_support_offered(w: Window) -> Q:
    from vigil.investigations.models import FamilySupportOffer

    return Q(
        Exists(
            FamilySupportOffer.objects.filter(
                investigation_id=OuterRef("pk"),
                offered_on__lte=OuterRef("family_support_due_on"),
                recorded_at__lte=w.moment,
            )
        )
    )


declare_metric(
    "family_support_offered_in_time",
    point="G",
    label=_("Suspects' families offered support within the time after first enforcement"),
    definition=_(
        "Of the investigations whose offer of family support fell due in the period (policy "
        "days after the first arrest or voluntary attendance), those with the offer "
        "(offered, accepted, declined or not applicable with a reason) recorded by then."
    ),
    denominator=_family_support_due,
    numerator=_family_support_offered,
    team_field="owning_team",
    visible=_investigation_visible(),
    gap_columns=(
        GapColumn("team", "owning_team__name", TEAM),
        GapColumn("date", "family_support_due_on", _("Offer due")),
    ),
    gap_link=("investigations:detail", "uuid"),
)

# --- H, L, M, N, O: offender management ----------------------------------------------------


def _nominal_visible(prefix: str = ""):
    def visible(user) -> Q:
        from vigil.offenders.selectors import nominals_for

        key = f"{prefix}in" if prefix else "pk__in"
        return Q(**{key: nominals_for(user).values("pk")})

    return visible


def _active_nominals(w: Window):
    from vigil.offenders.choices import NominalStatus
    from vigil.offenders.models import Nominal

    return Nominal.objects.filter(w.existed(), status=NominalStatus.ACTIVE)


def _complete(w: Window) -> Q:
    from vigil.offenders import completeness

    condition = Q()
    for rule in completeness.active_rules(at=w.moment):
        condition &= rule.condition()
    return condition


NOMINAL_COLUMNS = (
    GapColumn("risk", "risk_level", _("Risk level")),
    GapColumn("team", "team__name", TEAM),
    GapColumn("date", "created_at", _("Recorded")),
)

declare_metric(
    "rso_records_complete",
    point="H",
    label=_("Active RSO records complete against the required-field rules"),
    definition=_(
        "Of the active nominals recorded by the as-of date, those whose record meets every "
        "required-field rule in force then. Vigil holds no field history: the rules are "
        "applied to the records as they are now."
    ),
    denominator=_active_nominals,
    numerator=_complete,
    visible=_nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
)


def _outstanding(risk: str | None):
    def denominator(w: Window):
        from vigil.duties.models import Duty
        from vigil.offenders.duty_kinds import OUTSTANDING_KINDS

        qs = Duty.objects.filter(w.existed(), w.open_at(), kind__in=OUTSTANDING_KINDS)
        return qs.filter(risk_level=risk) if risk else qs

    return denominator


def _duty_visible(user) -> Q:
    from vigil.offenders.selectors import nominals_for

    return access.teams_q(user, SUPERVISORY_ROLES) & Q(
        person__nominal__in=nominals_for(user).values("pk")
    )


DUTY_COLUMNS = (
    GapColumn("kind", "kind", _("Work")),
    GapColumn("risk", "risk_level", _("Risk level")),
    GapColumn("team", "team__name", TEAM),
    GapColumn("date", "due_at", _("Due")),
)

_L_LABELS = {
    None: _("Outstanding ARMS, plan reviews and visits not overdue (all risk levels)"),
    "very_high": _("Outstanding ARMS, plan reviews and visits not overdue (very high risk)"),
    "high": _("Outstanding ARMS, plan reviews and visits not overdue (high risk)"),
    "medium": _("Outstanding ARMS, plan reviews and visits not overdue (medium risk)"),
    "low": _("Outstanding ARMS, plan reviews and visits not overdue (low risk)"),
}
for _risk, _label in _L_LABELS.items():
    declare_metric(
        "outstanding_work_not_overdue" + (f"_{_risk}" if _risk else ""),
        point="L",
        label=_label,
        definition=_(
            "Of the ARMS assessments, plan reviews and home visits outstanding at the as-of "
            "date, those not yet past their due date (the rest are overdue; the "
            "outstanding-work matrix shows by how much)."
        ),
        denominator=_outstanding(_risk),
        numerator=lambda w: Q(due_at__gte=w.moment),
        visible=_duty_visible,
        gap_columns=DUTY_COLUMNS,
        gap_link=("offenders:detail", "person__nominal__uuid"),
    )


def _reviews_due(w: Window):
    from vigil.offenders.models import Review

    return Review.objects.filter(w.existed(), w.in_period("due_at"))


declare_metric(
    "supervisor_reviews_within_month",
    point="M",
    label=_("Supervisor reviews of ARMS, plans and visits completed within one month"),
    definition=_(
        "Of the supervisor reviews of completed ARMS assessments, plans and visits that fell "
        "due in the period (one month after the work), those completed by the date due."
    ),
    denominator=_reviews_due,
    numerator=lambda w: w.done_by("reviewed_at") & Q(reviewed_at__lte=F("due_at")),
    team_field="nominal__team",
    visible=_nominal_visible("nominal__"),
    gap_columns=(
        GapColumn("subject", "subject", _("Reviewing")),
        GapColumn("team", "nominal__team__name", TEAM),
        GapColumn("date", "due_at", _("Due")),
    ),
    gap_link=("offenders:detail", "nominal__uuid"),
)


def _visits(w: Window):
    from vigil.offenders.models import Visit

    return Visit.objects.filter(w.existed(), w.in_period("visited_at"))


VISIT_COLUMNS = (
    GapColumn("team", "nominal__team__name", TEAM),
    GapColumn("date", "visited_at", _("Visited")),
)

declare_metric(
    "visits_unannounced_in_pairs",
    point="N",
    label=_("Home visits unannounced and with two or more officers"),
    definition=_(
        "Of the home visits made in the period, those unannounced with two or more officers "
        "present (College of Policing APP)."
    ),
    denominator=_visits,
    numerator=lambda w: Q(announced=False, officer_count__gte=2),
    team_field="nominal__team",
    visible=_nominal_visible("nominal__"),
    gap_columns=VISIT_COLUMNS,
    gap_link=("offenders:visit-detail", "uuid"),
)


def _visit_authorised(w: Window) -> Q:
    from vigil.offenders.models import VisitAuthorisation

    return Q(
        Exists(
            VisitAuthorisation.objects.filter(
                visit_id=OuterRef("pk"), created_at__lte=w.moment
            ).exclude(rationale="")
        )
    )


declare_metric(
    "noncompliant_visits_authorised",
    point="O",
    label=_("Non-compliant visits authorised with a rationale"),
    definition=_(
        "Of the home visits made in the period that were announced or had fewer than two "
        "officers, those with an authorisation and its rationale recorded by the as-of date."
    ),
    denominator=lambda w: _visits(w).filter(compliant=False),
    numerator=_visit_authorised,
    team_field="nominal__team",
    visible=_nominal_visible("nominal__"),
    gap_columns=VISIT_COLUMNS,
    gap_link=("offenders:visit-detail", "uuid"),
)


def _authorisations(w: Window):
    from vigil.offenders.models import VisitAuthorisation

    return VisitAuthorisation.objects.filter(w.existed(), w.in_period("authorised_at"))


def _dip_checked(w: Window) -> Q:
    from vigil.offenders.models import DipCheck

    return Q(
        Exists(
            DipCheck.objects.filter(
                authorisation_id=OuterRef("pk"), checked_at__isnull=False, checked_at__lte=w.moment
            )
        )
    )


declare_metric(
    "authorisations_dip_checked",
    point="O",
    label=_("Visit authorisations dip-checked by a senior reviewer"),
    definition=_(
        "Of the authorisations of non-compliant visits made in the period, those "
        "dip-checked by a senior reviewer by the as-of date."
    ),
    denominator=_authorisations,
    numerator=_dip_checked,
    team_field="visit__nominal__team",
    visible=_nominal_visible("visit__nominal__"),
    gap_columns=(
        GapColumn("team", "visit__nominal__team__name", TEAM),
        GapColumn("date", "authorised_at", _("Authorised")),
    ),
    gap_link=("offenders:visit-detail", "visit__uuid"),
)

# --- I, P, Q: measured once the register app and the offenders app's PND checks and
# management modes are installed (built alongside this module); until then not measurable.


def _register_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("vigil.register")


def _offenders_have(name: str):
    def available() -> bool:
        from vigil.offenders import models

        return hasattr(models, name)

    return available


def _register_clean(w: Window) -> Q:
    """No discrepancy open about the nominal at the moment, and its force's register
    extract reconciled by then (the register app's point I rule: no extract, no figure
    met)."""
    from vigil.register.choices import ExtractStatus
    from vigil.register.models import Discrepancy, Extract
    from vigil.register.selectors import open_at

    reconciled = Extract.objects.filter(
        status=ExtractStatus.COMPLETE,
        completed_at__lte=w.moment,
        force_links__force_id=OuterRef("team__force_id"),
    )
    open_about = Discrepancy.objects.filter(open_at(w.moment), nominal_id=OuterRef("pk"))
    return Q(Exists(reconciled)) & ~Q(Exists(open_about))


declare_metric(
    "rsos_without_register_discrepancy",
    point="I",
    label=_("Active RSOs with no open discrepancy against the latest register extract"),
    definition=_(
        "Of the active nominals recorded by the as-of date, those whose force had a "
        "reconciled register (ViSOR) extract by then and with no discrepancy open about "
        "them then."
    ),
    denominator=_active_nominals,
    numerator=_register_clean,
    visible=_nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
    reason=_("Vigil does not yet import register (ViSOR) extracts or reconcile against them."),
    available=_register_installed,
)


def _forces_holding_nominals(w: Window):
    from vigil.accounts.models import Force
    from vigil.offenders.choices import NominalStatus
    from vigil.offenders.models import Nominal

    active = Nominal.objects.filter(
        team__force_id=OuterRef("pk"), status=NominalStatus.ACTIVE, created_at__lte=w.moment
    )
    return Force.objects.filter(Exists(active))


def _reconciled_recently(w: Window) -> Q:
    """The force's latest reconciliation by the moment is no older than the policy in
    force then (register.reconcile_every_days)."""
    from vigil.core.policy_registry import policy_value
    from vigil.register.choices import ExtractStatus
    from vigil.register.models import Extract

    days = policy_value("register.reconcile_every_days", at=w.moment)
    recent = Extract.objects.filter(
        status=ExtractStatus.COMPLETE,
        completed_at__lte=w.moment,
        completed_at__gt=w.moment - dt.timedelta(days=days),
        force_links__force_id=OuterRef("pk"),
    )
    return Q(Exists(recent))


def _force_visible(user) -> Q:
    from vigil.accounts.choices import CASEWORK_ROLES
    from vigil.accounts.models import Team

    team_ids, force_ids = access.team_scope(user, CASEWORK_ROLES)
    in_team = Team.objects.filter(force_id=OuterRef("pk"), id__in=team_ids)
    return Q(pk__in=force_ids) | Q(Exists(in_team))


declare_metric(
    "forces_reconciled_recently",
    point="I",
    label=_("Forces whose latest register reconciliation is recent enough"),
    definition=_(
        "Of the forces holding active nominals at the as-of date, those whose latest "
        "register (ViSOR) extract had been reconciled within the policy's interval "
        "(register.reconcile_every_days) before it: the age of the latest reconciliation."
    ),
    denominator=_forces_holding_nominals,
    numerator=_reconciled_recently,
    team_field="teams",
    force_field="id",
    visible=_force_visible,
    gap_columns=(GapColumn("force", "name", _("Force")),),
    available=_register_installed,
)


def _reactive_nominals(w: Window):
    from vigil.offenders import reactive
    from vigil.offenders.choices import NominalStatus
    from vigil.offenders.models import Nominal

    return Nominal.objects.filter(reactive.reactive_at(w.moment)).exclude(
        status=NominalStatus.NO_LONGER_SUBJECT
    )


def _reactive_meeting(w: Window) -> Q:
    """The offenders app evaluates the APP conditions (a fixed number of queries)."""
    from vigil.offenders.selectors import reactive_compliance

    rows = reactive_compliance(as_of=w.moment)["rows"]
    return Q(pk__in=[r["id"] for r in rows if r["all_met"]])


declare_metric(
    "reactive_nominals_meeting_conditions",
    point="P",
    label=_("Reactively managed RSOs meeting every APP condition"),
    definition=_(
        "Of the nominals reactively managed at the as-of date and still subject to "
        "notification, those meeting every condition for reactive management then (risk "
        "level, time in the community, compliance, approval, eligibility review)."
    ),
    denominator=_reactive_nominals,
    numerator=_reactive_meeting,
    visible=_nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
    reason=_("Vigil does not yet record the management mode (active or reactive) of nominals."),
    available=_offenders_have("ModeDecision"),
)


def _pnd_in_date(w: Window) -> Q:
    from vigil.offenders.selectors import pnd_in_date_q

    return pnd_in_date_q(w.moment)


declare_metric(
    "active_rsos_with_in_date_pnd_check",
    point="Q",
    label=_("Active RSOs with an in-date, assessed PND check"),
    definition=_(
        "Of the active nominals recorded by the as-of date, those with a Police National "
        "Database check made within the policy interval before it and assessed by then."
    ),
    denominator=_active_nominals,
    numerator=_pnd_in_date,
    visible=_nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
    reason=_("Vigil does not yet record Police National Database checks."),
    available=_offenders_have("PndCheck"),
)

# --- points whose records Vigil does not hold yet -----------------------------------------

# Points D, K and R are declared by vigil.workforce.evidence.
NOT_YET = [
    (
        "supervisors_trauma_training_in_date",
        "S",
        _("In-scope supervisors with in-date trauma-informed training"),
        _("Vigil does not yet hold training records (the workforce module)."),
    ),
]
for _key, _point, _label, _reason in NOT_YET:
    declare_metric(_key, point=_point, label=_label, definition=_label, reason=_reason)
