"""Users, forces, teams and memberships (role, scope) and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.accounts.choices import RANK_LEVEL, Rank, Role, Scope, TeamKind
from vigil.core.models import BaseModel


class Force(BaseModel):
    """A police force (Vigil may hold several for a regional or national deployment)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("force")
        verbose_name_plural = _("forces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def localised_name(self) -> str:
        """The name in the language of the page (Welsh when there is a Welsh name)."""
        from django.utils.translation import get_language

        if self.name_cy and (get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name


class Team(BaseModel):
    """A unit in a force: a POLIT or MOSOVO team, or any other unit work may go to."""

    force = models.ForeignKey(
        Force, on_delete=models.PROTECT, related_name="teams", verbose_name=_("force")
    )
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["force__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="team_unique_name_in_force")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def localised_name(self) -> str:
        """The name in the language of the page (Welsh when there is a Welsh name)."""
        from django.utils.translation import get_language

        if self.name_cy and (get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("Users must have an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, BaseModel):
    """A person who signs in to Vigil, identified by e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    collar_number = models.CharField(_("collar or staff number"), max_length=20, blank=True)
    rank = models.CharField(
        _("rank or grade"), max_length=30, choices=Rank.choices, default=Rank.CONSTABLE
    )
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("en", _("English")), ("cy", _("Welsh"))],
        default="en",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the Django admin"), default=False)
    failed_sign_in_count = models.PositiveIntegerField(_("failed sign-in attempts"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    # Set when an administrator sets the password (a new user, or a reset): the user must
    # choose their own at their next sign-in before they can do anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def rank_level(self) -> int:
        return RANK_LEVEL.get(self.rank, 0)


class Membership(BaseModel):
    """A user's role in a team, and how far that role reaches (the team or the force)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("team")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.TEAM)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "role"], name="membership_unique_role_in_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.team}"


class ApiToken(BaseModel):
    """A bearer token for another force system, tied to a user; only its hash is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=200)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # Set at creation from the policy (accounts.api_token_days); an expired token is
    # refused with its own error (token_expired).
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
