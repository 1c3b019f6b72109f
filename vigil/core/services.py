"""Writes owned by core: policy overrides."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.core import clock
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.core.models import PolicyOverride
from vigil.core.policy_registry import get_policy, policy_value


@transaction.atomic
def policy_override_create(
    *, actor, key: str, value: object, effective_from: dt.datetime | None, reason: str
) -> PolicyOverride:
    """Set a policy's value from a date, with a reason; administrators only; audited.

    An effective date in the past is allowed (to record a change already made by the
    force) but computations already reported are not rewritten: snapshots keep their
    figures.
    """
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can change a policy."))
    try:
        policy = get_policy(key)
    except KeyError as exc:
        raise NotFound(_("There is no policy with that name.")) from exc
    errors = []
    try:
        coerced = policy.coerce(value)
    except ValueError as exc:
        errors.append(("value", str(exc)))
    if not (reason or "").strip():
        errors.append(("reason", _("Enter the reason for the change")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    moment = effective_from or clock.now()
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
