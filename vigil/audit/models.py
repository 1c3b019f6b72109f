"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One thing that happened: a change, a view of a person's record, an export, a sign-in.

    Rows are never updated or deleted (database triggers refuse it). Each row's hash covers
    its own fields and the previous row's hash, so `vigil audit verify` finds any row that
    was altered, removed or inserted out of chain. The actor's e-mail is copied in so the
    event survives the user's deletion.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("at"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_email = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("record type"), max_length=80, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    target_label = models.CharField(_("record"), max_length=300, blank=True)
    person_id = models.CharField(_("person id"), max_length=64, blank=True, db_index=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["person_id", "action", "at"], name="audit_person_action_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} by {self.actor_email or 'system'} at {self.at:%Y-%m-%d %H:%M}"


class AuditChainHead(models.Model):
    """The last event's id and hash, in one row: writers lock it to chain events in order,
    and `verify` compares it with the table so that a removed last row is found too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"audit head at #{self.last_event_id}"
