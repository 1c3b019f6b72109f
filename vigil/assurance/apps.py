from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssuranceConfig(AppConfig):
    name = "vigil.assurance"
    label = "assurance"
    verbose_name = _("Assurance")

    def ready(self) -> None:
        # The evidence metrics are declared when their module is imported.
        from vigil.assurance import evidence  # noqa: F401
        from vigil.assurance.services import snapshot_daily
        from vigil.duties.registry import add_sweep_job

        # `vigil sweep` stores the day's metric snapshots (idempotent).
        add_sweep_job("assurance snapshots", snapshot_daily)
