"""Idle session expiry and the mandatory second factor."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

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
    """A signed-in user who has not given the second factor reaches only the sign-in pages.

    API requests are left to the API's own authentication, which refuses unverified
    sessions itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.VIGIL_REQUIRE_SECOND_FACTOR
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
            and not request.path.startswith("/api/")
        ):
            return redirect("accounts:two-factor")
        return self.get_response(request)


def session_is_fully_signed_in(request) -> bool:
    """Signed in, and past the second factor where it is required."""
    user = request.user
    if not user.is_authenticated:
        return False
    return (not settings.VIGIL_REQUIRE_SECOND_FACTOR) or user.is_verified()
