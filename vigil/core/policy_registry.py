"""The policy registry: every tunable number in Vigil, declared once with its source.

Apps declare policies in their own `policies.py` with `declare(...)`. A force changes a
value through `vigil.core.services.policy_override_create`, which takes effect from a
date, so that `policy_value(key, at=...)` can give the value in force at any time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import TextChoices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

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


# A number with its unit, singular or plural by the number ("1 day", "2 days"; Welsh
# has a form for each count), for the units policies are declared in. Keyed by the
# unit's English text; a unit not listed here is shown after the number as it is.
_COUNTED_UNITS = {
    "days": ngettext_lazy("%(value)s day", "%(value)s days", "n"),
    "working days": ngettext_lazy("%(value)s working day", "%(value)s working days", "n"),
    "days after it ends": ngettext_lazy(
        "%(value)s day after it ends", "%(value)s days after it ends", "n"
    ),
    "months": ngettext_lazy("%(value)s month", "%(value)s months", "n"),
    "years": ngettext_lazy("%(value)s year", "%(value)s years", "n"),
    "hours": ngettext_lazy("%(value)s hour", "%(value)s hours", "n"),
    "hours a year": ngettext_lazy("%(value)s hour a year", "%(value)s hours a year", "n"),
    "minutes": ngettext_lazy("%(value)s minute", "%(value)s minutes", "n"),
    "attempts": ngettext_lazy("%(value)s attempt", "%(value)s attempts", "n"),
    "attempts in 15 minutes": ngettext_lazy(
        "%(value)s attempt in 15 minutes", "%(value)s attempts in 15 minutes", "n"
    ),
    "requests a minute": ngettext_lazy(
        "%(value)s request a minute", "%(value)s requests a minute", "n"
    ),
    "abstractions": ngettext_lazy("%(value)s abstraction", "%(value)s abstractions", "n"),
    "nominals": ngettext_lazy("%(value)s nominal", "%(value)s nominals", "n"),
    "offender managers": ngettext_lazy(
        "%(value)s offender manager", "%(value)s offender managers", "n"
    ),
    "records": ngettext_lazy("%(value)s record", "%(value)s records", "n"),
}


def counted(value: object, unit: str | Promise) -> str:
    """`value` followed by `unit`, in the active language, with the noun in the form its
    number takes."""
    with translation.override("en"):
        english = str(unit)
    forms = _COUNTED_UNITS.get(english)
    if forms is None:
        return f"{value} {unit}".strip()
    # The form follows the number; a fraction takes the plural, as in English ("1.5 days").
    whole = isinstance(value, int | float) and float(value).is_integer()
    return str(forms % {"n": int(value) if whole else 2, "value": value})


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

    def display(self, value: object) -> str:
        """`value` as a reader should see it, in the active language: Yes or No for a
        yes-or-no policy, otherwise the number and its unit."""
        if self.kind == Kind.BOOLEAN:
            return str(_("Yes")) if self.coerce(value) else str(_("No"))
        return counted(value, self.unit)


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


# --- cross-checks between policies ------------------------------------------------------
#
# Some policies only make sense together: a duty kind's manager escalation cannot come
# before its supervisor escalation, say. An app registers a check over the keys involved;
# `policy_override_create` runs the checks of the key it changes and refuses an override
# that would make any of them fail, on its effective date or on any later date at which
# one of the keys changes.

# check(values, at) -> an error message when `values` ({key: value} for the check's keys,
# as they would be in force at `at`) do not go together, else None.
CrossCheckFn = Callable[[Mapping[str, int | float | bool], dt.datetime], str | Promise | None]


@dataclass(frozen=True)
class CrossCheck:
    keys: tuple[str, ...]
    check: CrossCheckFn


_CROSS_CHECKS: dict[tuple[str, ...], CrossCheck] = {}


def add_cross_check(keys: Iterable[str], check: CrossCheckFn) -> CrossCheck:
    """Register a check over several policies (registering the same keys again replaces
    the check: modules may be imported twice)."""
    keys = tuple(keys)
    for key in keys:
        get_policy(key)  # the policies must be declared first
    cross_check = CrossCheck(keys, check)
    _CROSS_CHECKS[keys] = cross_check
    return cross_check


def cross_checks_for(key: str) -> list[CrossCheck]:
    return [c for c in _CROSS_CHECKS.values() if key in c.keys]


def cross_check_errors(key: str, value: int | float | bool, at: dt.datetime) -> list[str]:
    """The messages of the cross-checks that an override of `key` to `value` from `at`
    would break (none when it may be stored).

    Steps: for each check over `key`, read the overrides of its keys (one query); add the
    proposed one (it wins over an override of the same key from the same moment, as a
    newer override does); evaluate the check at `at` and at every later moment one of
    its keys changes, with the values in force then; report the first failure of each.
    """
    from vigil.core.models import PolicyOverride

    errors: list[str] = []
    for cross_check in cross_checks_for(key):
        rows = list(
            PolicyOverride.objects.filter(key__in=cross_check.keys)
            .order_by("effective_from", "id")
            .values_list("key", "effective_from", "value")
        )
        # In order of precedence: a later row wins over an earlier one at the same moment.
        timeline = [(k, moment, get_policy(k).coerce(v)) for k, moment, v in rows]
        timeline.append((key, at, value))
        timeline.sort(key=lambda row: row[1])  # stable: the proposed one stays last
        moments = sorted({at} | {moment for _k, moment, _v in timeline if moment > at})
        for moment in moments:
            values = {k: get_policy(k).default for k in cross_check.keys}
            for k, effective_from, v in timeline:
                if effective_from <= moment:
                    values[k] = v
            message = cross_check.check(values, moment)
            if message:
                errors.append(str(message))
                break
    return errors


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
