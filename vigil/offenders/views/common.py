"""What the offender-management pages share: the role decorators, loading a record through
its scoped selector (404 for missing and forbidden alike), and rendering a page of the
nominal's record with its side navigation.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES
from vigil.core.decorators import role_required
from vigil.core.exceptions import NotFound
from vigil.offenders import selectors

casework = role_required(*CASEWORK_ROLES, admin_ok=False)


supervisors = role_required(*SUPERVISORY_ROLES, admin_ok=False)


def _sections():
    return [
        ("detail", _("Summary")),
        ("notification", _("Notification")),
        ("orders", _("Orders")),
        ("risk", _("Risk (ARMS)")),
        ("plan", _("Risk management plan")),
        ("visits", _("Home visits")),
        ("pnd", _("PND checks")),
        ("management", _("Management mode")),
        ("reviews", _("Supervisor reviews")),
        ("intelligence", _("Intelligence")),
        ("timeline", _("Timeline")),
    ]


def _load(getter):
    """Decorator: load the object named by `uuid` with `getter(user, uuid)`; 404 if not."""

    def decorator(view):
        @casework
        @wraps(view)
        def wrapper(request, uuid, *args, **kwargs):
            try:
                obj = getter(request.user, uuid)
            except NotFound:
                raise Http404 from None
            return view(request, obj, *args, **kwargs)

        return wrapper

    return decorator


nominal_page = _load(selectors.get_nominal_for_user)


def _nominal_render(request, nominal, section, template, context=None, status=200):
    ctx = {
        "nominal": nominal,
        "person": nominal.person,
        "sections": [
            {
                "key": k,
                "label": label,
                "href": reverse(f"offenders:{k}", args=[nominal.uuid]),
                "active": k == section,
            }
            for k, label in _sections()
        ],
        "section": section,
        "supervises": selectors.can_supervise(request.user, nominal),
    }
    ctx.update(context or {})
    return render(request, template, ctx, status=status)


def _form_page(request, nominal, section, form, title, *, submit=None, status=200):
    return _nominal_render(
        request,
        nominal,
        section,
        "offenders/nominal_form.html",
        {"form": form, "title": title, "submit": submit or _("Save")},
        status=status,
    )
