from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, declare

declare(
    "people.restriction_review_days",
    label=_("Review a need-to-know restriction after this many days"),
    default=90,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=7,
    maximum=365,
    note=_(
        "A restriction hides a record from colleagues; a supervisor confirms it is still needed."
    ),
)
