"""The completeness checklist of a nominal's record (point H): required-field rules.

The rules are a declared list, each a condition a complete record meets, written as a
database expression so that "complete or not" for every nominal is one query. A force
switches a rule off with its policy `offenders.completeness.<code>` (yes/no, default
yes), which keeps the change audited and dated like every other policy.

To add a rule, add a `Rule` to RULES: its policy is declared from the list.

Each rule can also be read as it was at a past moment (`complete_at`, for point H as of a
date): the nominal's and the person's fields from the effective-dated history
(`vigil.offenders.history`), and the related records that had been recorded by then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Kind, Source, declare, policy_values


@dataclass(frozen=True)
class Rule:
    code: str
    label: str | Promise
    condition: Callable[[], Q]  # a condition on Nominal rows, built when asked
    # The same condition as it was at a moment (moment, its day): Q on Nominal rows.
    condition_at: Callable[[dt.datetime, dt.date], Q] | None = None

    @property
    def policy_key(self) -> str:
        return f"offenders.completeness.{self.code}"


def _has_requirement() -> Q:
    from vigil.offenders.models import NotificationRequirement

    return Q(Exists(NotificationRequirement.objects.filter(nominal_id=OuterRef("pk"))))


def _has_initial_notification() -> Q:
    from vigil.offenders.models import NotificationEvent

    return Q(
        Exists(
            NotificationEvent.objects.filter(
                nominal_id=OuterRef("pk"), kind="initial", notified_on__isnull=False
            )
        )
    )


def _has_current_address() -> Q:
    from vigil.people.models import Address

    return Q(Exists(Address.objects.filter(person_id=OuterRef("person_id"), valid_to__isnull=True)))


def _has_plan() -> Q:
    from vigil.offenders.models import Plan

    return Q(Exists(Plan.objects.filter(nominal_id=OuterRef("pk"))))


def _orders_with_terms() -> Q:
    """No SHPO, SRO or notification order recorded without its prohibitions or
    requirements (as it was at a moment: the history keeps whether the orders recorded by
    then had their terms)."""
    from vigil.offenders.history import orders_without_terms

    return ~Q(Exists(orders_without_terms()))


def _state(**values) -> Callable[[dt.datetime, dt.date], Q]:
    def condition(moment: dt.datetime, _day: dt.date) -> Q:
        from vigil.offenders.history import state_q

        return state_q(moment, **values)

    return condition


def _state_not(**values) -> Callable[[dt.datetime, dt.date], Q]:
    def condition(moment: dt.datetime, _day: dt.date) -> Q:
        from vigil.offenders.history import in_force_at

        return Q(Exists(in_force_at(moment).filter(nominal_id=OuterRef("pk")).exclude(**values)))

    return condition


def _requirement_at(moment: dt.datetime, _day: dt.date) -> Q:
    from vigil.offenders.models import NotificationRequirement

    return Q(
        Exists(
            NotificationRequirement.objects.filter(
                nominal_id=OuterRef("pk"), created_at__lte=moment
            )
        )
    )


def _initial_notification_at(moment: dt.datetime, day: dt.date) -> Q:
    from vigil.offenders.models import NotificationEvent

    return Q(
        Exists(
            NotificationEvent.objects.filter(
                nominal_id=OuterRef("pk"), kind="initial", notified_on__lte=day
            ).filter(created_at__lte=moment)
        )
    )


def _address_at(moment: dt.datetime, day: dt.date) -> Q:
    """An address recorded by then, lived at then: not ended then, or its ending recorded
    later (an address's last change is its ending)."""
    from vigil.people.models import Address

    return Q(
        Exists(
            Address.objects.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gt=day) | Q(updated_at__gt=moment),
                person_id=OuterRef("person_id"),
                created_at__lte=moment,
                valid_from__lte=day,
            )
        )
    )


def _plan_at(moment: dt.datetime, _day: dt.date) -> Q:
    from vigil.offenders.models import Plan

    return Q(Exists(Plan.objects.filter(nominal_id=OuterRef("pk"), created_at__lte=moment)))


def _manager_at(moment: dt.datetime, _day: dt.date) -> Q:
    from vigil.offenders.history import state_q

    return state_q(moment, offender_manager__isnull=False) | _state_not(status="active")(
        moment, _day
    )


RULES: list[Rule] = [
    Rule(
        "register_reference",
        _("Register (ViSOR) reference"),
        lambda: ~Q(person__register_reference=""),
        _state_not(register_reference=""),
    ),
    Rule(
        "date_of_birth",
        _("Date of birth"),
        lambda: Q(person__date_of_birth__isnull=False),
        _state(date_of_birth__isnull=False),
    ),
    Rule("current_address", _("Current address"), _has_current_address, _address_at),
    Rule(
        "offender_manager",
        _("Named offender manager"),
        lambda: Q(offender_manager__isnull=False) | ~Q(status="active"),
        _manager_at,
    ),
    Rule(
        "mappa",
        _("MAPPA category and level"),
        lambda: Q(mappa_category__isnull=False, mappa_level__isnull=False),
        _state(mappa_category__isnull=False, mappa_level__isnull=False),
    ),
    Rule(
        "notification_requirement",
        _("Notification requirements and end date"),
        _has_requirement,
        _requirement_at,
    ),
    Rule(
        "initial_notification",
        _("Initial notification recorded"),
        _has_initial_notification,
        _initial_notification_at,
    ),
    Rule(
        "risk_level",
        _("Current risk level (approved ARMS)"),
        lambda: ~Q(risk_level=""),
        _state_not(risk_level=""),
    ),
    Rule("plan", _("Risk management plan"), _has_plan, _plan_at),
    Rule(
        "order_terms",
        _("Orders (SHPO, SRO, notification order) with their prohibitions or requirements"),
        _orders_with_terms,
        _state(orders_complete=True),
    ),
]

for _rule in RULES:
    declare(
        _rule.policy_key,
        label=_rule.label,
        default=True,
        unit="",
        source=Source.APP,
        kind=Kind.BOOLEAN,
        note=_("A required field of a nominal's record (register standards)."),
    )


def active_rules(at=None) -> list[Rule]:
    """The rules in force (one query for their policies)."""
    values = policy_values([r.policy_key for r in RULES], at=at)
    return [r for r in RULES if values[r.policy_key]]


def annotate_completeness(qs, rules: list[Rule] | None = None):
    """Annotate each nominal with `rule_<code>` booleans and `is_complete`."""
    rules = active_rules() if rules is None else rules
    annotations = {
        f"rule_{r.code}": ExpressionWrapper(r.condition(), output_field=BooleanField())
        for r in rules
    }
    everything = Q()
    for r in rules:
        everything &= r.condition()
    annotations["is_complete"] = ExpressionWrapper(everything, output_field=BooleanField())
    return qs.annotate(**annotations)


def checklist(nominal, rules: list[Rule]) -> list[dict]:
    """[{code, label, met}] for a nominal annotated by `annotate_completeness`."""
    return [
        {"code": r.code, "label": r.label, "met": bool(getattr(nominal, f"rule_{r.code}"))}
        for r in rules
    ]


def complete_at(moment: dt.datetime, rules: list[Rule] | None = None) -> Q:
    """A condition on Nominal rows: the record met every rule (default those in force
    then) as it was at `moment`."""
    from django.utils import timezone

    rules = active_rules(at=moment) if rules is None else rules
    day = timezone.localdate(moment)
    condition = Q()
    for rule in rules:
        condition &= rule.condition_at(moment, day)
    return condition
