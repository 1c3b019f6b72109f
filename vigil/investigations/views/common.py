"""What the investigation pages share: the role decorators, loading the investigation in
the URL through the scoped selector (audited; missing or out of scope is 404), and the
checks for pages that work or supervise it.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES
from vigil.core.decorators import role_required, signed_in
from vigil.core.exceptions import NotFound
from vigil.investigations import selectors, services

casework_only = role_required(*CASEWORK_ROLES, admin_ok=False)


supervisors_only = role_required(*SUPERVISORY_ROLES, admin_ok=False)


def investigation_page(action: str = "view"):
    """Load the investigation in the URL through the scoped selector (audited): missing
    or out of scope → 404."""

    def decorator(view):
        @signed_in
        @wraps(view)
        def wrapper(request, uuid, *args, **kwargs):
            try:
                investigation = selectors.get_investigation_for_user(request.user, uuid, action)
            except NotFound:
                raise Http404 from None
            return view(request, investigation, *args, **kwargs)

        return wrapper

    return decorator


def _posted(request):
    """The submitted data on POST (even when empty, so that an empty form shows its
    errors), None on GET."""
    return request.POST if request.method == "POST" else None


def _can_work(user, investigation) -> bool:
    return access.has_role(user, *services.WORK_ROLES) and services.reaches_investigation(
        user, investigation, services.WORK_ROLES
    )


def _work_page(view):
    """A form page that works the investigation: officers, supervisors and managers of the
    owning or allocated team (others who can see it get 403)."""

    @investigation_page("edit")
    @wraps(view)
    def wrapper(request, investigation, *args, **kwargs):
        if not _can_work(request.user, investigation):
            raise DjangoPermissionDenied
        return view(request, investigation, *args, **kwargs)

    return wrapper


def _supervise_page(view):
    @investigation_page("edit")
    @wraps(view)
    def wrapper(request, investigation, *args, **kwargs):
        if not selectors.can_supervise(request.user, investigation):
            raise DjangoPermissionDenied
        return view(request, investigation, *args, **kwargs)

    return wrapper
