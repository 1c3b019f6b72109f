from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastSource(models.TextChoices):
    RECORDS = "records", _("The force's own records")
    SERIES = "series", _("An uploaded yearly series")


class Method(models.TextChoices):
    NAIVE = "naive", _("Naive (next year as last year)")
    DRIFT = "drift", _("Drift (average growth carried on)")
    LINEAR = "linear", _("Straight line through the last eight years")
    ETS = "ets", _("Exponential smoothing with damped trend")
    ARIMA = "arima", _("ARIMA(1,1,0) with drift")
