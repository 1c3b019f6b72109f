"""Reassessing an investigation's risk."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.instruments import engine
from vigil.instruments.forms import assessment_form_class
from vigil.investigations import forms, services
from vigil.investigations.views.common import _posted, _work_page


@_work_page
def investigation_reassess(request, investigation):
    definition = engine.registry().find(services.INSTRUMENT, None)
    form_class = assessment_form_class(definition, translation.get_language())
    trigger_form = forms.ReassessmentTriggerForm(_posted(request))
    form = form_class(_posted(request))
    if request.method == "POST":
        trigger_ok = trigger_form.is_valid()
        if form.is_valid() and trigger_ok:
            try:
                services.investigation_reassess(
                    actor=request.user,
                    investigation=investigation,
                    trigger=trigger_form.cleaned_data["trigger"],
                    **{
                        k: v
                        for k, v in form.service_kwargs().items()
                        if k in {"answers", "override_band", "override_rationale", "version"}
                    },
                )
            except VigilError as exc:
                if exc.field == "trigger":
                    add_service_errors(trigger_form, exc)
                else:
                    form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("The risk has been reassessed: %(band)s.")
                    % {"band": investigation.get_risk_band_display()},
                )
                return redirect("investigations:detail", uuid=investigation.uuid)
    error_list = [(f"id_{name}", e) for name, errors in trigger_form.errors.items() for e in errors]
    return render(
        request,
        "investigations/reassess.html",
        {
            "investigation": investigation,
            "form": form,
            "trigger_form": trigger_form,
            "error_list": error_list,
        },
    )
