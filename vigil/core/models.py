"""Base model and the policy overrides table."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every Vigil row: a UUID for URLs and the API, and when it was made and changed."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PolicyOverride(BaseModel):
    """A force's value for a declared policy, in force from a date until the next override."""

    key = models.CharField(_("policy"), max_length=120, db_index=True)
    value = models.JSONField(_("value"))
    effective_from = models.DateTimeField(_("effective from"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("policy override")
        verbose_name_plural = _("policy overrides")
        ordering = ["key", "-effective_from", "-id"]
        indexes = [models.Index(fields=["key", "effective_from"], name="policy_key_from_idx")]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} from {self.effective_from:%Y-%m-%d}"
