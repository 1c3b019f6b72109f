"""Idle session expiry, the mandatory second factor and the forced password change."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from vigil.core.policy_registry import policy_value

LAST_SEEN_KEY = "vigil_last_seen"

# Paths a signed-in user who has not yet given the second factor may still reach.
_OPEN_PREFIXES = (
    "/account/sign-in/",
    "/account/two-factor/",
    "/account/sign-out/",
    "/static/",
    "/language/",
    "/health",
)
# ... and, once past the second factor, a user who must change their password.
_PASSWORD_OPEN_PREFIXES = (*_OPEN_PREFIXES, "/account/password/")
_PASSWORD_OPEN_API = ("/api/v1/accounts/password",)


class IdleTimeoutMiddleware:
    """Signs the user out after the policy's idle time (accounts.session_idle_minutes).

    The last-seen time is written at most once a minute, so most requests do not save the
    session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            idle_limit = int(policy_value("accounts.session_idle_minutes")) * 60
            if last_seen is not None and now - int(last_seen) > idle_limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                response = redirect_to_login(request.get_full_path())
                return response
            if last_seen is None or now - int(last_seen) >= 60:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A signed-in user who has not given the second factor reaches only the sign-in pages;
    then a user whose password an administrator set reaches only the page to change it.

    API requests are left to the API's own authentication, which refuses unverified
    sessions itself; a session that must change its password may call only the API's
    password change (a bearer token is not a session and is not affected).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        path = request.path
        if not session_is_fully_signed_in(request):
            if not path.startswith(_OPEN_PREFIXES) and not path.startswith("/api/"):
                return redirect("accounts:two-factor")
        elif user.must_change_password:
            if path.startswith("/api/"):
                if not path.startswith(_PASSWORD_OPEN_API) and not request.headers.get(
                    "Authorization"
                ):
                    return _password_change_required_response()
            elif not path.startswith(_PASSWORD_OPEN_PREFIXES):
                url = reverse("accounts:password-change")
                if request.method == "GET" and path != "/":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
        return self.get_response(request)


def _password_change_required_response():
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    from vigil.core.api import error_body

    return JsonResponse(
        error_body(
            "password_change_required",
            _("Change your password before you do anything else: an administrator set it."),
        ),
        status=403,
    )


def session_is_fully_signed_in(request) -> bool:
    """Signed in, and past the second factor where it is required."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not settings.VIGIL_REQUIRE_SECOND_FACTOR:
        return True
    # OTPMiddleware gives the user is_verified; a request that did not pass through it
    # (an error page rendered outside the middleware) is not verified.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())
