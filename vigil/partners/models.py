"""The probation partnership (inspectorate point T): probation regions, the service level
agreement with each (in versions, each with its response times), the requests exchanged
under it both ways, and the periodic reviews of the agreement. Every row is written by a
service in services/.

A region's practitioners are the users with a probation-partner membership of the
region's team (a team of kind "other" in the force, made with the region): the ordinary
membership machinery, so sign-in, deactivation and the duty ledger work unchanged.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.partners.choices import Direction, Rating, RequestKind, RequestState, TimeUnit

USER = settings.AUTH_USER_MODEL


class ProbationRegion(BaseModel):
    """A Probation Service region working with a force (Wales, say), with the team its
    practitioners are members of."""

    force = models.ForeignKey(
        "accounts.Force",
        on_delete=models.PROTECT,
        related_name="probation_regions",
        verbose_name=_("force"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    team = models.OneToOneField(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="probation_region",
        verbose_name=_("practitioners' team"),
    )

    class Meta:
        verbose_name = _("probation region")
        verbose_name_plural = _("probation regions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="probation_region_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def localised_name(self) -> str:
        if self.name_cy and (get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name


class Agreement(BaseModel):
    """The service level agreement between a force and a probation region: its owners on
    each side (the top of the escalation of a late request), when it started, and its
    versions of terms."""

    force = models.ForeignKey(
        "accounts.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )
    region = models.OneToOneField(
        ProbationRegion,
        on_delete=models.PROTECT,
        related_name="agreement",
        verbose_name=_("probation region"),
    )
    police_owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("police owner")
    )
    probation_owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("probation owner")
    )
    started_on = models.DateField(_("started on"))

    class Meta:
        verbose_name = _("service level agreement")
        verbose_name_plural = _("service level agreements")
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.force_id} / {self.region}"


class AgreementVersion(BaseModel):
    """The agreement's terms from a date until the next version. A request keeps the
    version it was raised under."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="versions", verbose_name=_("agreement")
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    notes = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-effective_from", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_unique"
            ),
            models.UniqueConstraint(
                fields=["agreement", "effective_from"], name="agreement_version_from_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number} from {self.effective_from:%Y-%m-%d}"


class ResponseTime(models.Model):
    """One term of a version: how soon a request of a kind, in a direction, is answered
    (and how soon when urgent)."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="terms", verbose_name=_("version")
    )
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    direction = models.CharField(_("direction"), max_length=15, choices=Direction.choices)
    amount = models.PositiveSmallIntegerField(_("response time"))
    unit = models.CharField(_("unit"), max_length=15, choices=TimeUnit.choices)
    urgent_amount = models.PositiveSmallIntegerField(_("urgent response time"))
    urgent_unit = models.CharField(_("urgent unit"), max_length=15, choices=TimeUnit.choices)

    class Meta:
        verbose_name = _("response time")
        verbose_name_plural = _("response times")
        ordering = ["version", "direction", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "direction"], name="response_time_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=1) & Q(urgent_amount__gte=1),
                name="response_time_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.direction}: {self.amount} {self.unit}"


class Request(BaseModel):
    """A request from one side to the other about a nominal, answered against the time the
    agreement version in force when it was raised gave it (`due_at`, fixed then).

    `answered_at` is when it was responded to or declined (the SLA is met when that is by
    `due_at`); each step keeps its own time and who took it."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="requests", verbose_name=_("agreement")
    )
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("agreement version"),
    )
    direction = models.CharField(_("direction"), max_length=15, choices=Direction.choices)
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    nominal = models.ForeignKey(
        "offenders.Nominal",
        on_delete=models.PROTECT,
        related_name="partner_requests",
        verbose_name=_("nominal"),
    )
    # The police team the request is with: the nominal's managing team when it was raised.
    police_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("police team")
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    details = models.TextField(_("what is asked"))
    state = models.CharField(
        _("state"), max_length=15, choices=RequestState.choices, default=RequestState.RAISED
    )
    raised_at = models.DateTimeField(_("raised at"))
    raised_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    due_at = models.DateTimeField(_("due"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    response = models.TextField(_("response"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, null=True, blank=True
    )
    feedback = models.TextField(_("feedback"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner request")
        verbose_name_plural = _("partner requests")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["agreement", "direction", "due_at"], name="preq_sla_due_idx"),
            models.Index(fields=["police_team", "state"], name="preq_team_state_idx"),
            models.Index(fields=["nominal", "raised_at"], name="preq_nominal_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["raised", "acknowledged"], answered_at__isnull=True)
                | Q(state__in=["responded", "declined"], answered_at__isnull=False),
                name="preq_answered_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="preq_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in (RequestState.RAISED, RequestState.ACKNOWLEDGED)

    @property
    def within_sla(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.is_open and self.due_at < now

    @property
    def responding_side(self) -> str:
        """Which side answers: "probation" or "police"."""
        return "probation" if self.direction == Direction.TO_PROBATION else "police"


class Review(BaseModel):
    """A periodic review of the agreement: the period's figures (read from the requests
    when the page shows it), what each side said, and the actions agreed."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("agreement")
    )
    held_on = models.DateField(_("held on"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    police_notes = models.TextField(_("police notes"), blank=True)
    probation_notes = models.TextField(_("probation notes"), blank=True)
    actions = models.TextField(_("actions agreed"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("agreement review")
        verbose_name_plural = _("agreement reviews")
        ordering = ["agreement", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="partner_review_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"review {self.held_on:%Y-%m-%d}"
