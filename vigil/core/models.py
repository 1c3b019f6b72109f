"""Base model and the policy overrides table."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core import clock


class ClockDateTimeField(models.DateTimeField):
    """A DateTimeField whose auto_now and auto_now_add stamp `clock.now()`, not the wall
    clock: a record written under `clock.replay(moment)` (the synthetic generator writing
    years of history through the services) is created and changed at that moment, like its
    audit event and duties. The database column is an ordinary datetime, so migrations
    describe it as one (no migration in any app when a field becomes this)."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class BaseModel(models.Model):
    """Every Vigil row: a UUID for URLs and the API, and when it was made and changed."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated at"), auto_now=True)

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
