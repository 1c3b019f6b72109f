"""Home, language switch, policies and error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vigil.accounts import access
from vigil.core import selectors, services
from vigil.core.calendar import start_of_day
from vigil.core.decorators import signed_in
from vigil.core.exceptions import VigilError
from vigil.core.forms import PolicyOverrideForm, add_service_errors


@signed_in
def home(request):
    """Send each user to where their work starts (see `landing_url_name`)."""
    from vigil.core.context_processors import landing_url_name

    return redirect(landing_url_name(request.user))


@require_GET
def set_language(request, code: str):
    """Switch the interface language (a preference, so a plain link works; no form needed)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if request.user.is_authenticated and request.user.language != code:
        # Remembered for the user too: e-mails and notifications follow it.
        from vigil.accounts.services import user_set_language

        user_set_language(user=request.user, language=code)
    return language_cookie(HttpResponseRedirect(next_url), code)


def language_cookie(response, code: str):
    """Set the interface language cookie on `response`."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@signed_in
def policy_list(request):
    return render(request, "core/policy_list.html", {"rows": selectors.policy_table()})


@signed_in
def policy_detail(request, key: str):
    row = selectors.policy_row(key)
    if row is None:
        raise Http404
    can_change = access.is_admin(request.user)
    form = PolicyOverrideForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            day = form.cleaned_data["effective_from"]
            try:
                services.policy_override_create(
                    actor=request.user,
                    key=key,
                    value=form.cleaned_data["value"],
                    effective_from=None if day is None else start_of_day(day),
                    reason=form.cleaned_data["reason"],
                )
            except VigilError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The policy has been changed."))
                return redirect(reverse("core:policy-detail", args=[key]))
    return render(
        request,
        "core/policy_detail.html",
        {
            "row": row,
            "history": selectors.policy_history(key),
            "form": form,
            "can_change": can_change,
        },
    )


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", {"demo_mode": settings.DEMO_MODE}, status=500)
