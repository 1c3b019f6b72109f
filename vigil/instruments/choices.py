from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """How an instrument reaches its band."""

    SCORED = "scored", _("Scored (the band comes from the points)")
    STRUCTURED = "structured", _("Structured professional judgement")
