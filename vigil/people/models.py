"""Persons Vigil holds records about: suspects, nominals and the children linked to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel
from vigil.people.choices import ChildRelationship, Gender, IdentifierKind, Language


class Person(BaseModel):
    """A person with a record in Vigil. Owned by a team, which sets who may see it;
    a restricted person is visible only to the users named on the restriction."""

    force = models.ForeignKey(
        "accounts.Force", on_delete=models.PROTECT, related_name="people", verbose_name=_("force")
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("owning team"),
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    pnc_id = models.CharField(_("PNC ID"), max_length=20, blank=True)
    register_reference = models.CharField(
        _("register (ViSOR) reference"), max_length=30, blank=True
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    # Lower-cased copies for the duplicate check and search (set by the service).
    search_name = models.CharField(max_length=210, db_index=True, editable=False, default="")
    is_restricted = models.BooleanField(_("restricted (need to know)"), default=False)
    restriction_reason = models.TextField(_("reason for restriction"), blank=True)
    restricted_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="restricted_people",
        verbose_name=_("visible to"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(
                fields=["family_name", "given_name", "date_of_birth"], name="person_name_dob_idx"
            ),
            models.Index(fields=["pnc_id"], name="person_pnc_idx"),
            models.Index(fields=["register_reference"], name="person_register_ref_idx"),
            models.Index(fields=["team", "family_name"], name="person_team_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class RemovableQuerySet(models.QuerySet):
    def current(self):
        """Rows not removed."""
        return self.filter(removed_at__isnull=True)

    def removed(self):
        return self.filter(removed_at__isnull=False)


class Removable(models.Model):
    """A row that is never deleted: removing it records when, by whom and why, and the
    record then shows it only among the removed (the history stays)."""

    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    objects = RemovableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


def _removal_complete(name: str) -> models.CheckConstraint:
    """A removed row has its reason and who removed it; a current row has neither."""
    return models.CheckConstraint(
        condition=models.Q(removed_at__isnull=True, removed_by__isnull=True, removal_reason="")
        | (
            models.Q(removed_at__isnull=False, removed_by__isnull=False)
            & ~models.Q(removal_reason="")
        ),
        name=name,
    )


class Alias(Removable, BaseModel):
    """Another name a person is known by (while not removed)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    # Lower-cased, space-collapsed full name for the duplicate check (set by the service).
    search_name = models.CharField(max_length=210, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["family_name", "given_name"]
        constraints = [_removal_complete("alias_removal_complete")]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Address(BaseModel):
    """Where a person lives or lived, with the dates."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("person")
    )
    line1 = models.CharField(_("address line 1"), max_length=200)
    line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=10)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="address_to_not_before_from",
            ),
            # At most one current address (no end date) per person.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(valid_to__isnull=True),
                name="address_one_current_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line1}, {self.town} {self.postcode}"


class OnlineIdentifier(Removable, BaseModel):
    """A username, e-mail address, phone number, IP address or device linked to a person
    (while not removed)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=300)
    normalised = models.CharField(max_length=300, db_index=True, editable=False)
    platform = models.CharField(_("platform"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("online identifier")
        verbose_name_plural = _("online identifiers")
        ordering = ["kind", "value"]
        constraints = [
            # Once removed, the same identifier may be linked again.
            models.UniqueConstraint(
                fields=["person", "kind", "normalised"],
                condition=models.Q(removed_at__isnull=True),
                name="identifier_unique_per_person",
            ),
            _removal_complete("identifier_removal_complete"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ChildLink(BaseModel):
    """A child linked to a person: living in the household or having access. A link that
    ends keeps its row, with the end date (valid_to)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="children", verbose_name=_("person")
    )
    child_name = models.CharField(_("child's name or description"), max_length=200)
    date_of_birth = models.DateField(_("child's date of birth"), null=True, blank=True)
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=ChildRelationship.choices
    )
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked child")
        verbose_name_plural = _("linked children")
        ordering = ["child_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="child_link_to_not_before_from",
            )
        ]

    def __str__(self) -> str:
        return self.child_name
