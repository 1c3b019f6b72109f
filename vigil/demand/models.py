"""Saved demand forecasts (inspectorate point J). A forecast keeps everything it was made
from (the input series, the policies in force, the method and its backtest) so that it
can be read and compared years later exactly as it was. It holds counts only: no
personal data. Every row is written by a service in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.demand.choices import ForecastSource, Method


class Forecast(BaseModel):
    """One forecast run, for one force: who ran it and when, from which data, with which
    policies, the method the backtest chose, the forecast and the backtest table."""

    force = models.ForeignKey(
        "accounts.Force",
        on_delete=models.PROTECT,
        related_name="demand_forecasts",
        verbose_name=_("force"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="demand_forecasts",
        verbose_name=_("team responsible for refreshing it"),
    )
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=ForecastSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    series = models.JSONField(_("input series"))
    policies = models.JSONField(_("policies used"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    origin = models.DateField(_("last year of history"))
    horizon = models.PositiveSmallIntegerField(_("years forecast"))
    interval = models.FloatField(_("prediction interval"))
    backtest_mape = models.FloatField(_("backtest mean absolute percentage error"), null=True)
    result = models.JSONField(_("forecast and backtest"))
    staffing = models.JSONField(_("staff needed"), default=dict, blank=True)

    class Meta:
        verbose_name = _("demand forecast")
        verbose_name_plural = _("demand forecasts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["force", "-created_at"], name="forecast_force_recent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(horizon__gte=1), name="forecast_horizon_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(interval__gt=0, interval__lt=1), name="forecast_interval_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d})"
