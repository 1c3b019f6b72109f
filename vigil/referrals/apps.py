from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "vigil.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from vigil.instruments.selectors import register_subject
        from vigil.referrals import selectors

        # A referral's risk assessment is seen and supervised by the referral's rules.
        register_subject(
            "referrals.referral",
            visible=selectors.assessments_visible_q,
            supervises=selectors.supervises_assessment,
        )
