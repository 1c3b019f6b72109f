from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "vigil.partners"
    label = "partners"
    verbose_name = _("Probation partnership")

    def ready(self) -> None:
        # Declare the app's policies, duty kinds (with the escalation hook) and evidence
        # metrics (point T) once the registries exist.
        from vigil.partners import duty_kinds, evidence, policies  # noqa: F401
