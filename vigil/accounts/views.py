"""Sign-in (password, then the second factor), sign-out, changing your own password and
API tokens."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts import selectors, services
from vigil.accounts.choices import Role
from vigil.accounts.forms import ApiTokenForm, CodeForm, PasswordChangeForm, SignInForm
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.decorators import role_required, signed_in
from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.policy_registry import policy_value

NEXT_KEY = "vigil_next"


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return "/"


def _sign_in_refused() -> str:
    """One message for an unknown address, a wrong password and a locked account alike, so
    that the page never tells anyone which addresses have accounts."""
    return _(
        "The e-mail address or password is not right, or the account is locked after too many failed attempts. Check them and try again later, or ask an administrator."
    )


def sign_in(request):
    """Step 1: e-mail address and password. Every refusal gets the same message; a locked
    account is refused even with the right password (and the attempt recorded)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignInForm(request.POST or None)
    address = request.META.get("REMOTE_ADDR", "")
    if request.method == "POST" and services.address_throttled(address):
        services.sign_in_refused_throttled(address=address, email=request.POST.get("email", ""))
        form.is_valid()  # bound, so that the refusal can be added to it
        form.add_error(
            None,
            _(
                "There have been too many failed sign-ins from your network address. "
                "Wait %(minutes)s minutes and try again, or ask an administrator."
            )
            % {"minutes": services.ADDRESS_WINDOW_SECONDS // 60},
        )
        return render(request, "accounts/sign_in.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        candidate = User.objects.filter(email=email).first()
        # The password is checked even for a locked account, so that the answer takes as
        # long whatever the account's state.
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if candidate is not None and services.is_locked(candidate):
            services.address_failed(address)
            services.sign_in_refused_locked(user=candidate)
            form.add_error(None, _sign_in_refused())
        elif user is None:
            services.address_failed(address)
            if candidate is not None:
                services.sign_in_failed(user=candidate, stage="password")
            else:
                services.sign_in_failed_unknown(email=email, address=address)
            form.add_error(None, _sign_in_refused())
        else:
            login(request, user)
            request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
            if settings.VIGIL_REQUIRE_SECOND_FACTOR:
                services.sign_in_succeeded(user=user, stage="password")
                return redirect("accounts:two-factor")
            services.sign_in_succeeded(user=user, stage="complete")
            return _signed_in(request, user)
    return render(request, "accounts/sign_in.html", {"form": form})


def _locked_out(request):
    """End the half-made sign-in of an account that is now locked."""
    logout(request)
    messages.error(
        request, _("This account is locked after too many failed attempts. Try again later.")
    )
    return redirect("accounts:sign-in")


def two_factor(request):
    """Step 2: the code from the authenticator app, or enrolment by QR code the first time.
    Wrong codes count toward the same lock-out as wrong passwords; the count is cleared
    only when the code is right."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:sign-in")
    if not settings.VIGIL_REQUIRE_SECOND_FACTOR or user.is_verified():
        return redirect(request.session.pop(NEXT_KEY, "/"))
    if services.is_locked(user):
        return _locked_out(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = services.totp_device_for_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        ok = (
            services.totp_enrol_confirm(user=user, device=device, token=code)
            if enrolling
            else device.verify_token(code)
        )
        if ok:
            otp_login(request, device)
            # Fully signed in is a new privilege: a new session key, so that a key seen
            # before the second factor was given is worth nothing after it.
            request.session.cycle_key()
            services.sign_in_succeeded(user=user, stage="complete")
            return _signed_in(request, user)
        if services.sign_in_failed(user=user, stage="second_factor"):
            return _locked_out(request)
        form.add_error("code", _("The code is not right. Enter the code your app shows now."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        image = qrcode.make(
            device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10
        )
        context["qr_svg"] = mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - generated SVG
        context["secret"] = _base32_secret(device)
    return render(request, "accounts/two_factor.html", context)


def _signed_in(request, user):
    """Where a completed sign-in lands, in the language the user chose last time."""
    from vigil.core.views import language_cookie

    return language_cookie(redirect(request.session.pop(NEXT_KEY, "/")), user.language)


def _base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        from vigil import audit

        audit.record(request.user, "auth.sign_out", request.user)
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("accounts:sign-in")


@signed_in
def password_change(request):
    """Any signed-in user changes their own password; a user whose password an
    administrator set is sent here before anything else (see the middleware)."""
    user = request.user
    forced = user.must_change_password
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except VigilError as exc:
            user.refresh_from_db(fields=["locked_until"])
            if services.is_locked(user):
                return _locked_out(request)
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(
                request,
                _("Your password has been changed. You are signed out everywhere else."),
            )
            return redirect(_safe_next(request, request.GET.get("next")))
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


@role_required(Role.ADMIN)
def token_list(request):
    form = ApiTokenForm(request.POST or None, actor=request.user)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            # Re-authentication (ASVS 2.2.x / 3.7.1): the password again before a token
            # is made; a wrong one counts toward the lock-out, as on the password change
            # page.
            services.reauthenticate(user=request.user, password=form.cleaned_data["password"])
            _token, new_key = services.api_token_create(
                actor=request.user, user=form.cleaned_data["user"], name=form.cleaned_data["name"]
            )
        except services.AccountLocked:
            return _locked_out(request)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm(actor=request.user)
    tokens = selectors.token_list(actor=request.user)
    return render(
        request,
        "accounts/token_list.html",
        {
            "form": form,
            "tokens": tokens,
            "new_key": new_key,
            "now": clock.now(),
            "token_days": int(policy_value("accounts.api_token_days")),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def token_revoke(request, token_uuid):
    token = selectors.get_token(actor=request.user, token_uuid=token_uuid)
    if token is None:
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token has been revoked. Systems using it can no longer connect.")
    )
    return redirect("accounts:tokens")
