from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    name = "vigil.demand"
    label = "demand"
    verbose_name = _("Demand forecast")

    def ready(self) -> None:
        # Evidence metric J is declared when its module is imported.
        from vigil.demand import evidence  # noqa: F401
