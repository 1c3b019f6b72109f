"""Writes owned by accounts: users, memberships, sign-in attempts, second factor, tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil import audit
from vigil.accounts import access, selectors
from vigil.accounts.models import ApiToken, Force, Membership, Team, User
from vigil.audit.services import diff
from vigil.core import clock
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed, VigilError
from vigil.core.policy_registry import policy_value

TOKEN_PREFIX_LENGTH = 8
FORCE_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The notification a user gets when an API token is made for their account.
API_TOKEN_CREATED = "api_token_created"


@transaction.atomic
def force_create(*, actor, code: str, name: str, name_cy: str = "") -> Force:
    """The system administrator adds a force (on a fresh installation, the first thing
    they do); its administrators then add its teams and users."""
    _require_system_admin(actor)
    code, name, name_cy = code.strip().lower(), name.strip(), name_cy.strip()
    errors = []
    if not code:
        errors.append(("code", _("Enter the force's code")))
    elif len(code) > 40 or not FORCE_CODE.fullmatch(code):
        errors.append(
            (
                "code",
                _(
                    "Enter a code of up to 40 lower-case letters, numbers and hyphens, like dyfed-powys"
                ),
            )
        )
    elif Force.objects.filter(code=code).exists():
        errors.append(("code", _("There is already a force with this code")))
    if not name:
        errors.append(("name", _("Enter the force's name")))
    elif Force.objects.filter(name__iexact=name).exists():
        errors.append(("name", _("There is already a force with this name")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    force = Force.objects.create(code=code, name=name, name_cy=name_cy)
    audit.record(
        actor, "force.create", force, changes={"code": code, "name": name, "name_cy": name_cy}
    )
    return force


@transaction.atomic
def team_create(*, actor, force: Force, name: str, kind: str, name_cy: str = "") -> Team:
    """An administrator adds a team to their own force (the system administrator, to any)."""
    _require_admin(actor)
    _require_force_in_reach(actor, force)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Enter the team's name"), field="name")
    if Team.objects.filter(force=force, name__iexact=name).exists():
        raise ValidationFailed(_("The force already has a team with this name"), field="name")
    team = Team.objects.create(force=force, name=name, kind=kind, name_cy=name_cy.strip())
    audit.record(
        actor,
        "team.create",
        team,
        changes={"force": force.code, "name": name, "name_cy": team.name_cy, "kind": kind},
    )
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
    must_change_password: bool = False,
) -> User:
    """Create a user. The password is checked against the password rules unless the
    caller is the synthetic generator (validate=False), which sets known demo passwords.
    `must_change_password` makes the user choose their own password at first sign-in."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationFailed(_("A user with this e-mail address already exists"), field="email")
    user = User(
        email=email,
        full_name=full_name,
        rank=rank,
        collar_number=collar_number,
        language=language,
        must_change_password=must_change_password,
    )
    if password is not None and validate:
        _validate_password(password, user, field="password")
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
def sign_in_failed(*, user: User, stage: str) -> bool:
    """Count a failed password, second-factor code or current password (on the change
    page) toward the lock-out; lock the account at the policy limit. Returns whether the
    account is now locked."""
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
    locked = "locked_until" in changes
    audit.record(None, "auth.locked" if locked else "auth.failed", user, changes=changes)
    return locked


ADDRESS_WINDOW_SECONDS = 15 * 60


def _address_key(address: str) -> str:
    return f"vigil:sign-in-failures:{address}"


def address_throttled(address: str) -> bool:
    """Whether failed sign-ins from this network address have reached the policy limit
    in the last 15 minutes (counted in the cache: per process with the default cache)."""
    from django.core.cache import cache

    limit = int(policy_value("accounts.sign_in_attempts_per_address"))
    return bool(address) and cache.get(_address_key(address), 0) >= limit


def address_failed(address: str) -> None:
    """Count a failed sign-in from this network address (a window of 15 minutes from
    the first failure)."""
    from django.core.cache import cache

    if not address:
        return
    key = _address_key(address)
    if not cache.add(key, 1, ADDRESS_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, ADDRESS_WINDOW_SECONDS)


