"""POLIT investigations: one per suspect and referral, from research to outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.duties.choices import EscalationLevel, RiskLevel
from vigil.investigations.choices import (
    BailEndReason,
    BailStage,
    CheckMethod,
    CheckOutcome,
    CourtOutcome,
    DecisionKind,
    DecisionPointKind,
    EscalationTrigger,
    ReassessmentTrigger,
    ReviewOutcome,
    State,
    SupportOfferStatus,
    WelfareAssessment,
)


class Investigation(BaseModel):
    """The investigation of a suspect arising from a referral.

    The owning team (POLIT) keeps oversight even when the work is allocated to another
    unit (allocated_team); `state` moves only through lifecycle.py, each move recorded as
    a Transition with actor and time.
    """

    referral = models.OneToOneField(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investigation",
        verbose_name=_("referral"),
    )
    suspect = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="investigations",
        verbose_name=_("suspect"),
    )
    owning_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="owned_investigations",
        verbose_name=_("owning team"),
    )
    allocated_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="allocated_investigations",
        verbose_name=_("allocated to team"),
    )
    allocated_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investigations",
        verbose_name=_("officer in the case"),
    )
    state = models.CharField(
        _("state"), max_length=30, choices=State.choices, default=State.RESEARCH
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Kept by the services so that lists, filters and point B/C metrics are plain queries.
    risk_band = models.CharField(
        _("current risk band"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    last_assessed_at = models.DateTimeField(_("last risk assessment"), null=True, blank=True)
    reassessment_due_at = models.DateTimeField(
        _("next scheduled reassessment"), null=True, blank=True
    )
    event_reassessment_due_at = models.DateTimeField(
        _("reassessment after an event due"), null=True, blank=True
    )
    event_reassessment_trigger = models.CharField(
        _("event calling for a reassessment"),
        max_length=30,
        choices=ReassessmentTrigger.choices,
        blank=True,
    )
    oversight_due_at = models.DateTimeField(_("next oversight review due"), null=True, blank=True)
    # Point G: the first arrest or voluntary attendance, and the date by which the offer of
    # support to the suspect's family is due (policy days after it, fixed when it happens).
    first_enforcement_at = models.DateTimeField(_("first enforcement"), null=True, blank=True)
    family_support_due_on = models.DateField(
        _("offer of family support due by"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["owning_team", "state"], name="investigation_owner_state_idx"),
            models.Index(fields=["allocated_team", "state"], name="investigation_alloc_state_idx"),
            models.Index(fields=["allocated_officer", "state"], name="investigation_oic_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.suspect} ({self.get_state_display()})"

    @property
    def is_external(self) -> bool:
        return self.allocated_team_id != self.owning_team_id


class Transition(BaseModel):
    """One move of an investigation's state, with who made it and when."""

    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("investigation"),
    )
    from_state = models.CharField(_("from"), max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=30, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"


class Reassessment(BaseModel):
    """A risk assessment (the referral instrument) made during the investigation, with the
    event that called for it and the band before it, so that band changes show."""

    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        related_name="reassessments",
        verbose_name=_("investigation"),
    )
    assessment = models.OneToOneField(
        "instruments.Assessment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessment"),
    )
    trigger = models.CharField(_("reason"), max_length=30, choices=ReassessmentTrigger.choices)
    previous_band = models.CharField(
        _("band before"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    band = models.CharField(_("band"), max_length=10, choices=RiskLevel.choices)
    assessed_at = models.DateTimeField(_("assessed at"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )

    class Meta:
        verbose_name = _("reassessment")
        verbose_name_plural = _("reassessments")
        ordering = ["-assessed_at", "-id"]
        indexes = [
            models.Index(fields=["investigation", "assessed_at"], name="reassessment_inv_at_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()}: {self.band}"

    @property
    def band_changed(self) -> bool:
        return bool(self.previous_band) and self.previous_band != self.band


class DecisionPoint(BaseModel):
    """A moment at which a decision about the suspect must be recorded by `due_at`.

    Point E's first metric is a query on it: decision points already due, and how many of
    them have a recorded decision (every decision has a rationale, by constraint).
    """

    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        related_name="decision_points",
        verbose_name=_("investigation"),
    )
    kind = models.CharField(_("decision point"), max_length=20, choices=DecisionPointKind.choices)
    reached_at = models.DateTimeField(_("reached at"))
    due_at = models.DateTimeField(_("decision due by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Withdrawn when the investigation leaves the point undecided (back to research, say).
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision point")
        verbose_name_plural = _("decision points")
        ordering = ["reached_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "kind"],
                condition=Q(decided_at__isnull=True, withdrawn_at__isnull=True),
                name="decision_point_one_open_per_kind",
            )
        ]
        indexes = [models.Index(fields=["due_at"], name="decision_point_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_at:%Y-%m-%d}"


class EnforcementDecision(BaseModel):
    """A recorded enforcement decision about the suspect, with its rationale, maker and time.

    For arrest and voluntary attendance it records the reassessment that preceded it (and
    whether it fell within the policy window) or the supervisor's override; for release
    under investigation, the exceptional circumstances and who authorised it.
    """

    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("investigation"),
    )
    decision_point = models.OneToOneField(
        DecisionPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("decision point"),
    )
    kind = models.CharField(_("decision"), max_length=30, choices=DecisionKind.choices)
    from_state = models.CharField(_("state when decided"), max_length=30, choices=State.choices)
    rationale = models.TextField(_("rationale"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision maker"),
    )
    decided_at = models.DateTimeField(_("decided at"))
    # Release under investigation only.
    exceptional_rationale = models.TextField(_("exceptional circumstances"), blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authorised by"),
    )
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)
    authorising_rank = models.CharField(_("rank required to authorise"), max_length=30, blank=True)
    # Arrest and voluntary attendance only: point B's metric.
    preceding_reassessment = models.ForeignKey(
        Reassessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reassessment before it"),
    )
    reassessed_in_window = models.BooleanField(
        _("reassessed within the policy window"), default=False
    )
    reassessment_window_days = models.PositiveIntegerField(
        _("policy window (days)"), null=True, blank=True
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reassessment rule overridden by"),
    )
    override_rationale = models.TextField(_("reason for the override"), blank=True)
    # Arrest and voluntary attendance only: the suspect welfare prompt (point G).
    welfare_assessment = models.CharField(
        _("self-harm and suicide risk"),
        max_length=20,
        choices=WelfareAssessment.choices,
        blank=True,
    )
    welfare_measures = models.TextField(_("welfare measures"), blank=True)

    class Meta:
        verbose_name = _("enforcement decision")
        verbose_name_plural = _("enforcement decisions")
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "decided_at"], name="decision_kind_at_idx"),
            models.Index(fields=["investigation", "decided_at"], name="decision_inv_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_rationale"),
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.RUI)
                | (~Q(exceptional_rationale="") & Q(authorised_by__isnull=False)),
                name="decision_rui_exceptional_and_authorised",
            ),
            models.CheckConstraint(
                condition=Q(override_by__isnull=True, override_rationale="")
                | (Q(override_by__isnull=False) & ~Q(override_rationale="")),
                name="decision_override_by_and_rationale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_at:%Y-%m-%d}"


class OversightReview(BaseModel):
    """An owning-team supervisor's review of an investigation allocated to another unit."""

    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        related_name="oversight_reviews",
        verbose_name=_("investigation"),
    )
    allocated_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("allocated to team"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    # The review was due by this (point C: reviewed within the interval).
    due_at = models.DateTimeField(_("was due by"), null=True, blank=True)

    class Meta:
        verbose_name = _("oversight review")
        verbose_name_plural = _("oversight reviews")
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=ReviewOutcome.ACTION_REQUIRED) | ~Q(note=""),
                name="oversight_action_needs_note",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.reviewed_at:%Y-%m-%d}"


class EscalationLogEntry(BaseModel):
    """An entry in the central escalation log (point C): what triggered it, the level it
    reached, who acknowledged it, when it was resolved and with what outcome.

    `team` is the owning team (POLIT), whose supervisors and managers keep the log;
    `acknowledge_by` and `resolve_by` are the time limits from policy when it was raised.
    """

    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owning team"),
    )
    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("investigation"),
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral"),
    )
    trigger = models.CharField(_("trigger"), max_length=30, choices=EscalationTrigger.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=EscalationLevel.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    acknowledge_by = models.DateTimeField(_("acknowledge by"))
    resolve_by = models.DateTimeField(_("resolve by"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("escalation log entry")
        verbose_name_plural = _("escalation log")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["team", "raised_at"], name="escalation_team_raised_idx"),
            models.Index(
                fields=["raised_at"],
                condition=Q(resolved_at__isnull=True),
                name="escalation_unresolved_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(investigation__isnull=False) | Q(referral__isnull=False),
                name="escalation_has_subject",
            ),
            models.UniqueConstraint(
                fields=["investigation", "trigger"],
                condition=Q(resolved_at__isnull=True, investigation__isnull=False),
                name="escalation_one_open_per_investigation_trigger",
            ),
            models.UniqueConstraint(
                fields=["referral", "trigger"],
                condition=Q(resolved_at__isnull=True, investigation__isnull=True),
                name="escalation_one_open_per_referral_trigger",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(outcome=""),
                name="escalation_resolved_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} ({self.get_level_display()})"

    @property
    def status(self) -> str:
        if self.resolved_at:
            return "resolved"
        return "acknowledged" if self.acknowledged_at else "open"


# --- pre-charge bail (point F) -------------------------------------------------------------


class Bail(BaseModel):
    """Pre-charge bail of the suspect, from the decision that granted it to its end.

    The applicable bail period (PACE 1984 s47ZB) runs from the bail start date and is made
    of BailPeriods: the initial period, then extensions authorised by rank, then by a
    magistrates' court. `ends_at` (the current end) and `check_due_at` (when the next
    condition check is due, None when none is owed) are kept by the services so that the
    bail board is a plain query.
    """

    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        related_name="bails",
        verbose_name=_("investigation"),
    )
    decision = models.OneToOneField(
        EnforcementDecision,
        on_delete=models.PROTECT,
        related_name="bail",
        verbose_name=_("decision to bail"),
    )
    start_date = models.DateField(_("bail start date"))
    started_at = models.DateTimeField(_("bailed at"))
    stage = models.CharField(_("current stage"), max_length=20, choices=BailStage.choices)
    ends_at = models.DateTimeField(_("bail expires"))
    check_due_at = models.DateTimeField(_("condition check due"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("how it ended"), max_length=20, choices=BailEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("pre-charge bail")
        verbose_name_plural = _("pre-charge bail")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["investigation"],
                condition=Q(ended_at__isnull=True),
                name="bail_one_active_per_investigation",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="")
                | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="bail_ended_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["ends_at"], condition=Q(ended_at__isnull=True), name="bail_active_ends_idx"
            ),
            models.Index(
                fields=["check_due_at"],
                condition=Q(ended_at__isnull=True),
                name="bail_active_check_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} until {self.ends_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class BailCourtApplication(BaseModel):
    """An application to a magistrates' court to extend pre-charge bail beyond 9 months,
    made before the bail expires, and the court's decision."""

    bail = models.ForeignKey(
        Bail, on_delete=models.CASCADE, related_name="court_applications", verbose_name=_("bail")
    )
    court = models.CharField(_("magistrates' court"), max_length=200)
    grounds = models.TextField(_("grounds"))
    applied_at = models.DateTimeField(_("applied at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("applied by"),
    )
    # The bail expiry when the application was made (it must be made before it).
    bail_expiry_at_application = models.DateTimeField(_("bail expiry when applied"))
    outcome = models.CharField(
        _("court's decision"), max_length=20, choices=CourtOutcome.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    new_end_date = models.DateField(_("new last day of bail"), null=True, blank=True)
    decision_note = models.TextField(_("note of the decision"), blank=True)
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision recorded by"),
    )

    class Meta:
        verbose_name = _("court application to extend bail")
        verbose_name_plural = _("court applications to extend bail")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applied_at__lt=models.F("bail_expiry_at_application")),
                name="court_application_before_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=CourtOutcome.GRANTED) | Q(new_end_date__isnull=False),
                name="court_granted_has_new_end",
            ),
            models.UniqueConstraint(
                fields=["bail"], condition=Q(outcome=""), name="court_application_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.applied_at:%Y-%m-%d}"


class BailPeriod(BaseModel):
    """One stage of the applicable bail period and who authorised it.

    A period runs from `starts_at` to `ends_at` unless the bail ended early (`ended_early_at`);
    an authorised extension that never began because the bail ended first is withdrawn.
    Point F's metric is a query on it: periods whose end (`ended_early_at`, else `ends_at`)
    has passed, not withdrawn, and how many of them have a condition check (each check is
    stored against the period in force when it was made).
    """

    bail = models.ForeignKey(
        Bail, on_delete=models.CASCADE, related_name="periods", verbose_name=_("bail")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=BailStage.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    ended_early_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    check_due_at = models.DateTimeField(_("condition check due"))
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("authorised by"),
    )
    authorised_at = models.DateTimeField(_("authorised at"))
    # The rank the stage needed (blank for a court's extension) and the authoriser's rank.
    rank_required = models.CharField(_("rank required"), max_length=30, blank=True)
    authoriser_rank = models.CharField(_("authoriser's rank"), max_length=30, blank=True)
    rationale = models.TextField(_("grounds"), blank=True)
    court_application = models.OneToOneField(
        BailCourtApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="period",
        verbose_name=_("court application"),
    )

    class Meta:
        verbose_name = _("bail period")
        verbose_name_plural = _("bail periods")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="bail_period_starts_before_end"
            ),
            models.CheckConstraint(
                condition=~Q(stage=BailStage.COURT) | Q(court_application__isnull=False),
                name="bail_period_court_has_application",
            ),
        ]
        indexes = [models.Index(fields=["ends_at"], name="bail_period_ends_idx")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"

    @property
    def effective_end(self):
        return self.ended_early_at or self.ends_at


class VictimViews(BaseModel):
    """The alleged victims' views, sought before bail conditions are set or varied, or the
    reason they were not sought."""

    bail = models.ForeignKey(
        Bail, on_delete=models.CASCADE, related_name="victim_views", verbose_name=_("bail")
    )
    sought_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    views = models.TextField(_("alleged victims' views"), blank=True)
    not_sought_reason = models.TextField(_("reason the views were not sought"), blank=True)

    class Meta:
        verbose_name = _("alleged victims' views")
        verbose_name_plural = _("alleged victims' views")
        ordering = ["-sought_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(views="") & Q(not_sought_reason=""))
                | (Q(views="") & ~Q(not_sought_reason="")),
                name="victim_views_or_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.sought_at:%Y-%m-%d}"


class BailCondition(BaseModel):
    """A condition of pre-charge bail, with the victims' views considered when it was
    imposed (and when it was removed)."""

    bail = models.ForeignKey(
        Bail, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("bail")
    )
    text = models.TextField(_("condition"))
    imposed_at = models.DateTimeField(_("imposed at"))
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imposed by"),
    )
    victim_views = models.ForeignKey(
        VictimViews,
        on_delete=models.PROTECT,
        related_name="imposed_conditions",
        verbose_name=_("victims' views considered"),
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_victim_views = models.ForeignKey(
        VictimViews,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="removed_conditions",
        verbose_name=_("victims' views considered on removal"),
    )

    class Meta:
        verbose_name = _("bail condition")
        verbose_name_plural = _("bail conditions")
        ordering = ["imposed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="bail_condition_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class BailConditionCheck(BaseModel):
    """A check that the suspect is keeping the bail conditions: when, how, the outcome,
    and the action taken on a breach. Stored against the bail period it falls in."""

    bail = models.ForeignKey(
        Bail, on_delete=models.CASCADE, related_name="checks", verbose_name=_("bail")
    )
    period = models.ForeignKey(
        BailPeriod, on_delete=models.PROTECT, related_name="checks", verbose_name=_("bail period")
    )
    checked_at = models.DateTimeField(_("checked at"))
    method = models.CharField(_("how"), max_length=20, choices=CheckMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CheckOutcome.choices)
    breach_action = models.TextField(_("action taken on the breach"), blank=True)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )

    class Meta:
        verbose_name = _("bail condition check")
        verbose_name_plural = _("bail condition checks")
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["period", "checked_at"], name="bail_check_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=CheckOutcome.BREACH) | ~Q(breach_action=""),
                name="bail_check_breach_has_action",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.checked_at:%Y-%m-%d}"


# --- support for the suspect's family (point G) ---------------------------------------------


class SupportOrganisation(BaseModel):
    """An organisation in the bilingual directory of support for suspects' families.

    Each force keeps its own entries (`force`); an entry without a force is a national
    organisation, shown to every force and kept by administrators. A user sees their
    force's entries and the national ones; a leaflet lists the national ones and those of
    the investigation's owning force.

    Contact details are checked by the force before use: `details_confirmed_at` stays empty
    until someone confirms them, and the leaflet says so.
    """

    force = models.ForeignKey(
        "accounts.Force",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_organisations",
        verbose_name=_("force"),
        help_text=_("Empty for a national organisation, shown to every force."),
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_cy = models.CharField(_("name (Welsh)"), max_length=200, blank=True)
    description_en = models.TextField(_("what it offers (English)"))
    description_cy = models.TextField(_("what it offers (Welsh)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    details_note = models.TextField(_("note on the contact details"), blank=True)
    details_confirmed_at = models.DateTimeField(_("details confirmed at"), null=True, blank=True)
    details_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("details confirmed by"),
    )
    active = models.BooleanField(_("shown in leaflets"), default=True)
    position = models.PositiveSmallIntegerField(_("order in the leaflet"), default=0)

    class Meta:
        verbose_name = _("support organisation")
        verbose_name_plural = _("support organisations")
        ordering = ["position", "name_en", "id"]

    def __str__(self) -> str:
        return self.name_en

    @property
    def national(self) -> bool:
        return self.force_id is None

    def name(self, language: str) -> str:
        return (self.name_cy if language == "cy" else "") or self.name_en

    def description(self, language: str) -> str:
        return (self.description_cy if language == "cy" else "") or self.description_en


class FamilySupportOffer(BaseModel):
    """The offer of support to the suspect's family (one per investigation's suspect):
    offered, accepted, declined, or not applicable with a reason; the date; the officer.

    Point G's metric is a query on it: investigations with a first enforcement, and how
    many have an offer recorded (`offered_on`) by `Investigation.family_support_due_on`.
    """

    investigation = models.OneToOneField(
        Investigation,
        on_delete=models.CASCADE,
        related_name="family_support",
        verbose_name=_("investigation"),
    )
    status = models.CharField(_("offer"), max_length=20, choices=SupportOfferStatus.choices)
    offered_on = models.DateField(_("date"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    reason = models.TextField(_("reason or note"), blank=True)
    leaflet_language = models.CharField(_("leaflet language"), max_length=2, blank=True)
    recorded_at = models.DateTimeField(_("first recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("offer of family support")
        verbose_name_plural = _("offers of family support")
        ordering = ["-offered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SupportOfferStatus.NOT_APPLICABLE) | ~Q(reason=""),
                name="family_support_not_applicable_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.offered_on:%Y-%m-%d}"
