"""Points B, C, E, F and G: investigations, oversight, decisions, bail and family support."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.assurance.evidence.common import TEAM
from vigil.assurance.metrics import GapColumn, Window, declare_metric

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

# What the metrics that count each investigation (or its one suspect) once share: scoped
# to the owning team, listed with a link to the investigation.
PER_INVESTIGATION = {
    "team_field": "owning_team",
    "visible": _investigation_visible(),
    "gap_columns": INVESTIGATION_COLUMNS[1:],
    "gap_link": ("investigations:detail", "uuid"),
}

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


def _external_reviews_due(w: Window):
    """The investigations allocated outside the owning team with an oversight review owed
    in the period (one row each, however many 28-day cycles fell due)."""
    from vigil.investigations.models import Investigation

    owed = _oversight_duties(w).filter(subject_id=OuterRef("uuid"))
    return Investigation.objects.filter(w.existed(), Exists(owed))


def _external_reviewed_every_time(w: Window) -> Q:
    missed = (
        _oversight_duties(w).filter(subject_id=OuterRef("uuid")).exclude(_oversight_reviewed(w))
    )
    return ~Q(Exists(missed))


declare_metric(
    "external_investigations_reviewed_in_time",
    point="C",
    label=_("Investigations allocated outside the team reviewed by its supervisors in time"),
    definition=_(
        "Of the investigations allocated to other units with an owning-team oversight "
        "review due in the period, those reviewed by an owning-team supervisor within the "
        "review interval every time one fell due (interval in force when each was "
        "scheduled). Each investigation counts once: the requirement's measure."
    ),
    denominator=_external_reviews_due,
    numerator=_external_reviewed_every_time,
    **PER_INVESTIGATION,
)

declare_metric(
    "oversight_review_cycles_in_time",
    point="C",
    label=_("Oversight review cycles of investigations allocated outside the team met"),
    definition=_(
        "Of the owning-team oversight reviews (one per review interval) of investigations "
        "allocated to other units that fell due in the period, those made by the date due. "
        "Vigil's earlier figure: it counts each cycle, so an investigation reviewed late "
        "once and in time twice counts as two of three here but as not reviewed in time "
        "in the figure above."
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


def _suspects_past_decision_point(w: Window):
    """The suspects (one investigation each) with a decision point that fell due in the
    period and was not withdrawn by the moment."""
    from vigil.investigations.models import Investigation

    due = _decision_points_due(w).filter(investigation_id=OuterRef("pk"))
    return Investigation.objects.filter(w.existed(), Exists(due))


def _suspect_decisions_recorded(w: Window) -> Q:
    undecided = (
        _decision_points_due(w)
        .filter(investigation_id=OuterRef("pk"))
        .exclude(w.done_by("decided_at"))
    )
    return ~Q(Exists(undecided))


declare_metric(
    "suspects_decision_recorded",
    point="E",
    label=_("Suspects past a decision point with a recorded decision and rationale"),
    definition=_(
        "Of the suspects (one investigation each) past a decision point (enforcement, after "
        "arrest) that fell due in the period and was not withdrawn, those with a decision "
        "and its rationale recorded by the as-of date for every such point. Each suspect "
        "counts once: the requirement's measure."
    ),
    denominator=_suspects_past_decision_point,
    numerator=_suspect_decisions_recorded,
    **PER_INVESTIGATION,
)

declare_metric(
    "decision_points_decided",
    point="E",
    label=_("Decision points with a recorded decision and rationale"),
    definition=_(
        "Of the decision points (enforcement, after arrest) that fell due in the period and "
        "were not withdrawn, those with a decision recorded, with its rationale, by the "
        "as-of date. Vigil's earlier figure: it counts each decision point, so a suspect "
        "with two points counts twice here and once in the figure above."
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
