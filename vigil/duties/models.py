"""The due-date ledger: every piece of work with a deadline, in one table."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.duties.choices import DutyRisk, EscalationLevel, RiskLevel


class Duty(BaseModel):
    """Something that must be done by a date: an assessment, a review, a visit, a check.

    Domain services open and close duties in the same transaction as the domain change.
    Overdue is a query (open and due_at in the past), never a stored state. `subject_type`
    and `subject_id` name the domain record the duty is about (its model label and UUID).
    """

    kind = models.CharField(_("kind"), max_length=80)
    subject_type = models.CharField(_("record type"), max_length=80)
    subject_id = models.UUIDField(_("record id"))
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duties",
        verbose_name=_("person"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="duties",
        verbose_name=_("owning team"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duties",
        verbose_name=_("assigned to"),
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=DutyRisk.choices, default=RiskLevel.LOW
    )
    due_at = models.DateTimeField(_("due"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=EscalationLevel.choices, default=EscalationLevel.ASSIGNEE
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Set by the sweep when it tells the assignee the duty is overdue, so that they are told
    # once (and a second sweep running at the same time sees the row has changed).
    overdue_notice_at = models.DateTimeField(
        _("assignee told it is overdue"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(completed_at__isnull=True), name="duty_open_due_idx"
            ),
            models.Index(
                fields=["assignee", "due_at"],
                condition=Q(completed_at__isnull=True),
                name="duty_open_assignee_idx",
            ),
            models.Index(
                fields=["team", "due_at"],
                condition=Q(completed_at__isnull=True),
                name="duty_open_team_idx",
            ),
            models.Index(fields=["subject_type", "subject_id", "kind"], name="duty_subject_idx"),
            # Assurance point L counts the work of some kinds outstanding at a moment
            # (completed after it, or not at all) across the whole table.
            models.Index(fields=["kind", "completed_at"], name="duty_kind_completed_idx"),
        ]
        constraints = [
            # One open duty of a kind per subject: opening it again is a no-op.
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(completed_at__isnull=True),
                name="duty_one_open_per_subject_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at:%Y-%m-%d}"


class DutyRevision(BaseModel):
    """A duty's risk level and due date from `effective_at` on.

    Written by the duties services in the same transaction as every change to either (the
    duty opened, rescheduled, its person's risk changed), so that a figure as of a past
    moment (assurance point L) reads them as they were then, not as they are now.
    """

    duty = models.ForeignKey(
        Duty, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("duty")
    )
    effective_at = models.DateTimeField(_("from"))
    risk_level = models.CharField(_("risk level"), max_length=10, choices=DutyRisk.choices)
    due_at = models.DateTimeField(_("due"))

    class Meta:
        verbose_name = _("duty revision")
        verbose_name_plural = _("duty revisions")
        ordering = ["duty", "effective_at", "id"]
        indexes = [models.Index(fields=["duty", "effective_at"], name="duty_revision_at_idx")]

    def __str__(self) -> str:
        return f"{self.duty_id} from {self.effective_at:%Y-%m-%d %H:%M}"


class Escalation(BaseModel):
    """A duty reaching an escalation level: recorded exactly once per duty and level."""

    duty = models.ForeignKey(
        Duty, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("duty")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=EscalationLevel.choices)
    escalated_at = models.DateTimeField(_("escalated at"))
    notified = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
    )

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-escalated_at"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "level"], name="escalation_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.duty} → {self.get_level_display()}"


class Notification(BaseModel):
    """A message to a user in Vigil (and by e-mail): a duty assigned, escalated or overdue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    duty = models.ForeignKey(
        Duty,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("duty"),
    )
    # Stored as a message key and parameters, rendered in the reader's language.
    message_key = models.CharField(_("message"), max_length=60)
    params = models.JSONField(_("details"), default=dict, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # Attempts to e-mail it so far (sent or not), and when the last was made: an e-mail
    # that could not be sent is tried again by the sweep, up to the policy's attempts.
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_attempted_at = models.DateTimeField(_("last e-mail attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread_idx"),
            # The sweep's look for e-mails to try again reads only the unsent ones.
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True),
                name="notification_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_key} for {self.user}"
