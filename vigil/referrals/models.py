"""POLIT referrals: what arrives (mostly from the NCA), its risk assessment and priority,
and where it is allocated."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.duties.choices import RiskLevel
from vigil.people.choices import IdentifierKind
from vigil.referrals.choices import ChildStatus, Source, Status, SuspectAge


class Referral(BaseModel):
    """A referral received by a force's POLIT team.

    Point A's metrics are exact queries on it: received in the period; assessed and graded
    (graded_at) before allocation (allocated_at); actioned (actioned_at) by its target
    (target_at, fixed from the priority and the policy in force when it was graded).
    """

    force = models.ForeignKey(
        "accounts.Force",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("force"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("receiving team"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_reference = models.CharField(_("source reference"), max_length=80, blank=True)
    received_at = models.DateTimeField(_("received at"))
    summary = models.TextField(_("summary"))
    suspect = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("suspect"),
    )
    suspect_age = models.CharField(
        _("suspect is"), max_length=10, choices=SuspectAge.choices, default=SuspectAge.UNKNOWN
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.AWAITING_ASSESSMENT
    )
    linked_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_referrals",
        verbose_name=_("linked to referral"),
    )
    # When it was linked (at receipt, or later by referral_link): assurance point A reads
    # "not linked to an earlier referral" as it was at a past moment.
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    # A suspect on the sex offender register: flagged, and their managing team told.
    suspect_is_rso = models.BooleanField(_("suspect is a registered sex offender"), default=False)
    rso_notice_acknowledged_at = models.DateTimeField(
        _("offender manager acknowledged at"), null=True, blank=True
    )
    rso_notice_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offender manager acknowledged by"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # Assessment and grading.
    assessment = models.ForeignKey(
        "instruments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risk assessment"),
    )
    risk_band = models.CharField(
        _("risk band"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    child_in_household = models.BooleanField(
        _("child in the household or with access"), default=False
    )
    position_of_trust = models.BooleanField(_("suspect in a position of trust"), default=False)
    live_or_contact_abuse = models.BooleanField(
        _("indication of live or contact abuse"), default=False
    )
    derived_priority = models.CharField(
        _("priority from the grading rules"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    priority = models.CharField(_("priority"), max_length=10, choices=RiskLevel.choices, blank=True)
    priority_override_rationale = models.TextField(
        _("reason for overriding the priority"), blank=True
    )
    grading_needs_sign_off = models.BooleanField(
        _("grading needs supervisor sign-off"), default=False
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    grading_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grading signed off by"),
    )
    grading_signed_off_at = models.DateTimeField(_("grading signed off at"), null=True, blank=True)
    target_at = models.DateTimeField(_("action target"), null=True, blank=True)
    # Allocation and action.
    allocated_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_referrals",
        verbose_name=_("allocated to team"),
    )
    allocated_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_referrals",
        verbose_name=_("allocated to officer"),
    )
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)
    actioned_at = models.DateTimeField(_("first action at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_reason = models.TextField(_("reason for closing"), blank=True)
    import_line = models.PositiveIntegerField(_("line in the import file"), null=True, blank=True)
    import_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("imported in"),
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "source_reference"],
                condition=Q(source="nca_ceop") & ~Q(source_reference=""),
                name="referral_unique_nca_reference",
            ),
            models.CheckConstraint(
                condition=Q(priority_override_rationale="") | ~Q(priority=""),
                name="referral_override_has_priority",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status", "received_at"], name="referral_queue_idx"),
            models.Index(fields=["force", "received_at"], name="referral_received_idx"),
            # Assurance reads the referrals of a period across forces and teams.
            models.Index(fields=["received_at"], name="referral_received_at_idx"),
            models.Index(fields=["source_reference"], name="referral_source_ref_idx"),
            models.Index(
                fields=["team", "target_at"],
                condition=Q(actioned_at__isnull=True),
                name="referral_open_target_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.source_reference or f"{self.get_source_display()} {self.received_at:%Y-%m-%d}"


class ReferralIdentifier(BaseModel):
    """An online identifier given in the referral (kept as received, and normalised for matching)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("referral")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=300)
    normalised = models.CharField(max_length=300, db_index=True, editable=False)
    platform = models.CharField(_("platform"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("referral identifier")
        verbose_name_plural = _("referral identifiers")
        ordering = ["kind", "value"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class ReferralChild(BaseModel):
    """A child identified, or believed to be at risk, in the referral."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="children", verbose_name=_("referral")
    )
    status = models.CharField(_("status"), max_length=20, choices=ChildStatus.choices)
    description = models.CharField(_("name or description"), max_length=300)
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)

    class Meta:
        verbose_name = _("child in a referral")
        verbose_name_plural = _("children in referrals")
        ordering = ["status", "description"]

    def __str__(self) -> str:
        return self.description


class MaterialItem(BaseModel):
    """Metadata of material received with a referral. Never the material itself: Vigil holds
    no images or files of abuse material."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="material", verbose_name=_("referral")
    )
    description = models.CharField(_("description"), max_length=300)
    item_count = models.PositiveIntegerField(_("number of items"), default=1)
    category = models.CharField(_("category (as graded by the sender)"), max_length=40, blank=True)
    held_at = models.CharField(_("where the material is held"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("material item")
        verbose_name_plural = _("material items")
        ordering = ["description"]

    def __str__(self) -> str:
        return self.description


class ImportBatch(BaseModel):
    """A bulk intake file: kept with its hash so that importing the same file twice is a no-op."""

    file_hash = models.CharField(_("file hash (SHA-256)"), max_length=64, unique=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("receiving team"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    rows = models.PositiveIntegerField(_("rows"))
    created_count = models.PositiveIntegerField(_("referrals created"))
    skipped_count = models.PositiveIntegerField(_("rows already held"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        verbose_name = _("referral import")
        verbose_name_plural = _("referral imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows} rows)"
