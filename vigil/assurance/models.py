"""The recommendation register (recommendations, their lettered points, narrative updates)
and the daily snapshots of the evidence metrics."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.assurance.choices import PointStatus, Rag
from vigil.core.models import BaseModel

DEFAULT_OWNER_EN = "VAWG Delivery Group (chaired by the Deputy Chief Constable)"
DEFAULT_OWNER_CY = (
    "Grŵp Cyflawni Trais yn erbyn Menywod a Merched (VAWG), dan gadeiryddiaeth y Dirprwy Brif "
    "Gwnstabl"
)


class Recommendation(BaseModel):
    """An inspectorate recommendation, numbered as in the inspection report, with the date
    by which forces should have implemented it."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class Point(BaseModel):
    """A lettered point (A–T) of a recommendation: its text in English and Welsh, who owns
    it, and how far the force says it has got (the evidence metrics say how far it has)."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="points",
        verbose_name=_("recommendation"),
    )
    letter = models.CharField(_("point"), max_length=1, unique=True)
    text_en = models.TextField(_("text (English)"))
    text_cy = models.TextField(_("text (Welsh)"))
    owner_en = models.CharField(_("owner (English)"), max_length=200, default=DEFAULT_OWNER_EN)
    owner_cy = models.CharField(_("owner (Welsh)"), max_length=200, default=DEFAULT_OWNER_CY)
    status = models.CharField(
        _("status"), max_length=20, choices=PointStatus.choices, default=PointStatus.IN_PROGRESS
    )

    class Meta:
        verbose_name = _("point")
        verbose_name_plural = _("points")
        ordering = ["letter"]

    def __str__(self) -> str:
        return f"Point {self.letter}"

    @property
    def deadline(self):
        return self.recommendation.deadline

    def text(self, language: str) -> str:
        return (self.text_cy if language == "cy" else "") or self.text_en

    def owner(self, language: str) -> str:
        return (self.owner_cy if language == "cy" else "") or self.owner_en


class NarrativeUpdate(BaseModel):
    """A dated account of progress on a point, by a named member of the assurance office."""

    point = models.ForeignKey(
        Point, on_delete=models.CASCADE, related_name="updates", verbose_name=_("point")
    )
    written_on = models.DateField(_("date"))
    text = models.TextField(_("update"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        verbose_name = _("narrative update")
        verbose_name_plural = _("narrative updates")
        ordering = ["-written_on", "-id"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="narrative_text")]

    def __str__(self) -> str:
        return f"Point {self.point.letter} {self.written_on:%Y-%m-%d}"


class MetricSnapshot(BaseModel):
    """One evidence metric's figures for one force as of one day, stored by the sweep (one
    row per force per metric per day: taking it again replaces it). The system-wide view
    adds the forces' rows up."""

    force = models.ForeignKey(
        "accounts.Force",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("force"),
    )
    metric_key = models.CharField(_("metric"), max_length=80)
    as_of = models.DateField(_("as of"))
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Rag.choices)

    class Meta:
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        ordering = ["force_id", "metric_key", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "metric_key", "as_of"], name="snapshot_one_per_force_metric_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric_key} {self.as_of:%Y-%m-%d}"