@transaction.atomic
def sign_in_refused_throttled(*, address: str, email: str) -> None:
    """A sign-in refused because its network address has failed too often: recorded."""
    audit.record(None, "auth.throttled", None, changes={"address": address, "email": email[:254]})


@transaction.atomic
def sign_in_failed_unknown(*, email: str, address: str) -> None:
    """A password given for an e-mail address no account has: recorded (the page says
    no more than for a wrong password)."""
    audit.record(
        None,
        "auth.failed",
        None,
        changes={"stage": "unknown_account", "email": email[:254], "address": address},
    )


@transaction.atomic
def sign_in_refused_locked(*, user: User) -> None:
    """A sign-in to a locked account: refused (the page says no more than for a wrong
    password) and recorded, without counting toward a further lock."""
    audit.record(
        None,
        "auth.failed",
        user,
        changes={"stage": "locked", "locked_until": user.locked_until.isoformat()},
    )


@transaction.atomic
def sign_in_succeeded(*, user: User, stage: str) -> None:
    """A right password ("password") or a completed sign-in ("complete": the second factor
    given, or the password in demo mode). Only a completed sign-in clears the failures, so
    that wrong codes after a right password still count toward the lock-out."""
    if stage == "complete":
        User.objects.filter(pk=user.pk).update(failed_sign_in_count=0, locked_until=None)
    audit.record(
        user,
        "auth.sign_in" if stage == "complete" else "auth.password_ok",
        user,
        changes={"stage": stage},
    )


