"""Reads owned by core: the policy table and its history."""

from __future__ import annotations

from vigil.core.models import PolicyOverride
from vigil.core.policy_registry import all_policies, get_policy, policy_values


def policy_table() -> list[dict]:
    """Every declared policy with the value in force now (two queries in all)."""
    policies = all_policies()
    values = policy_values([p.key for p in policies])
    changed = set(PolicyOverride.objects.values_list("key", flat=True).distinct())
    return [{"policy": p, "value": values[p.key], "overridden": p.key in changed} for p in policies]


def policy_row(key: str) -> dict | None:
    try:
        policy = get_policy(key)
    except KeyError:
        return None
    return {"policy": policy, "value": policy_values([key])[key]}


def policy_history(key: str):
    return (
        PolicyOverride.objects.filter(key=key)
        .select_related("created_by")
        .order_by("-effective_from", "-id")
    )
