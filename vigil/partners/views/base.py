"""What every partnership page shares: who may open them at all."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from vigil.core.exceptions import NotFound
from vigil.partners import selectors


def partner(view):
    """Signed in, and a police officer, supervisor or manager, or a probation
    practitioner of a region; anyone else gets 404, as for a page that does not exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.can_use(request.user):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper
