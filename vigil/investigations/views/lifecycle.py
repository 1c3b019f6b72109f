"""The investigation list, an investigation with its timeline, and moving it to another
state.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.investigations import forms, lifecycle, selectors, services
from vigil.investigations.choices import OPEN_STATES
from vigil.investigations.views.common import (
    _can_work,
    _posted,
    _work_page,
    casework_only,
    investigation_page,
)


@casework_only
def investigation_list(request):
    form = forms.ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort.lstrip("-") not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    page_obj = paginate(
        request,
        selectors.investigation_list(
            user=request.user,
            state=filters.get("state", ""),
            band=filters.get("band", ""),
            mine=filters.get("mine", False),
            external=filters.get("external", False),
            sort=sort,
        ),
    )
    return render(
        request,
        "investigations/list.html",
        {
            "page_obj": page_obj,
            "form": form,
            "sort": sort,
            "filtered": bool(filters and any(filters.values())),
            "restricted_hidden": selectors.restricted_hidden(request.user),
        },
    )


@investigation_page()
def investigation_detail(request, investigation):
    history = selectors.investigation_history(investigation)
    return render(
        request,
        "investigations/detail.html",
        {
            "investigation": investigation,
            "can_work": _can_work(request.user, investigation),
            "can_supervise": selectors.can_supervise(request.user, investigation),
            "is_open": investigation.state in OPEN_STATES,
            **history,
        },
    )


@_work_page
def investigation_move(request, investigation):
    form = forms.TransitionForm(_posted(request), moves=lifecycle.manual_moves(investigation.state))
    if request.method == "POST" and form.is_valid():
        try:
            services.investigation_transition(
                actor=request.user,
                investigation=investigation,
                to_state=form.cleaned_data["to_state"],
                note=form.cleaned_data["note"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The investigation is now: %(state)s.")
                % {"state": investigation.get_state_display()},
            )
            return redirect("investigations:detail", uuid=investigation.uuid)
    return render(
        request, "investigations/move.html", {"investigation": investigation, "form": form}
    )
