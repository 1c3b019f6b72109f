from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "vigil.duties"
    label = "duties"
    verbose_name = _("Duties")

    def ready(self) -> None:
        # Every app that opens duties declares its duty kinds in duty_kinds.py.
        autodiscover_modules("duty_kinds")
