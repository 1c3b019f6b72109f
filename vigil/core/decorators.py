"""View decorators for role checks (scope and need-to-know are checked by selectors)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from vigil.accounts import access


def role_required(*roles: str, admin_ok: bool = True):
    """Signed-out users go to sign-in; signed-in users without one of `roles` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if access.has_role(user, *roles) or (admin_ok and access.is_admin(user)):
                return view(request, *args, **kwargs)
            raise PermissionDenied

        return wrapper

    return decorator


def signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
