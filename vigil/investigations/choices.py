from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """The investigation lifecycle. Transitions are defined in one place: lifecycle.py."""

    RESEARCH = "research", _("Research")
    AWAITING_ENFORCEMENT = "awaiting_enforcement", _("Awaiting enforcement")
    ENFORCEMENT = "enforcement", _("Enforcement")
    POST_ARREST = "post_arrest", _("Post-arrest")
    ON_BAIL = "on_bail", _("On pre-charge bail")
    RUI = "rui", _("Released under investigation")
    CHARGED = "charged", _("Charged")
    NFA = "nfa", _("No further action")
    CLOSED = "closed", _("Closed")
