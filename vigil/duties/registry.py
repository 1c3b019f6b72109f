"""The duty-kind registry: every kind of duty Vigil opens, declared once by its app.

Apps declare their kinds in their own `duty_kinds.py` (imported by DutiesConfig.ready)::

    from vigil.duties.registry import declare_duty_kind

    declare_duty_kind(
        "referrals.risk_assessment",
        label=_("Risk assessment"),
        expected=referrals_needing_assessment,   # now -> {(subject_type, subject_id)}
        url=lambda subject_id: reverse("referrals:detail", args=[subject_id]),
    )

`declare_duty_kind` also declares the kind's two escalation policies (see policies.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from vigil.core.policy_registry import Source
from vigil.duties.policies import (
    DEFAULT_MANAGER_DAYS,
    DEFAULT_SUPERVISOR_DAYS,
    declare_escalation_policies,
    manager_days_key,
    supervisor_days_key,
)

SubjectKey = tuple[str, uuid.UUID]
ExpectedFn = Callable[[dt.datetime], Iterable[tuple[str, uuid.UUID | str]]]
UrlFn = Callable[[uuid.UUID], str | None]
# hook(duties, level, now): called by the sweep, inside its transaction, for the duties of
# one kind it has just escalated to `level` (their escalation_level still holds the old one).
EscalateHook = Callable[[list, int, dt.datetime], None]


@dataclass(frozen=True)
class DutyKind:
    """A kind of duty: its code (`<app>.<what>`), label, and optional hooks.

    `expected(now)` returns the (subject_type, subject_id) pairs that should have an open
    duty of this kind, computed from domain state (for `vigil duties check`).
    `url(subject_id)` returns the page of the duty's subject, if its app has one.
    `on_escalate` (given to declare_duty_kind, or added with add_escalate_hook) is called
    by the sweep with the duties of the kind it has just escalated.
    """

    code: str
    label: str | Promise
    expected: ExpectedFn | None = None
    url: UrlFn | None = None

    @property
    def supervisor_days_key(self) -> str:
        return supervisor_days_key(self.code)

    @property
    def manager_days_key(self) -> str:
        return manager_days_key(self.code)

    def subject_url(self, subject_id: uuid.UUID) -> str | None:
        if self.url is None:
            return None
        try:
            return self.url(subject_id)
        except Exception:  # a broken link must never break a list of work
            return None


_KINDS: dict[str, DutyKind] = {}
_ESCALATE_HOOKS: dict[str, list[EscalateHook]] = {}


def add_escalate_hook(code: str, hook: EscalateHook) -> None:
    """Have the sweep call `hook` when it escalates duties of kind `code`.

    Keyed by code, so an app may react to another app's kind (an escalation log, say)
    whichever is imported first. Registering the same hook twice registers it once.
    """
    hooks = _ESCALATE_HOOKS.setdefault(code, [])
    if hook not in hooks:
        hooks.append(hook)


def escalate_hooks(code: str) -> list[EscalateHook]:
    return list(_ESCALATE_HOOKS.get(code, []))


# unassessed(person) -> True when the person's risk has not been assessed yet (a nominal
# before their first approved ARMS): a duty of the kind opened then is "not yet assessed"
# (DutyRisk.UNASSESSED), whatever level its app fell back on, until the risk is set.
UnassessedFn = Callable[[object], bool]
_UNASSESSED: dict[str, UnassessedFn] = {}


def declare_risk_unassessed(codes: Iterable[str], unassessed: UnassessedFn) -> None:
    """Have duties of `codes` opened for a person `unassessed(person)` says has no risk
    level yet counted as "not yet assessed"."""
    for code in codes:
        _UNASSESSED[code] = unassessed


def risk_unassessed(code: str, person) -> bool:
    fn = _UNASSESSED.get(code)
    return bool(fn is not None and fn(person))


# Jobs `vigil sweep` runs on each pass after the escalations, such as the assurance
# module's daily metric snapshots: name -> job(now=...) returning how many things it did.
# Each must be idempotent, like the sweep itself.
SweepJob = Callable[..., int]
_SWEEP_JOBS: dict[str, SweepJob] = {}


def add_sweep_job(name: str, job: SweepJob) -> None:
    """Have every `vigil sweep` pass call `job(now=now)` (registering a name again
    replaces its job)."""
    _SWEEP_JOBS[name] = job


def sweep_jobs() -> dict[str, SweepJob]:
    return dict(_SWEEP_JOBS)


def declare_duty_kind(
    code: str,
    *,
    label: str | Promise,
    expected: ExpectedFn | None = None,
    url: UrlFn | None = None,
    escalate_supervisor_days: int = DEFAULT_SUPERVISOR_DAYS,
    escalate_manager_days: int = DEFAULT_MANAGER_DAYS,
    source: Source = Source.VIGIL,
    on_escalate: EscalateHook | None = None,
) -> DutyKind:
    """Declare a duty kind and its two escalation policies.

    Declaring the same code again replaces the hooks (modules may be imported twice) but a
    different label for the same code is a bug.
    """
    if not code or len(code) > 80 or " " in code:
        raise ValueError(f"Duty kind code {code!r} must be a short dotted name without spaces")
    if escalate_supervisor_days > escalate_manager_days:
        raise ValueError(
            f"Duty kind {code}: the manager escalation cannot come before the supervisor one"
        )
    existing = _KINDS.get(code)
    if existing is not None and str(existing.label) != str(label):
        raise RuntimeError(f"Duty kind {code} declared twice with different labels")
    kind = DutyKind(code=code, label=label, expected=expected, url=url)
    _KINDS[code] = kind
    if on_escalate is not None:
        add_escalate_hook(code, on_escalate)
    declare_escalation_policies(
        code,
        label,
        supervisor_days=escalate_supervisor_days,
        manager_days=escalate_manager_days,
        source=source,
    )
    return kind


def get_kind(code: str) -> DutyKind | None:
    return _KINDS.get(code)


def kind_label(code: str) -> str:
    """The kind's label in the active language (the code itself for an unknown kind)."""
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code


def subject_url(code: str, subject_id: uuid.UUID) -> str | None:
    kind = _KINDS.get(code)
    return kind.subject_url(subject_id) if kind else None


def all_kinds() -> list[DutyKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)
