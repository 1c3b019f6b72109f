from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "vigil.workforce"
    label = "workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        # Points D and K become measurable when this module declares their metrics
        # (replacing the "not yet measurable" entries of vigil.assurance.evidence).
        from vigil.workforce import evidence  # noqa: F401
