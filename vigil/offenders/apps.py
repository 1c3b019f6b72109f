from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffendersConfig(AppConfig):
    name = "vigil.offenders"
    label = "offenders"
    verbose_name = _("Offender management")

    def ready(self) -> None:
        from vigil.duties.registry import add_sweep_job
        from vigil.instruments.selectors import register_subject
        from vigil.offenders import selectors
        from vigil.offenders.services import circumstances_changed
        from vigil.offenders.services.dipchecks_sweep import dip_check_sweep
        from vigil.people.services import on_circumstances_change

        # A new address or a child linked on the person's record is a change of
        # circumstances for a reactively managed nominal (point P).
        on_circumstances_change(circumstances_changed)
        # An ARMS assessment is seen and supervised by the nominal's rules.
        register_subject(
            "offenders.arms",
            visible=selectors.assessments_visible_q,
            supervises=selectors.supervises_assessment,
        )
        # `vigil sweep` draws last month's dip-check sample on its first pass of a month.
        add_sweep_job("dip-check sample", dip_check_sweep)
