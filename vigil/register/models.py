"""Register (ViSOR) extracts, their rows, and the discrepancies reconciliation finds
between the register and Vigil's nominals (inspectorate point I). Every row is written by
a service in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.register.choices import (
    DiscrepancyKind,
    DiscrepancyStatus,
    ExtractFormat,
    ExtractStatus,
    MatchKind,
    Resolution,
)

USER = settings.AUTH_USER_MODEL


class Extract(BaseModel):
    """One imported register extract file, known by its SHA-256 hash (the same file twice
    changes nothing). Its rows are checked and stored on receipt; reconciliation then runs
    in steps (`rows_done` is the progress) until `status` is complete. The forces it covers
    are the managing forces its rows name."""

    file_hash = models.CharField(_("file hash (SHA-256)"), max_length=64, unique=True)
    filename = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10, choices=ExtractFormat.choices)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=ExtractStatus.choices,
        default=ExtractStatus.RECONCILING,
    )
    row_count = models.PositiveIntegerField(_("rows"))
    rows_done = models.PositiveIntegerField(_("rows reconciled"), default=0)
    # The highest RegisterRow id reconciled so far (each step claims the next chunk).
    cursor = models.BigIntegerField(default=0, editable=False)
    matched_by_reference = models.PositiveIntegerField(_("matched by reference"), default=0)
    matched_by_name = models.PositiveIntegerField(_("matched by name and date of birth"), default=0)
    not_in_vigil = models.PositiveIntegerField(_("on the register but not in Vigil"), default=0)
    not_on_register = models.PositiveIntegerField(_("in Vigil but not on the register"), default=0)
    fields_differing = models.PositiveIntegerField(_("fields that differ"), default=0)
    opened_count = models.PositiveIntegerField(_("discrepancies opened"), default=0)
    closed_count = models.PositiveIntegerField(_("discrepancies closed as agreed"), default=0)
    imported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    forces = models.ManyToManyField(
        "accounts.Force",
        through="ExtractForce",
        related_name="register_extracts",
        verbose_name=_("forces covered"),
    )
    completed_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register extract")
        verbose_name_plural = _("register extracts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "completed_at"], name="extract_status_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.row_count} rows)"

    @property
    def percent_done(self) -> int:
        if self.status == ExtractStatus.COMPLETE:
            return 100
        if not self.row_count:
            return 99
        # The last step (nominals not on the register, closing) is the final 1%.
        return min(99, self.rows_done * 99 // self.row_count)


class ExtractForce(models.Model):
    """A force an extract covers, with the number of its rows naming that force."""

    extract = models.ForeignKey(
        Extract, on_delete=models.CASCADE, related_name="force_links", verbose_name=_("extract")
    )
    force = models.ForeignKey(
        "accounts.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("force covered by an extract")
        verbose_name_plural = _("forces covered by extracts")
        constraints = [
            models.UniqueConstraint(fields=["extract", "force"], name="extract_force_unique")
        ]

    def __str__(self) -> str:
        return f"{self.force_id} in {self.extract_id}"


class RegisterRow(models.Model):
    """One nominal as the register holds it, from one extract, with the Vigil nominal it
    was matched to (if any) and how. A bulk table (70,000 rows a national extract): never
    addressed by URL, so it has no public id; read only through discrepancies."""

    id = models.BigAutoField(primary_key=True)
    extract = models.ForeignKey(
        Extract, on_delete=models.CASCADE, related_name="rows", verbose_name=_("extract")
    )
    line = models.PositiveIntegerField(_("line"))
    register_reference = models.CharField(_("register reference"), max_length=30)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    address_line1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    mappa_category = models.PositiveSmallIntegerField(_("MAPPA category"), null=True, blank=True)
    mappa_level = models.PositiveSmallIntegerField(_("MAPPA level"), null=True, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, blank=True)
    force = models.ForeignKey(
        "accounts.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )
    managing_officer = models.CharField(_("managing officer"), max_length=200, blank=True)
    notification_start = models.DateField(_("notification start"), null=True, blank=True)
    notification_end = models.DateField(_("notification end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10)
    nominal = models.ForeignKey(
        "offenders.Nominal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matched nominal"),
    )
    match = models.CharField(_("matched by"), max_length=10, choices=MatchKind.choices, blank=True)

    class Meta:
        verbose_name = _("register row")
        verbose_name_plural = _("register rows")
        ordering = ["extract", "id"]
        indexes = [
            models.Index(fields=["extract", "register_reference"], name="regrow_extract_ref_idx"),
            models.Index(fields=["extract", "nominal"], name="regrow_extract_nominal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.register_reference} (line {self.line})"


class Discrepancy(BaseModel):
    """A difference between the register and Vigil: a register row with no nominal, an
    active nominal with no register row, or one field that differs (both values kept).

    `key` names what the discrepancy is about (kind, nominal or reference, field) so that
    a later extract finding the same thing keeps this row open, and one that no longer
    finds it closes it as agreed. `opened_at`/`closed_at` give the state at any past date.
    """

    force = models.ForeignKey(
        "accounts.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("managing team"),
    )
    nominal = models.ForeignKey(
        "offenders.Nominal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register_discrepancies",
        verbose_name=_("nominal"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DiscrepancyKind.choices)
    field = models.CharField(_("field"), max_length=30, blank=True)
    key = models.CharField(max_length=120, editable=False)
    register_reference = models.CharField(_("register reference"), max_length=30, blank=True)
    match = models.CharField(_("matched by"), max_length=10, choices=MatchKind.choices, blank=True)
    register_value = models.CharField(_("on the register"), max_length=400, blank=True)
    vigil_value = models.CharField(_("in Vigil"), max_length=400, blank=True)
    # For a register row with no nominal: the row's name, date of birth and details.
    register_details = models.JSONField(_("register details"), default=dict, blank=True)
    found_in = models.ForeignKey(
        Extract, on_delete=models.PROTECT, related_name="+", verbose_name=_("found in extract")
    )
    last_seen_in = models.ForeignKey(
        Extract, on_delete=models.PROTECT, related_name="+", verbose_name=_("last seen in extract")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DiscrepancyStatus.choices,
        default=DiscrepancyStatus.PENDING,
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    assignee = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register_discrepancies",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=30, choices=Resolution.choices, blank=True
    )
    resolution_note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_by_extract = models.ForeignKey(
        Extract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by extract"),
    )

    class Meta:
        verbose_name = _("register discrepancy")
        verbose_name_plural = _("register discrepancies")
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(fields=["force", "status", "kind"], name="discrepancy_force_idx"),
            models.Index(fields=["team", "status"], name="discrepancy_team_idx"),
            models.Index(fields=["nominal", "opened_at"], name="discrepancy_nominal_idx"),
            models.Index(fields=["force", "key"], name="discrepancy_key_idx"),
        ]
        constraints = [
            # One live discrepancy per thing per force (a second reconciliation step
            # running at once cannot make a duplicate).
            models.UniqueConstraint(
                fields=["force", "key"],
                condition=Q(status__in=["pending", "open"]),
                name="discrepancy_one_live_per_key",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="discrepancy_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(kind="field_differs") | ~Q(field=""),
                name="discrepancy_field_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.register_reference} {self.field}".strip()

    @property
    def field_label(self) -> str:
        from vigil.register.choices import Field

        return str(Field(self.field).label) if self.field in Field.values else self.field

    @property
    def is_open(self) -> bool:
        return self.status == DiscrepancyStatus.OPEN
