"""Reads owned by core: the policy table and its history."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q

from vigil.core import clock
from vigil.core.models import PolicyOverride
from vigil.core.policy_registry import all_policies, get_policy, policy_values


def _changes(keys: list[str] | None, now: dt.datetime) -> dict[str, dict]:
    """{key: {"in_force": an override is in force now, "next_change": the date of the
    first override still to come, or None}} for the keys with any override (one query)."""
    rows = PolicyOverride.objects.all()
    if keys is not None:
        rows = rows.filter(key__in=keys)
    rows = rows.values("key").annotate(
        first=Min("effective_from"),
        next_change=Min("effective_from", filter=Q(effective_from__gt=now)),
    )
    return {
        r["key"]: {"in_force": r["first"] <= now, "next_change": r["next_change"]} for r in rows
    }


def _row(policy, value, change: dict | None) -> dict:
    change = change or {}
    return {
        "policy": policy,
        "value": value,
        "value_display": policy.display(value),
        "default_display": policy.display(policy.default),
        # Changed by the force: an override is in force now (a change still to come is
        # shown by its date, not as a change).
        "overridden": change.get("in_force", False),
        "next_change": change.get("next_change"),
    }


def policy_table() -> list[dict]:
    """Every declared policy with the value in force now and the date of its next change,
    if one is to come (two queries in all)."""
    now = clock.now()
    policies = all_policies()
    values = policy_values([p.key for p in policies], at=now)
    changes = _changes(None, now)
    return [_row(p, values[p.key], changes.get(p.key)) for p in policies]


def policy_row(key: str) -> dict | None:
    """One policy with its value in force now, its next change (date and value) if one
    is to come, or None when no policy has that key."""
    try:
        policy = get_policy(key)
    except KeyError:
        return None
    now = clock.now()
    row = _row(policy, policy_values([key], at=now)[key], _changes([key], now).get(key))
    row["next_value_display"] = None
    if row["next_change"] is not None:
        row["next_value_display"] = policy.display(policy_values([key], at=row["next_change"])[key])
    return row


def policy_history(key: str) -> list[PolicyOverride]:
    """Every override of `key`, latest first, each with `value_display` (its value as a
    reader sees it) and `is_future` (not yet in force)."""
    policy = get_policy(key)
    now = clock.now()
    overrides = list(
        PolicyOverride.objects.filter(key=key)
        .select_related("created_by")
        .order_by("-effective_from", "-id")
    )
    for o in overrides:
        o.value_display = policy.display(o.value)
        o.is_future = o.effective_from > now
    return overrides
