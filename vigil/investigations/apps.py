from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "vigil.investigations"
    label = "investigations"
    verbose_name = _("Investigations")

    def ready(self) -> None:
        from vigil.instruments.selectors import register_subject
        from vigil.investigations import selectors
        from vigil.investigations.selectors import allocated_suspects_q
        from vigil.investigations.services import investigation_open
        from vigil.people.selectors import extend_person_scope
        from vigil.referrals.services import set_investigation_opener

        # The unit an investigation is allocated to works with the suspect's record.
        extend_person_scope(allocated_suspects_q)
        # Allocating a referral opens its investigation (point A to B).
        set_investigation_opener(investigation_open)
        # An investigation's assessments, and those its reassessments recorded, are seen
        # and supervised by the investigation's rules.
        register_subject(
            "investigations.investigation",
            visible=selectors.assessments_visible_q,
            supervises=selectors.supervises_assessment,
            supervises_linked=selectors.supervises_reassessed,
        )
