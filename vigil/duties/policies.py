"""Policies of the duty ledger: the general ones below, and one pair of escalation
thresholds per duty kind.

Duty kinds are declared by other apps at import time (see `registry.declare_duty_kind`),
so the per-kind policies are declared by the helper below rather than listed here:
for a kind `<code>`, `duties.<code>.escalate_supervisor_days` and
`duties.<code>.escalate_manager_days`. A cross-check keeps each pair consistent: the
managers are never told before the supervisors.
"""

from __future__ import annotations

from functools import partial

from django.utils import formats, timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, add_cross_check, declare

DEFAULT_SUPERVISOR_DAYS = 7
DEFAULT_MANAGER_DAYS = 28

NOTIFY_ASSIGNEE_AFTER_DAYS = "duties.notify_assignee_after_days"
EMAIL_MAX_ATTEMPTS = "duties.email_max_attempts"
EMAIL_RETRY_AFTER_MINUTES = "duties.email_retry_after_minutes"

declare(
    NOTIFY_ASSIGNEE_AFTER_DAYS,
    label=_("Days overdue before the assignee is told"),
    default=1,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=0,
    maximum=3650,
    note=_(
        "Counted in whole days after the due date (Europe/London). 0 means as soon as the "
        "duty is overdue."
    ),
)
declare(
    EMAIL_MAX_ATTEMPTS,
    label=_("Attempts to send a notification by e-mail before giving up"),
    default=5,
    unit=_("attempts"),
    source=Source.VIGIL,
    minimum=1,
    maximum=50,
    note=_(
        "The first attempt is made when the notification is created; the sweep tries "
        "again until the e-mail is sent or this many attempts have failed. The "
        "notification stays in Vigil either way."
    ),
)
declare(
    EMAIL_RETRY_AFTER_MINUTES,
    label=_("Wait before trying a failed notification e-mail again"),
    default=10,
    unit=_("minutes"),
    source=Source.VIGIL,
    minimum=0,
    maximum=1440,
)


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
    """Declare the two escalation thresholds of a duty kind, and the cross-check that
    keeps the managers' threshold at or above the supervisors'; returns their keys."""
    if supervisor_days > manager_days:
        raise ValueError(
            f"Duty kind {kind_code}: the manager escalation ({manager_days} days) cannot "
            f"come before the supervisor escalation ({supervisor_days} days)"
        )
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
    add_cross_check(
        (supervisor_days_key(kind_code), manager_days_key(kind_code)),
        partial(_thresholds_in_order, kind_code, kind_label),
    )
    return supervisor_days_key(kind_code), manager_days_key(kind_code)


def _thresholds_in_order(kind_code: str, kind_label, values, at) -> str | None:
    """The cross-check of a kind's pair: managers are told no earlier than supervisors."""
    supervisor = values[supervisor_days_key(kind_code)]
    manager = values[manager_days_key(kind_code)]
    if manager >= supervisor:
        return None
    return gettext(
        "%(kind)s: from %(date)s the managers would be told after %(manager)s days "
        "overdue, before the supervisors (after %(supervisor)s days). The days before the "
        "managers are told must be at least the days before the supervisors are told."
    ) % {
        "kind": str(kind_label),
        "manager": manager,
        "supervisor": supervisor,
        "date": formats.date_format(timezone.localdate(at), "j F Y"),
    }
