from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffendersConfig(AppConfig):
    name = "vigil.offenders"
    label = "offenders"
    verbose_name = _("Offender management")
