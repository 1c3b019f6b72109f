"""Writes owned by accounts: users, memberships, sign-in attempts, second factor, tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil import audit
from vigil.accounts import access
from vigil.accounts.models import ApiToken, Force, Membership, Team, User
from vigil.core import clock
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value

TOKEN_PREFIX_LENGTH = 8


@transaction.atomic
def force_create(*, actor, code: str, name: str, name_cy: str = "") -> Force:
    _require_admin(actor)
    force = Force.objects.create(code=code, name=name, name_cy=name_cy)
    audit.record(actor, "force.create", force, changes={"code": code, "name": name})
    return force


@transaction.atomic
def team_create(*, actor, force: Force, name: str, kind: str, name_cy: str = "") -> Team:
    _require_admin(actor)
    if Team.objects.filter(force=force, name__iexact=name.strip()).exists():
        raise ValidationFailed(_("The force already has a team with this name"), field="name")
    name = name.strip()
    team = Team.objects.create(force=force, name=name, kind=kind, name_cy=name_cy)
    audit.record(actor, "team.create", team, changes={"name": name, "kind": kind})
    return team


@transaction.atomic
def user_create(
    *,
    actor,
    email: str,
    full_name: str,
    password: str | None,
    rank: str,
    collar_number: str = "",
    language: str = "en",
    validate: bool = True,
) -> User:
    """Create a user. The password is checked against the password rules unless the
    caller is the synthetic generator (validate=False), which sets known demo passwords."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationFailed(_("A user with this e-mail address already exists"), field="email")
    user = User(
        email=email, full_name=full_name, rank=rank, collar_number=collar_number, language=language
    )
    if password is not None and validate:
        try:
            validate_password(password, user)
        except DjangoValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    audit.record(actor, "user.create", user, changes={"email": email, "rank": rank})
    return user


@transaction.atomic
def membership_add(*, actor, user: User, team: Team, role: str, scope: str = "team") -> Membership:
    membership, _created = Membership.objects.get_or_create(
        user=user, team=team, role=role, defaults={"scope": scope}
    )
    if membership.scope != scope:
        membership.scope = scope
        membership.save(update_fields=["scope", "updated_at"])
    audit.record(
        actor,
        "membership.add",
        user,
        changes={"team": str(team.uuid), "role": role, "scope": scope},
    )
    return membership


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > clock.now()


@transaction.atomic
def sign_in_failed(*, user: User, stage: str) -> None:
    """Count a failed password or code; lock the account at the policy limit."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.failed_sign_in_count += 1
    fields = ["failed_sign_in_count"]
    changes = {"stage": stage, "failures": user.failed_sign_in_count}
    if user.failed_sign_in_count >= int(policy_value("accounts.lockout_attempts")):
        user.locked_until = clock.now() + dt.timedelta(
            minutes=int(policy_value("accounts.lockout_minutes"))
        )
        user.failed_sign_in_count = 0
        fields.append("locked_until")
        changes["locked_until"] = user.locked_until.isoformat()
    user.save(update_fields=fields)
    audit.record(
        None, "auth.locked" if "locked_until" in changes else "auth.failed", user, changes=changes
    )


@transaction.atomic
def sign_in_succeeded(*, user: User, stage: str) -> None:
    User.objects.filter(pk=user.pk).update(failed_sign_in_count=0, locked_until=None)
    audit.record(
        user,
        "auth.sign_in" if stage == "complete" else "auth.password_ok",
        user,
        changes={"stage": stage},
    )


@transaction.atomic
def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device to enrol (made once, so the QR code stays the same)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Vigil", confirmed=False)
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment if the code is right; audited either way."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit.record(user, "auth.second_factor_enrolled", user)
    return True


@transaction.atomic
def totp_reset(*, actor, user: User, reason: str) -> None:
    """An administrator clears a user's second factor (lost phone); they enrol again."""
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can reset a second factor."))
    if not reason.strip():
        raise ValidationFailed(_("Enter the reason for the reset"), field="reason")
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor, "auth.second_factor_reset", user, reason=reason)


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the token and the key, shown once and never stored."""
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can create API tokens."))
    if not name.strip():
        raise ValidationFailed(
            _("Enter a name that says which system will use the token"), field="name"
        )
    prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    key = f"vgl_{prefix}_{secret}"
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=prefix, key_hash=_hash_key(key), created_by=actor
    )
    audit.record(actor, "api_token.create", token, changes={"user": user.email, "name": token.name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can revoke API tokens."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor, "api_token.revoke", token)
    return token


def api_token_authenticate(key: str) -> User | None:
    """The active user a presented key belongs to, or None. Compares hashes in constant time."""
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "vgl":
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.key_hash, _hash_key(key)):
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _require_admin(actor) -> None:
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can manage users and teams."))


@transaction.atomic
def user_create_by_admin(
    *,
    actor,
    email: str,
    full_name: str,
    password: str,
    rank: str,
    team: Team,
    role: str,
    scope: str = "team",
    collar_number: str = "",
) -> User:
    """An administrator creates a user with a first membership and a temporary password;
    the user enrols the second factor at first sign-in."""
    _require_admin(actor)
    errors = []
    if not full_name.strip():
        errors.append(("full_name", _("Enter the user's full name")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    user = user_create(
        actor=actor,
        email=email,
        full_name=full_name.strip(),
        password=password,
        rank=rank,
        collar_number=collar_number.strip(),
    )
    membership_add(actor=actor, user=user, team=team, role=role, scope=scope)
    return user


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    _require_admin(actor)
    if membership.user_id == actor.pk and membership.role == "admin":
        raise ValidationFailed(
            _("You cannot remove your own administrator role. Ask another administrator.")
        )
    audit.record(
        actor,
        "membership.remove",
        membership.user,
        changes={
            "team": str(membership.team.uuid),
            "role": membership.role,
            "scope": membership.scope,
        },
    )
    membership.delete()


@transaction.atomic
def membership_add_by_admin(*, actor, user: User, team: Team, role: str, scope: str) -> Membership:
    _require_admin(actor)
    return membership_add(actor=actor, user=user, team=team, role=role, scope=scope)


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool, reason: str) -> User:
    """Deactivate (leaver, suspension) or reactivate a user. Records are never deleted."""
    _require_admin(actor)
    if user.pk == actor.pk and not active:
        raise ValidationFailed(_("You cannot deactivate your own account."))
    if not reason.strip():
        raise ValidationFailed(_("Enter the reason"), field="reason")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor, "user.activate" if active else "user.deactivate", user, reason=reason.strip()
        )
    return user


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    _require_admin(actor)
    User.objects.filter(pk=user.pk).update(failed_sign_in_count=0, locked_until=None)
    audit.record(actor, "user.unlock", user)
    user.refresh_from_db()
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    """The user's own choice of language (English or Welsh) for pages, e-mails and
    notifications. A preference, not a change to anyone's record: not audited."""
    if language not in {"en", "cy"}:
        raise ValidationFailed(_("Choose English or Welsh"), field="language")
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
