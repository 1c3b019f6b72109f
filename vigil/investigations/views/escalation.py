"""The central escalation log (point C) and one entry of it."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.investigations import forms, selectors, services
from vigil.investigations.views.common import _posted, supervisors_only


@supervisors_only
def escalation_log(request):
    form = forms.EscalationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page_obj = paginate(
        request,
        selectors.escalation_list(
            user=request.user, status=filters.get("status", ""), trigger=filters.get("trigger", "")
        ),
    )
    return render(
        request,
        "investigations/escalation_log.html",
        {
            "page_obj": page_obj,
            "form": form,
            "counts": selectors.escalation_counts(user=request.user),
        },
    )


def escalation_page(view):
    @supervisors_only
    @wraps(view)
    def wrapper(request, uuid, *args, **kwargs):
        try:
            entry = selectors.get_escalation_for_user(request.user, uuid)
        except NotFound:
            raise Http404 from None
        return view(request, entry, *args, **kwargs)

    return wrapper


@escalation_page
def escalation_detail(request, entry):
    form = forms.EscalationResolveForm(_posted(request))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                services.escalation_acknowledge(actor=request.user, entry=entry)
                messages.success(request, _("You have acknowledged the escalation."))
                return redirect("investigations:escalation", uuid=entry.uuid)
            if form.is_valid():
                services.escalation_resolve(
                    actor=request.user, entry=entry, outcome=form.cleaned_data["outcome"]
                )
                messages.success(request, _("The escalation has been resolved."))
                return redirect("investigations:escalation", uuid=entry.uuid)
        except VigilError as exc:
            add_service_errors(form, exc)
    return render(request, "investigations/escalation.html", {"entry": entry, "form": form})
