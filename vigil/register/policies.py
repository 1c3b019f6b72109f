"""Register reconciliation's tunable numbers: each with its default and where it comes from."""

from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, declare

declare(
    "register.discrepancy_working_days",
    label=_("Resolve an assigned register discrepancy within"),
    default=20,
    unit=_("working days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=120,
    note=_("Sets the due date of the duty opened when a discrepancy is assigned."),
)
declare(
    "register.reconcile_every_days",
    label=_("Reconcile with a register extract at least every"),
    default=31,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=366,
    note=_(
        "Point I: figures must represent what is on the register. A reconciliation older "
        "than this is shown as overdue on the report."
    ),
)
