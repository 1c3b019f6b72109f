"""Registered sex offenders ("nominals") and the work of managing them: notification,
orders, ARMS assessments, risk management plans, home visits, supervisor reviews and
intelligence. Every row is written by a service in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.duties.choices import RiskLevel
from vigil.offenders.choices import (
    ArmsTrigger,
    DipCheckOutcome,
    Disposal,
    ManagementMode,
    MappaCategory,
    MappaLevel,
    ModeDecisionKind,
    ModeDecisionStatus,
    NominalStatus,
    NotificationKind,
    NotificationStatus,
    OrderKind,
    PlanActionCategory,
    PndResult,
    ReviewOutcome,
    ReviewSubject,
    StaticTool,
    TransferStatus,
    VisitAccess,
    VisitLocation,
)

USER = settings.AUTH_USER_MODEL


class Nominal(BaseModel):
    """A person registered as a sex offender and managed by a MOSOVO team.

    `risk_level` is the level of the latest approved ARMS assessment (empty until one is
    approved); the services keep it, so that lists sort and filter on it. Financial
    details are never stored: only whether they are held on the register.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="nominal", verbose_name=_("person")
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="nominals",
        verbose_name=_("managing team"),
    )
    offender_manager = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominals_managed",
        verbose_name=_("offender manager"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NominalStatus.choices, default=NominalStatus.ACTIVE
    )
    mappa_category = models.PositiveSmallIntegerField(
        _("MAPPA category"), choices=MappaCategory.choices, null=True, blank=True
    )
    mappa_level = models.PositiveSmallIntegerField(
        _("MAPPA level"), choices=MappaLevel.choices, null=True, blank=True
    )
    financial_details_held = models.BooleanField(
        _("financial details held on the register"), default=False
    )
    risk_level = models.CharField(
        _("current risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    registered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    management_mode = models.CharField(
        _("management mode"),
        max_length=10,
        choices=ManagementMode.choices,
        default=ManagementMode.ACTIVE,
    )
    # Set when something (intelligence, a breach, a change of circumstances...) calls for
    # a review of reactive management; cleared by the review (see services).
    reactive_review_triggered_on = models.DateField(
        _("review of reactive management called for on"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("nominal")
        verbose_name_plural = _("nominals")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["team", "status"], name="nominal_team_status_idx"),
            models.Index(fields=["offender_manager", "status"], name="nominal_manager_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="active") | Q(offender_manager__isnull=False),
                name="nominal_active_needs_manager",
            ),
        ]

    def __str__(self) -> str:
        return f"Nominal {self.uuid}"


class NotificationRequirement(BaseModel):
    """The notification requirements a conviction, finding or caution brings, with the
    period worked out from the s82 table (see notification_period.py)."""

    nominal = models.ForeignKey(
        Nominal,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("nominal"),
    )
    start_date = models.DateField(_("start date (relevant date)"))
    disposal = models.CharField(_("sentence or disposal"), max_length=30, choices=Disposal.choices)
    custodial_months = models.PositiveIntegerField(
        _("custodial term (months)"), null=True, blank=True
    )
    discharge_months = models.PositiveIntegerField(
        _("conditional discharge period (months)"), null=True, blank=True
    )
    under_18 = models.BooleanField(_("under 18 when dealt with"), default=False)
    offence = models.CharField(_("offence"), max_length=300, blank=True)
    period_months = models.PositiveIntegerField(_("period (months)"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    review_date = models.DateField(_("review can be sought from"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification requirement")
        verbose_name_plural = _("notification requirements")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_disposal_display()} from {self.start_date:%Y-%m-%d}"

    @property
    def indefinite(self) -> bool:
        return self.period_months is None


class NotificationEvent(BaseModel):
    """One notification the nominal must make (or has made): its kind, due date and when it
    was made. Compliance: notified on or before the due date."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("nominal")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    event_date = models.DateField(_("date of the event"))
    due_date = models.DateField(_("due"))
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    details = models.TextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-due_date", "-id"]
        indexes = [models.Index(fields=["nominal", "kind", "status"], name="notif_nominal_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_date:%Y-%m-%d}"

    @property
    def on_time(self) -> bool | None:
        if self.notified_on is None:
            return None
        return self.notified_on <= self.due_date


class Order(BaseModel):
    """A civil or notification order on a nominal, with its prohibitions and requirements."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="orders", verbose_name=_("nominal")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrderKind.choices)
    description = models.CharField(_("description (other orders)"), max_length=200, blank=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    prohibitions = models.TextField(_("prohibitions"), blank=True)
    requirements = models.TextField(_("positive requirements"), blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="order_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%Y-%m-%d}"


class Breach(BaseModel):
    """A breach of an order (or of the notification requirements when `order` is empty)."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="breaches", verbose_name=_("nominal")
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name=_("order"),
    )
    occurred_on = models.DateField(_("date of the breach"))
    summary = models.TextField(_("what happened"))
    action_taken = models.TextField(_("action taken"), blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"Breach on {self.occurred_on:%Y-%m-%d}"


class Arms(BaseModel):
    """An ARMS assessment of a nominal: the instrument's answers (instruments.Assessment),
    the static tool result the assessor enters (never computed), and its approval by a
    supervisor's review. The latest approved ARMS sets the nominal's risk level."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="arms", verbose_name=_("nominal")
    )
    assessment = models.OneToOneField(
        "instruments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("assessment"),
    )
    trigger = models.CharField(_("reason"), max_length=15, choices=ArmsTrigger.choices)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    static_tool = models.CharField(_("static tool"), max_length=10, choices=StaticTool.choices)
    static_band = models.CharField(_("static tool band"), max_length=10, choices=RiskLevel.choices)
    static_tool_version = models.CharField(_("static tool version"), max_length=40)
    assessor = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor")
    )
    completed_at = models.DateTimeField(_("completed"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("ARMS assessment")
        verbose_name_plural = _("ARMS assessments")
        ordering = ["-completed_at", "-id"]
        indexes = [models.Index(fields=["nominal", "completed_at"], name="arms_nominal_idx")]

    def __str__(self) -> str:
        return f"ARMS {self.completed_at:%Y-%m-%d} ({self.risk_level})"


class Plan(BaseModel):
    """One version of a nominal's risk management plan."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="plans", verbose_name=_("nominal")
    )
    version = models.PositiveIntegerField(_("version"))
    summary = models.TextField(_("summary"), blank=True)
    visit_every_months = models.PositiveSmallIntegerField(_("home visit every (months)"))
    review_due = models.DateField(_("review due"))
    risk_level = models.CharField(
        _("risk level when made"), max_length=10, choices=RiskLevel.choices
    )
    author = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    completed_at = models.DateTimeField(_("completed"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk management plan")
        verbose_name_plural = _("risk management plans")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["nominal", "version"], name="plan_version_unique"),
            models.CheckConstraint(condition=Q(visit_every_months__gte=1), name="plan_visit_freq"),
        ]

    def __str__(self) -> str:
        return f"Plan v{self.version}"


class PlanAction(BaseModel):
    """An action of a plan: control, monitoring, rehabilitation or multi-agency."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    category = models.CharField(_("category"), max_length=20, choices=PlanActionCategory.choices)
    description = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_date = models.DateField(_("by"))

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class Visit(BaseModel):
    """A home visit as it happened. Compliant (APP): unannounced with two or more officers
    present; otherwise it needs an authorisation (VisitAuthorisation) in time."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="visits", verbose_name=_("nominal")
    )
    visited_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=10, choices=VisitLocation.choices)
    announced = models.BooleanField(_("announced"))
    officers = models.ManyToManyField(
        USER, related_name="visits", verbose_name=_("officers present")
    )
    officer_count = models.PositiveSmallIntegerField(_("number of officers present"))
    access = models.CharField(_("access"), max_length=10, choices=VisitAccess.choices)
    outcome = models.TextField(_("outcome"))
    concerns = models.TextField(_("concerns"), blank=True)
    intelligence_submitted = models.BooleanField(_("intelligence submitted"), default=False)
    notification_checked = models.BooleanField(_("notification details checked"), default=False)
    compliant = models.BooleanField(_("unannounced and in pairs"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["nominal", "visited_at"], name="visit_nominal_idx"),
            # Assurance points N and O read the visits of a period across all nominals.
            models.Index(fields=["visited_at"], name="visit_visited_idx"),
        ]

    def __str__(self) -> str:
        return f"Visit {self.visited_at:%Y-%m-%d %H:%M}"


class VisitAuthorisation(BaseModel):
    """The authorisation of a non-compliant visit, with its rationale. In time when made
    before the visit or within the policy's hours after it (flagged otherwise)."""

    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, related_name="authorisation", verbose_name=_("visit")
    )
    authorised_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("authorised by")
    )
    authorised_at = models.DateTimeField(_("authorised at"))
    rationale = models.TextField(_("rationale"))
    in_time = models.BooleanField(_("authorised in time"))

    class Meta:
        verbose_name = _("visit authorisation")
        verbose_name_plural = _("visit authorisations")
        ordering = ["-authorised_at", "-id"]

    def __str__(self) -> str:
        return f"Authorisation {self.authorised_at:%Y-%m-%d}"


class DipCheck(BaseModel):
    """A senior reviewer's check of a sampled visit authorisation (one per authorisation)."""

    authorisation = models.OneToOneField(
        VisitAuthorisation,
        on_delete=models.CASCADE,
        related_name="dip_check",
        verbose_name=_("authorisation"),
    )
    month = models.DateField(_("sample month"))
    reviewer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=DipCheckOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("dip-check")
        verbose_name_plural = _("dip-checks")
        ordering = ["-month", "id"]
        indexes = [models.Index(fields=["month"], name="dipcheck_month_idx")]

    def __str__(self) -> str:
        return f"Dip-check {self.month:%Y-%m}"


class Review(BaseModel):
    """A supervisor's review of a completed ARMS, plan or visit (point M): opened when the
    work is completed, due one calendar month later, then approved or returned."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("nominal")
    )
    subject = models.CharField(_("reviewing"), max_length=10, choices=ReviewSubject.choices)
    arms = models.OneToOneField(
        Arms, on_delete=models.CASCADE, null=True, blank=True, related_name="review"
    )
    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="review"
    )
    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="review"
    )
    opened_at = models.DateTimeField(_("opened"))
    due_at = models.DateTimeField(_("due"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    actions = models.TextField(_("actions or comments"), blank=True)
    reviewer = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervisor review")
        verbose_name_plural = _("supervisor reviews")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(reviewed_at__isnull=True), name="review_open_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(subject="arms", arms__isnull=False, plan__isnull=True, visit__isnull=True)
                    | Q(subject="plan", plan__isnull=False, arms__isnull=True, visit__isnull=True)
                    | Q(subject="visit", visit__isnull=False, arms__isnull=True, plan__isnull=True)
                ),
                name="review_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, outcome="")
                | Q(reviewed_at__isnull=False, reviewer__isnull=False) & ~Q(outcome=""),
                name="review_outcome_when_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.subject} due {self.due_at:%Y-%m-%d}"


class Intelligence(BaseModel):
    """An intelligence entry on a nominal; the offender manager reviews it and says whether
    it calls for a fresh ARMS assessment."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="intelligence", verbose_name=_("nominal")
    )
    received_on = models.DateField(_("received"))
    source = models.CharField(_("source"), max_length=200)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    reviewed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    arms_needed = models.BooleanField(_("calls for a fresh ARMS"), default=False)

    class Meta:
        verbose_name = _("intelligence entry")
        verbose_name_plural = _("intelligence entries")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Intelligence {self.received_on:%Y-%m-%d}"


class ModeDecision(BaseModel):
    """A decision on a nominal's management mode (point P): a request to move to reactive
    management and its approval or refusal, an eligibility review that keeps it reactive,
    or a return to active management. `decided_rank` keeps the approver's rank as it was,
    so that the approval condition can be checked for any past date. `conditions` keeps
    the conditions as they were evaluated when the decision was made."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="mode_decisions", verbose_name=_("nominal")
    )
    kind = models.CharField(_("decision"), max_length=12, choices=ModeDecisionKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ModeDecisionStatus.choices,
        default=ModeDecisionStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed"))
    proposal = models.TextField(_("why it is proposed"), blank=True)
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_rank = models.CharField(_("rank of the decision maker"), max_length=30, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rationale = models.TextField(_("rationale for the decision"), blank=True)
    next_review_due = models.DateField(_("next eligibility review due"), null=True, blank=True)
    conditions = models.JSONField(_("conditions when decided"), default=list, blank=True)

    class Meta:
        verbose_name = _("management mode decision")
        verbose_name_plural = _("management mode decisions")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["nominal", "status", "decided_at"], name="modedecision_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True)
                | Q(decided_at__isnull=False, decided_by__isnull=False) & ~Q(status="proposed"),
                name="modedecision_decided_when_not_proposed",
            ),
            models.UniqueConstraint(
                fields=["nominal"],
                condition=Q(status="proposed"),
                name="modedecision_one_proposed_per_nominal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"


class PndCheck(BaseModel):
    """A Police National Database check on a nominal (point Q): when, by whom, what it
    found; then assessed (by whom, when, and the action taken)."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="pnd_checks", verbose_name=_("nominal")
    )
    checked_on = models.DateField(_("date of the check"))
    officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer who checked")
    )
    result = models.CharField(_("result"), max_length=12, choices=PndResult.choices)
    summary = models.TextField(_("summary of what was found"), blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    assessed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)

    class Meta:
        verbose_name = _("PND check")
        verbose_name_plural = _("PND checks")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["nominal", "checked_on"], name="pnd_nominal_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessed_at__isnull=True) | Q(assessed_by__isnull=False),
                name="pnd_assessed_by_when_assessed",
            ),
        ]

    def __str__(self) -> str:
        return f"PND check {self.checked_on:%Y-%m-%d}"


class ManagementTransfer(BaseModel):
    """A request to transfer a nominal's management to another force, accepted (with the
    receiving team and offender manager) or declined (with a reason) there."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("nominal")
    )
    from_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("from team")
    )
    to_force = models.ForeignKey(
        "accounts.Force",
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
        verbose_name=_("to force"),
    )
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TransferStatus.choices,
        default=TransferStatus.REQUESTED,
    )
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    to_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving team"),
    )
    to_manager = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving offender manager"),
    )

    class Meta:
        verbose_name = _("transfer of management")
        verbose_name_plural = _("transfers of management")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"],
                condition=Q(status="requested"),
                name="transfer_one_open_per_nominal",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.requested_at:%Y-%m-%d} ({self.status})"


# The effective-dated history of the values the evidence reads (a model of this app).
from vigil.offenders.history import NominalState  # noqa: E402,F401
