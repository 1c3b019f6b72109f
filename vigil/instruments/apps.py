from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "vigil.instruments"
    label = "instruments"
    verbose_name = _("Assessment instruments")

    def ready(self) -> None:
        from django.core import checks

        from vigil.instruments.checks import check_definitions

        checks.register(check_definitions)
