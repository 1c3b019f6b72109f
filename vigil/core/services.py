"""Writes owned by core: policy overrides."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.core import clock
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.core.models import PolicyOverride
from vigil.core.policy_registry import cross_check_errors, get_policy, policy_value


@transaction.atomic
def policy_override_create(
    *,
    actor,
    key: str,
    value: object,
    effective_from: dt.datetime | None,
    reason: str,
    allow_past: bool = False,
) -> PolicyOverride:
    """Set a policy's value from a date, with a reason; administrators only; audited.

    Steps: the actor must be an administrator; the policy must exist; the value must
    suit the policy's type and range, and there must be a reason; the change applies
    from now, or from today or a later date (an earlier date would rewrite history:
    refused); the value must agree with the policies it is cross-checked against (a
    kind's manager escalation no earlier than its supervisor escalation, say) from its
    date on; store; audit.

    `allow_past` lets a caller record an earlier date (not offered on the page or the
    API; for loading a force's known history).
    """
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can change a policy."))
    try:
        policy = get_policy(key)
    except KeyError as exc:
        raise NotFound(_("There is no policy with that name.")) from exc
    errors = []
    coerced = None
    try:
        coerced = policy.coerce(value)
    except ValueError as exc:
        errors.append(("value", str(exc)))
    if (
        effective_from is not None
        and not allow_past
        and timezone.localdate(effective_from) < clock.today()
    ):
        errors.append(
            (
                "effective_from",
                _(
                    "Enter today's date or a later one: a change applies from today or a "
                    "later date, so that the history is not rewritten"
                ),
            )
        )
    if not (reason or "").strip():
        errors.append(("reason", _("Enter the reason for the change")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    moment = effective_from or clock.now()
    conflicts = cross_check_errors(key, coerced, moment)
    if conflicts:
        raise ValidationFailed(conflicts[0], errors=[("value", m) for m in conflicts])
    before = policy_value(key, at=moment)
    override = PolicyOverride.objects.create(
        key=key, value=coerced, effective_from=moment, reason=reason.strip(), created_by=actor
    )
    audit.record(
        actor,
        "policy.override",
        override,
        changes={"key": key, "value": [before, coerced], "effective_from": moment.isoformat()},
        reason=reason.strip(),
    )
    return override
