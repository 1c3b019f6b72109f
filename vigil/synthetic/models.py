"""Audit events the synthetic generator holds back until it can chain them in time order."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingAuditEvent(models.Model):
    """An audit event written while the generator replays history (see `vigil.synthetic.
    pending`): the fields of an `audit.AuditEvent` without its place in the chain. The
    generator writes histories one case at a time, so events arrive out of time order;
    at the end they are chained in time order and these rows deleted. Empty between runs.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("at"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_email = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("record type"), max_length=80, blank=True, db_index=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_label = models.CharField(_("record"), max_length=300, blank=True)
    person_id = models.CharField(_("person id"), max_length=64, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("pending audit event")
        verbose_name_plural = _("pending audit events")
        indexes = [models.Index(fields=["at", "id"], name="pending_audit_at_idx")]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"
