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
    force = Force.objects.create(code=code, name=name, name_cy=name_cy)
    audit.record(actor, "force.create", force, changes={"code": code, "name": name})
    return force


@transaction.atomic
def team_create(*, actor, force: Force, name: str, kind: str, name_cy: str = "") -> Team:
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
