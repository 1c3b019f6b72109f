from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffendersConfig(AppConfig):
    name = "vigil.offenders"
    label = "offenders"
    verbose_name = _("Offender management")

    def ready(self) -> None:
        from vigil.offenders.services import circumstances_changed
        from vigil.people.services import on_circumstances_change

        # A new address or a child linked on the person's record is a change of
        # circumstances for a reactively managed nominal (point P).
        on_circumstances_change(circumstances_changed)
