from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "vigil.workforce"
    label = "workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        # Points D and K become measurable when this module declares their metrics
        # (replacing the "not yet measurable" entries of vigil.assurance.evidence).
        from vigil.duties.registry import add_sweep_job
        from vigil.workforce import evidence  # noqa: F401
        from vigil.workforce.services.training import training_refresh_sweep

        # Time passing brings supervisors' trauma-informed training within the refresh
        # warning: each `vigil sweep` pass opens those duties (idempotent).
        add_sweep_job("workforce training refresh", lambda now: training_refresh_sweep(now=now))