def password_change(*, user: User, current_password: str, new_password: str) -> User:
    """A signed-in user changes their own password. A wrong current password counts toward
    the lock-out (someone at an unattended session must not be able to guess it). The
    caller keeps the current session (`update_session_auth_hash`); the user's other
    sessions end, since their sign-in no longer matches the password."""
    if not user.check_password(current_password or ""):
        sign_in_failed(user=user, stage="password_change")
        raise ValidationFailed(_("Your current password is not right"), field="current_password")
    if new_password == current_password:
        raise ValidationFailed(
            _("Enter a new password that is different from your current one"),
            field="new_password",
        )
    _validate_password(new_password, user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password", "updated_at"])
        audit.record(user, "auth.password_change", user)
    return user


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


class AccountLocked(PermissionDenied):
    """The password re-entered was wrong once too often: the account is now locked."""

    code = "account_locked"


class TokenExpired(VigilError):
    """An API token past its expiry (401, its own code so that a system can say why)."""

    code = "token_expired"
    status = 401


class TokenThrottled(VigilError):
    """An API token over its requests a minute (policy)."""

    code = "too_many_requests"
    status = 429


def reauthenticate(*, user: User, password: str) -> None:
    """Re-authentication before a sensitive change (ASVS 2.2 / 3.7.1: creating an API
    token, resetting another user's second factor): the actor's own password again. A
    wrong one counts toward the lock-out as at sign-in (recorded as `auth.failed`, stage
    "reauthenticate"); at the limit the account is locked (AccountLocked)."""
    if password and user.check_password(password):
        return
    if sign_in_failed(user=user, stage="reauthenticate"):
        raise AccountLocked(
            _("This account is locked after too many failed attempts. Try again later.")
        )
    raise ValidationFailed(_("The password is not right"), field="password")


@transaction.atomic
def totp_reset(*, actor, user: User, reason: str) -> None:
    """An administrator clears a user's second factor (lost phone); they enrol again."""
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can reset a second factor."))
    _require_user_in_reach(actor, user)
    _require_only_in_reach(actor, user)
    if not reason.strip():
        raise ValidationFailed(_("Enter the reason for the reset"), field="reason")
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor, "auth.second_factor_reset", user, reason=reason.strip())


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user` (a user the administrator administers); returns the token
    and the key, shown once and never stored. The user is told in Vigil (and by e-mail)
    that a token now acts as them."""
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can create API tokens."))
    _require_user_in_reach(actor, user)
    if not user.is_active:
        raise ValidationFailed(
            _("The account is deactivated: a token for it could not be used"), field="user"
        )
    if not name.strip():
        raise ValidationFailed(
            _("Enter a name that says which system will use the token"), field="name"
        )
    prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    key = f"vgl_{prefix}_{secret}"
    days = int(policy_value("accounts.api_token_days"))
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        key_hash=_hash_key(key),
        created_by=actor,
        expires_at=clock.now() + dt.timedelta(days=days),
    )
    audit.record(
        actor,
        "api_token.create",
        token,
        changes={
            "user": user.email,
            "name": token.name,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    from vigil.duties.services import notify

    notify(
        user=user,
        duty=None,
        message_key=API_TOKEN_CREATED,
        params={"name": token.name, "prefix": token.prefix, "created_by": actor.full_name},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can revoke API tokens."))
    _require_user_in_reach(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor, "api_token.revoke", token)
    return token


# The last-used time is written at most once a minute per token, so that a busy system
# does not write a row on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def _token_over_rate(token: ApiToken, limit: int, now: dt.datetime) -> bool:
    """Count this request in the token's current minute; whether it is over `limit`.
    Counted in Django's cache (per process with the default cache, exact with a shared
    one, as for sign-in failures)."""
    from django.core.cache import cache

    key = f"vigil:api-token-rate:{token.pk}:{int(now.timestamp() // 60)}"
    if cache.add(key, 1, 120):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between the two calls
        cache.add(key, 1, 120)
        return False


def api_token_authenticate(key: str) -> User | None:
    """The active user a presented key belongs to, or None. Compares hashes in constant
    time. A token past its expiry is refused with TokenExpired (401 token_expired), one
    over its requests a minute with TokenThrottled (429); its last-used time is kept to
    the minute."""
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
    if token.expires_at <= now:
        raise TokenExpired(
            _("This API token expired on %(date)s. Ask an administrator for a new one.")
            % {"date": timezone.localtime(token.expires_at).strftime("%Y-%m-%d")}
        )
    limit = int(policy_value("accounts.api_token_requests_per_minute"))
    if _token_over_rate(token, limit, now):
        raise TokenThrottled(
            _(
                "This API token has made more than %(limit)s requests in a minute. Wait a moment and try again."
            )
            % {"limit": limit}
        )
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- administration: who may do what to whom -------------------------------------------


def _require_admin(actor) -> None:
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can manage users and teams."))


def _require_system_admin(actor) -> None:
    if not access.is_system_admin(actor):
        raise PermissionDenied(_("Only the system administrator can add forces."))


def _require_force_in_reach(actor, force: Force) -> None:
    force_ids = access.admin_force_ids(actor)
    if force_ids is not None and force.pk not in force_ids:
        raise NotFound(_("There is no force with that code."))


def _require_team_in_reach(actor, team: Team) -> None:
    force_ids = access.admin_force_ids(actor)
    if force_ids is not None and team.force_id not in force_ids:
        raise NotFound(_("There is no team with that id."))


def _require_user_in_reach(actor, user: User) -> None:
    """Another force's user (or the system administrator, for a force's administrator)
    is "not found", as on the pages."""
    if not selectors.user_in_reach(actor=actor, user=user):
        raise NotFound(_("There is no user with that id."))


def _require_only_in_reach(actor, user: User) -> None:
    if not selectors.user_only_in_reach(actor=actor, user=user):
        raise PermissionDenied(
            _("This user also works in another force. Ask the system administrator to do this.")
        )


def _require_not_self(actor, user: User, message) -> None:
    if user.pk == actor.pk:
        raise ValidationFailed(message)


def _validate_password(password: str, user: User, *, field: str) -> None:
    """Django's password rules (length, not common, not all digits, not like the user's
    details); their messages are in Vigil's catalogue (password_messages.py)."""
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field=field) from exc


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
    """An administrator creates a user with a first membership (in a team of their own
    force) and a temporary password; the user enrols the second factor at first sign-in
    and then chooses their own password."""
    _require_admin(actor)
    _require_team_in_reach(actor, team)
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
        must_change_password=True,
    )
    membership_add(actor=actor, user=user, team=team, role=role, scope=scope)
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user: User,
    full_name: str | None = None,
    email: str | None = None,
    collar_number: str | None = None,
    rank: str | None = None,
) -> User:
    """An administrator corrects a user's name, e-mail address, collar number or rank
    (None leaves a field as it is). Audited with the values before and after; nothing is
    written when nothing changes. Nobody changes their own rank: it sets what they may
    authorise."""
    from vigil.accounts.choices import Rank

    _require_admin(actor)
    _require_user_in_reach(actor, user)
    before = {
        "full_name": user.full_name,
        "email": user.email,
        "collar_number": user.collar_number,
        "rank": user.rank,
    }
    after = dict(before)
    if full_name is not None:
        after["full_name"] = full_name.strip()
    if email is not None:
        after["email"] = email.strip().lower()
    if collar_number is not None:
        after["collar_number"] = collar_number.strip()
    if rank is not None:
        after["rank"] = rank
    errors = []
    if not after["full_name"]:
        errors.append(("full_name", _("Enter the user's full name")))
    if not after["email"]:
        errors.append(("email", _("Enter the user's e-mail address")))
    elif (
        after["email"] != before["email"]
        and User.objects.filter(email=after["email"]).exclude(pk=user.pk).exists()
    ):
        errors.append(("email", _("A user with this e-mail address already exists")))
    if len(after["collar_number"]) > 20:
        errors.append(
            ("collar_number", _("Enter a collar or staff number of 20 characters or fewer"))
        )
    if after["rank"] not in Rank.values:
        errors.append(("rank", _("Select the rank or grade")))
    elif after["rank"] != before["rank"] and user.pk == actor.pk:
        errors.append(("rank", _("You cannot change your own rank. Ask another administrator.")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    changes = diff(before, after)
    if not changes:
        return user
    for field, value in after.items():
        setattr(user, field, value)
    user.save(update_fields=[*after, "updated_at"])
    audit.record(actor, "user.update", user, changes=changes)
    return user


@transaction.atomic
def user_set_temporary_password(*, actor, user: User, password: str) -> User:
    """An administrator sets a temporary password (a forgotten password): the user must
    choose their own at their next sign-in, and their sessions end now. Audited without
    the password."""
    _require_admin(actor)
    _require_user_in_reach(actor, user)
    _require_not_self(
        actor,
        user,
        _("To change your own password, use Change your password."),
    )
    _require_only_in_reach(actor, user)
    _validate_password(password, user, field="password")
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password", "updated_at"])
    audit.record(actor, "user.password_reset", user)
    return user


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """An administrator removes a role. Nobody changes their own roles; a force's
    administrator does not remove a user's last role (they would lose sight of the
    account: deactivate it instead)."""
    _require_admin(actor)
    _require_team_in_reach(actor, membership.team)
    _require_user_in_reach(actor, membership.user)
    _require_not_self(
        actor,
        membership.user,
        _("You cannot change your own roles. Ask another administrator."),
    )
    if (
        not access.is_system_admin(actor)
        and not Membership.objects.filter(user_id=membership.user_id)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationFailed(
            _(
                "This is the user's only role. Add their new role first, or deactivate the account if they have left."
            )
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
    """An administrator gives a user of their force a role in a team of their force; never
    to themselves."""
    _require_admin(actor)
    _require_user_in_reach(actor, user)
    _require_team_in_reach(actor, team)
    _require_not_self(
        actor, user, _("You cannot change your own roles. Ask another administrator.")
    )
    return membership_add(actor=actor, user=user, team=team, role=role, scope=scope)


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool, reason: str) -> User:
    """Deactivate (leaver, suspension) or reactivate a user. Records are never deleted."""
    _require_admin(actor)
    _require_user_in_reach(actor, user)
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
    _require_user_in_reach(actor, user)
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
