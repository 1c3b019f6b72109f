"""Recording an enforcement decision."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES, Rank
from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.policy_registry import policy_value
from vigil.investigations import forms, lifecycle, services
from vigil.investigations.choices import BailStage
from vigil.investigations.views.common import _posted, _work_page


@_work_page
def investigation_decide(request, investigation):
    kinds = lifecycle.decisions_allowed(investigation.state)
    can_override = access.is_supervisor(request.user) and services.reaches_investigation(
        request.user, investigation, SUPERVISORY_ROLES
    )
    form = forms.DecisionForm(_posted(request), kinds=kinds, can_override=can_override)
    if request.method == "POST" and form.is_valid():
        try:
            services.enforcement_decision_record(
                actor=request.user, investigation=investigation, **form.service_kwargs()
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("investigations:detail", uuid=investigation.uuid)
    level = int(policy_value("investigations.rui_authorising_rank"))
    return render(
        request,
        "investigations/decide.html",
        {
            "investigation": investigation,
            "form": form,
            "rui_rank": services.rank_label(level),
            "window_days": policy_value("investigations.reassessment_before_enforcement_days"),
            "bail_rank": str(Rank(services.bail_stage_rank(BailStage.INITIAL)).label).lower(),
        },
    )
