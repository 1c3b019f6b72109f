"""The policy registry: every tunable number in Vigil, declared once with its source.

Apps declare policies in their own `policies.py` with `declare(...)`. A force changes a
value through `vigil.core.services.policy_override_create`, which takes effect from a
date, so that `policy_value(key, at=...)` can give the value in force at any time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.core import clock


class Source(TextChoices):
    LAW = "law", _("Law")
    APP = "app", _("College of Policing APP")
    HMICFRS = "hmicfrs", _("HMICFRS")
    VIGIL = "vigil", _("Vigil default")


class Kind(TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    BOOLEAN = "boolean", _("Yes or no")


@dataclass(frozen=True)
class Policy:
    key: str
    label: str | Promise
    default: int | float | bool
    unit: str | Promise
    source: Source
    kind: Kind = Kind.INTEGER
    minimum: float | None = None
    maximum: float | None = None
    note: str | Promise = ""

    @property
    def app_label(self) -> str:
        return self.key.split(".", 1)[0]

    def coerce(self, raw: object) -> int | float | bool:
        """Turn a submitted value into this policy's type, or raise ValueError with a reason."""
        if self.kind == Kind.BOOLEAN:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"true", "1", "yes", "on", "ie", "ydy", "oes"}:
                return True
            if text in {"false", "0", "no", "off", "na", "nac ydy", "nac oes"}:
                return False
            raise ValueError(_("Enter yes or no"))
        try:
            number = Decimal(str(raw).strip())
        except Exception as exc:  # decimal.InvalidOperation and friends
            raise ValueError(_("Enter a number")) from exc
        if not number.is_finite():
            raise ValueError(_("Enter a number"))
        if self.kind == Kind.INTEGER:
            if number != number.to_integral_value():
                raise ValueError(_("Enter a whole number"))
            value: int | float = int(number)
        else:
            value = float(number)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(_("Enter a value of at least %(minimum)s") % {"minimum": self.minimum})
        if self.maximum is not None and value > self.maximum:
            raise ValueError(_("Enter a value of at most %(maximum)s") % {"maximum": self.maximum})
        return value


_REGISTRY: dict[str, Policy] = {}


def declare(
    key: str,
    *,
    label: str | Promise,
    default: int | float | bool,
    unit: str | Promise,
    source: Source,
    kind: Kind = Kind.INTEGER,
    minimum: float | None = None,
    maximum: float | None = None,
    note: str | Promise = "",
) -> Policy:
    """Declare a policy. Declaring the same key twice with different defaults is a bug."""
    policy = Policy(key, label, default, unit, source, kind, minimum, maximum, note)
    existing = _REGISTRY.get(key)
    if existing is not None and existing != policy:
        raise RuntimeError(f"Policy {key} declared twice with different definitions")
    _REGISTRY[key] = policy
    return policy


def get_policy(key: str) -> Policy:
    try:
        return _REGISTRY[key]
    except KeyError as exc:
        raise KeyError(f"No policy is declared with key {key!r}") from exc


def all_policies() -> list[Policy]:
    return sorted(_REGISTRY.values(), key=lambda p: p.key)


_cache: ContextVar[dict | None] = ContextVar("vigil_policy_cache", default=None)


@contextmanager
def cached() -> Iterator[None]:
    """Read each policy's overrides once for the block (they must not change inside it).

    For long batch jobs that ask the same policies thousands of times — the synthetic
    generator, a sweep. Pages and services outside such a block always read the table.
    """
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def _cached_value(cache: dict, key: str, moment: dt.datetime):
    from vigil.core.models import PolicyOverride

    if key not in cache:
        cache[key] = list(
            PolicyOverride.objects.filter(key=key)
            .order_by("-effective_from", "-id")
            .values_list("effective_from", "value")
        )
    for effective_from, value in cache[key]:
        if effective_from <= moment:
            return get_policy(key).coerce(value)
    return get_policy(key).default


def policy_value(key: str, *, at: dt.datetime | None = None) -> int | float | bool:
    """The value of policy `key` in force at `at` (default: now).

    The latest override whose effective_from is not after `at`, else the declared default.
    """
    from vigil.core.models import PolicyOverride

    policy = get_policy(key)
    moment = at or clock.now()
    cache = _cache.get()
    if cache is not None:
        return _cached_value(cache, key, moment)
    override = (
        PolicyOverride.objects.filter(key=key, effective_from__lte=moment)
        .order_by("-effective_from", "-id")
        .values_list("value", flat=True)
        .first()
    )
    return policy.default if override is None else policy.coerce(override)


def policy_values(
    keys: list[str], *, at: dt.datetime | None = None
) -> dict[str, int | float | bool]:
    """Several policies in one query, for list pages and set-based computations."""
    from vigil.core.models import PolicyOverride

    moment = at or clock.now()
    cache = _cache.get()
    if cache is not None:
        return {key: _cached_value(cache, key, moment) for key in keys}
    values = {key: get_policy(key).default for key in keys}
    seen: set[str] = set()
    rows = (
        PolicyOverride.objects.filter(key__in=keys, effective_from__lte=moment)
        .order_by("key", "-effective_from", "-id")
        .values_list("key", "value")
    )
    for key, value in rows:
        if key not in seen:
            values[key] = get_policy(key).coerce(value)
            seen.add(key)
    return values
