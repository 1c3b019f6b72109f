"""Effective-dated history of the values the evidence reads from a nominal's record.

A nominal's status and management mode, risk level, managing team and offender manager,
MAPPA category and level, and the person's register reference and date of birth (the
fields the completeness rules of point H read) change over the years. Every change is
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
from django.db.models import Exists, OuterRef, Q, QuerySet
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


def _values(nominal) -> dict:
    values = {f: getattr(nominal, f) for f in NOMINAL_FIELDS}
    person = nominal.person
    values.update({f: getattr(person, f) for f in PERSON_FIELDS})
    return values


def state_record(nominal, *, at: dt.datetime | None = None) -> NominalState | None:
    """Keep the nominal's values as now in force: if they differ from the current row,
    end it at `at` (default now) and open a new one. Call inside the service's
    transaction, after the nominal (or its person) is saved. Returns the new row, or None
    when nothing changed."""
    at = at or clock.now()
    values = _values(nominal)
    current = (
        NominalState.objects.select_for_update()
        .filter(nominal_id=nominal.pk, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if all(getattr(current, f) == v for f, v in values.items()):
            return None
        current.valid_to = max(at, current.valid_from)
        current.save(update_fields=["valid_to"])
    return NominalState.objects.create(nominal_id=nominal.pk, valid_from=at, **values)


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
