from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "vigil.investigations"
    label = "investigations"
    verbose_name = _("Investigations")

    def ready(self) -> None:
        from vigil.investigations.selectors import allocated_suspects_q
        from vigil.people.selectors import extend_person_scope

        # The unit an investigation is allocated to works with the suspect's record.
        extend_person_scope(allocated_suspects_q)
