"""Escalation policies of the duty ledger, one pair per duty kind.

Duty kinds are declared by other apps at import time (see `registry.declare_duty_kind`),
so the per-kind policies are declared by the helper below rather than listed here:
for a kind `<code>`, `duties.<code>.escalate_supervisor_days` and
`duties.<code>.escalate_manager_days`.
"""

from __future__ import annotations

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, declare

DEFAULT_SUPERVISOR_DAYS = 7
DEFAULT_MANAGER_DAYS = 28


def supervisor_days_key(kind_code: str) -> str:
    return f"duties.{kind_code}.escalate_supervisor_days"


def manager_days_key(kind_code: str) -> str:
    return f"duties.{kind_code}.escalate_manager_days"


def _supervisor_label(kind_label) -> str:
    return gettext("%(kind)s: days overdue before the team's supervisors are told") % {
        "kind": str(kind_label)
    }


def _manager_label(kind_label) -> str:
    return gettext("%(kind)s: days overdue before the team's managers are told") % {
        "kind": str(kind_label)
    }


# Evaluated when shown, so that each reader sees the label in their own language.
supervisor_label = lazy(_supervisor_label, str)
manager_label = lazy(_manager_label, str)


def declare_escalation_policies(
    kind_code: str,
    kind_label: str | Promise,
    *,
    supervisor_days: int = DEFAULT_SUPERVISOR_DAYS,
    manager_days: int = DEFAULT_MANAGER_DAYS,
    source: Source = Source.VIGIL,
) -> tuple[str, str]:
    """Declare the two escalation thresholds of a duty kind; returns their keys."""
    note = _(
        "Counted in whole days after the due date (Europe/London). 0 means as soon as the "
        "duty is overdue."
    )
    declare(
        supervisor_days_key(kind_code),
        label=supervisor_label(kind_label),
        default=supervisor_days,
        unit=_("days"),
        source=source,
        minimum=0,
        maximum=3650,
        note=note,
    )
    declare(
        manager_days_key(kind_code),
        label=manager_label(kind_label),
        default=manager_days,
        unit=_("days"),
        source=source,
        minimum=0,
        maximum=3650,
        note=note,
    )
    return supervisor_days_key(kind_code), manager_days_key(kind_code)
