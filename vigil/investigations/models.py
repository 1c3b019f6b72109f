"""POLIT investigations: one per suspect and referral, from research to outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.investigations.choices import State


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

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["owning_team", "state"], name="investigation_owner_state_idx"),
            models.Index(fields=["allocated_team", "state"], name="investigation_alloc_state_idx"),
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"
