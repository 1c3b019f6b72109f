"""Oversight of work allocated outside the owning team (point C): allocating, recording
an oversight review, and the oversight board.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.core import clock
from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.investigations import forms, selectors, services
from vigil.investigations.views.common import _posted, _supervise_page, supervisors_only


@_supervise_page
def investigation_allocate(request, investigation):
    teams = selectors.allocation_teams(investigation)
    officers = selectors.allocation_officers(investigation)
    form = forms.AllocateForm(
        _posted(request),
        teams=teams,
        officers=officers,
        initial={
            "team": investigation.allocated_team_id,
            "officer": investigation.allocated_officer_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.investigation_allocate(
                actor=request.user,
                investigation=investigation,
                team=form.cleaned_data["team"],
                officer=form.cleaned_data["officer"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The investigation is allocated to %(team)s.")
                % {"team": investigation.allocated_team.name},
            )
            return redirect("investigations:detail", uuid=investigation.uuid)
    return render(
        request, "investigations/allocate.html", {"investigation": investigation, "form": form}
    )


@_supervise_page
def oversight_review(request, investigation):
    form = forms.OversightReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.oversight_review_record(
                actor=request.user,
                investigation=investigation,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The oversight review has been recorded."))
            return redirect("investigations:detail", uuid=investigation.uuid)
    return render(
        request,
        "investigations/oversight_review.html",
        {"investigation": investigation, "form": form},
    )


@supervisors_only
def board(request):
    overdue = request.GET.get("overdue") == "1"
    page_obj = paginate(request, selectors.oversight_board(user=request.user, overdue_only=overdue))
    latest = selectors.last_review_outcomes(page_obj.object_list)
    rows = [(i, latest.get(i.pk)) for i in page_obj.object_list]
    return render(
        request,
        "investigations/board.html",
        {"page_obj": page_obj, "rows": rows, "overdue": overdue, "now": clock.now()},
    )
