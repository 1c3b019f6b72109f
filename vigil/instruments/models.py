"""Completed assessments made with a versioned instrument."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel


class Assessment(BaseModel):
    """One completed assessment: the answers given to an instrument (by code and version),
    what they scored, the band that counts and who signed it off.

    `subject_type` and `subject_id` name the domain record assessed (its model label and
    UUID), such as a referral or an offender's ARMS review. The band that counts is
    `final_band`: the computed band, an override of it (with a rationale), or for a
    structured instrument the assessor's professional judgement.
    """

    instrument_code = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    subject_type = models.CharField(_("record type"), max_length=80)
    subject_id = models.UUIDField(_("record id"))
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("person"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments_made",
        verbose_name=_("assessor"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    # Subtotals per section and how often each answer was given (the counts summary).
    summary = models.JSONField(_("summary"), default=dict)
    score = models.IntegerField(_("score"), null=True, blank=True)
    computed_band = models.CharField(_("computed band"), max_length=40, blank=True)
    override_band = models.CharField(_("override band"), max_length=40, blank=True)
    override_rationale = models.TextField(_("reason for the override"), blank=True)
    final_band = models.CharField(_("band"), max_length=40)
    formulation = models.TextField(_("case formulation"), blank=True)
    completed_at = models.DateTimeField(_("completed"))
    signoff_required = models.BooleanField(_("supervisor sign-off required"), default=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-completed_at", "-id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "completed_at"], name="assessment_subject_idx"
            ),
            models.Index(fields=["person", "completed_at"], name="assessment_person_idx"),
            models.Index(
                fields=["completed_at"],
                condition=Q(signoff_required=True, signed_off_at__isnull=True),
                name="assessment_to_sign_off_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(override_band="") | ~Q(override_rationale=""),
                name="assessment_override_needs_rationale",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True, signed_off_at__isnull=True)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="assessment_signoff_by_and_at_together",
            ),
            models.CheckConstraint(condition=~Q(final_band=""), name="assessment_has_final_band"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} v{self.instrument_version} ({self.final_band})"

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_band)

    @property
    def awaiting_signoff(self) -> bool:
        return self.signoff_required and self.signed_off_at is None
