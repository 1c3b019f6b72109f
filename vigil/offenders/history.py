"""Effective-dated history of the values the evidence reads from a nominal's record.

A nominal's status and management mode, risk level, managing team and offender manager,
MAPPA category and level, the person's register reference and date of birth, and
whether every SHPO, SRO and notification order has its prohibitions or requirements
recorded (what the completeness rules of point H read) change over the years. Every change is
kept as a `NominalState` row, in force from `valid_from` until `valid_to` (the moment
the next one took over; open for the values in force now). The offenders services call
`state_record(nominal)` after each write that may change one of these values, in the
same transaction, so that a figure as of a past date (points H, I, P, Q) uses the values
in force then and does not move when later work is recorded.

`in_force_at(moment)` is the rows in force at a moment (one per nominal that existed
then), and `state_q(moment, **values)` a condition on Nominal rows: "had these values
then".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from vigil.core import clock
from vigil.duties.choices import RiskLevel
from vigil.offenders.choices import ManagementMode, MappaCategory, MappaLevel, NominalStatus

# The values kept: the Nominal's own fields, then the person's (as `person__<field>`).
NOMINAL_FIELDS = (
    "status",
    "management_mode",
    "risk_level",
    "team_id",
    "offender_manager_id",
    "mappa_category",
    "mappa_level",
)
PERSON_FIELDS = ("register_reference", "date_of_birth")
# Derived from the nominal's orders: every SHPO, SRO and notification order recorded with
# its prohibitions or requirements (point H's order rule).
DERIVED_FIELDS = ("orders_complete",)
KEPT_FIELDS = (*NOMINAL_FIELDS, *PERSON_FIELDS, *DERIVED_FIELDS)


class NominalState(models.Model):
    """The values of a nominal's record in force from `valid_from` until `valid_to`."""

    id = models.BigAutoField(primary_key=True)
    nominal = models.ForeignKey(
        "offenders.Nominal",
        on_delete=models.CASCADE,
        related_name="states",
        verbose_name=_("nominal"),
    )
    valid_from = models.DateTimeField(_("in force from"))
    valid_to = models.DateTimeField(_("in force until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=NominalStatus.choices)
    management_mode = models.CharField(
        _("management mode"), max_length=10, choices=ManagementMode.choices
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    offender_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offender manager"),
    )
    mappa_category = models.PositiveSmallIntegerField(
        _("MAPPA category"), choices=MappaCategory.choices, null=True, blank=True
    )
    mappa_level = models.PositiveSmallIntegerField(
        _("MAPPA level"), choices=MappaLevel.choices, null=True, blank=True
    )
    register_reference = models.CharField(_("register reference"), max_length=40, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    orders_complete = models.BooleanField(
        _("every order recorded with its prohibitions or requirements"), default=True
    )

    class Meta:
        verbose_name = _("nominal record as it was")
        verbose_name_plural = _("nominal records as they were")
        ordering = ["nominal", "valid_from", "id"]
        indexes = [
            models.Index(fields=["nominal", "valid_from"], name="nominalstate_from_idx"),
            models.Index(fields=["valid_from", "valid_to"], name="nominalstate_span_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"],
                condition=Q(valid_to__isnull=True),
                name="nominalstate_one_current",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="nominalstate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status} from {self.valid_from:%Y-%m-%d}"


def orders_without_terms(nominal_ref=None) -> QuerySet:
    """The SHPOs, SROs and notification orders (of the nominal `nominal_ref`, default the
    outer Nominal row) recorded with neither prohibitions nor requirements."""
    from vigil.offenders.choices import OrderKind
    from vigil.offenders.models import Order

    return Order.objects.filter(
        nominal_id=nominal_ref if nominal_ref is not None else OuterRef("pk"),
        kind__in=[OrderKind.SHPO, OrderKind.SRO, OrderKind.NOTIFICATION_ORDER],
    ).exclude(Q(prohibitions__regex=r"\S") | Q(requirements__regex=r"\S"))


def orders_complete_expression() -> ExpressionWrapper:
    """True on a Nominal row when it has no order recorded without its terms."""
    return ExpressionWrapper(~Q(Exists(orders_without_terms())), output_field=BooleanField())


def _values(nominal_id: int) -> dict | None:
    """The kept values as the database holds them now (one query), or None when the
    nominal is not there."""
    from vigil.offenders.models import Nominal

    row = (
        Nominal.objects.filter(pk=nominal_id)
        .annotate(orders_complete=orders_complete_expression())
        .values(*NOMINAL_FIELDS, *(f"person__{f}" for f in PERSON_FIELDS), *DERIVED_FIELDS)
        .first()
    )
    if row is None:
        return None
    return {k.removeprefix("person__"): v for k, v in row.items()}


def state_record(nominal, *, at: dt.datetime | None = None) -> NominalState | None:
    """Keep the nominal's values as now in force: read them from the database (so call
    it after the nominal, or its person, is saved, inside the service's transaction); if
    they differ from the row in force, end it at `at` (default now) and open a new one.
    Returns the new row, or None when nothing changed.

    A change recorded with a moment earlier than the row in force (a replayed story)
    ends that row where it began, never before."""
    at = at or clock.now()
    nominal_id = getattr(nominal, "pk", nominal)
    values = _values(nominal_id)
    if values is None:
        return None
    current = (
        NominalState.objects.select_for_update()
        .filter(nominal_id=nominal_id, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if all(getattr(current, f) == v for f, v in values.items()):
            return None
        at = max(at, current.valid_from)
        current.valid_to = at
        current.save(update_fields=["valid_to"])
    return NominalState.objects.create(nominal_id=nominal_id, valid_from=at, **values)


def state_record_person(person, *, at: dt.datetime | None = None) -> NominalState | None:
    """The person's record changed (register reference, date of birth): keep the values
    of their nominal, if they are one."""
    from vigil.offenders.models import Nominal

    nominal_id = Nominal.objects.filter(person_id=person.pk).values_list("pk", flat=True).first()
    if nominal_id is None:
        return None
    return state_record(nominal_id, at=at)


# What a NULL reads as when the row in force is compared with the current values (SQL's
# NULL never equals NULL).
_NULL_AS = {
    "offender_manager_id": 0,
    "mappa_category": 0,
    "mappa_level": 0,
    "date_of_birth": dt.date(1, 1, 1),
}


def current_mismatches() -> QuerySet:
    """The nominals whose row in force now differs from their current values, or that
    have none: what `vigil offenders check-history` reports (one query, in the database;
    empty when every service kept the history)."""
    from vigil.offenders.models import Nominal

    inner, conditions = {}, {}
    for f in (*NOMINAL_FIELDS, *PERSON_FIELDS, *DERIVED_FIELDS):
        path = f if f in NOMINAL_FIELDS else f"person__{f}"
        if f in DERIVED_FIELDS:
            path = f"_{f}_now"
        if f in _NULL_AS:
            inner[f"_{f}"] = Coalesce(F(f), Value(_NULL_AS[f]))
            conditions[f"_{f}"] = Coalesce(OuterRef(path), Value(_NULL_AS[f]))
        else:
            conditions[f] = OuterRef(path)
    same = (
        NominalState.objects.filter(nominal_id=OuterRef("pk"), valid_to__isnull=True)
        .annotate(**inner)
        .filter(**conditions)
    )
    return Nominal.objects.annotate(_orders_complete_now=orders_complete_expression()).exclude(
        Exists(same)
    )


def in_force_at(moment: dt.datetime) -> QuerySet[NominalState]:
    """The rows in force at `moment`: one per nominal recorded by then."""
    return NominalState.objects.filter(valid_from__lte=moment).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=moment)
    )


def state_q(moment: dt.datetime, prefix: str = "", **values) -> Q:
    """A condition on Nominal rows (or on rows reaching a nominal by `prefix`, e.g.
    "nominal__"): in force at `moment`, the nominal's record had these values (lookups
    allowed, e.g. status="active", risk_level__in=[...])."""
    return Q(Exists(in_force_at(moment).filter(nominal_id=OuterRef(f"{prefix}pk"), **values)))


def value_at(moment: dt.datetime, field: str, prefix: str = "") -> Subquery:
    """The value of `field` (a NominalState field or path, e.g. "team__force_id") in force
    at `moment`, as an expression on Nominal rows (or rows reaching a nominal by `prefix`):
    NULL when the nominal was not yet recorded then."""
    return Subquery(
        in_force_at(moment).filter(nominal_id=OuterRef(f"{prefix}pk")).values(field)[:1]
    )


def nominals_at(moment: dt.datetime, **values) -> QuerySet:
    """The nominals recorded by `moment` whose record then had these values (lookups
    allowed), each with the team and force that managed it then (`team_then`,
    `force_then_id`): a figure as of a past date counts a nominal where it was managed
    then, not where it is now."""
    from vigil.offenders.models import Nominal

    return Nominal.objects.filter(state_q(moment, **values)).annotate(
        team_then=value_at(moment, "team_id"),
        force_then_id=value_at(moment, "team__force_id"),
    )
