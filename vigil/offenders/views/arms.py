"""Risk (ARMS) pages: the nominal's assessments and recording a new one."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.instruments import engine
from vigil.instruments.forms import assessment_form_class
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _nominal_render, nominal_page


@nominal_page
def risk(request, nominal):
    return _nominal_render(
        request, nominal, "risk", "offenders/risk.html", {"arms_list": selectors.arms_for(nominal)}
    )


@nominal_page
def arms_new(request, nominal):
    definition = engine.registry().find(services.ARMS_INSTRUMENT, None)
    AssessmentForm = assessment_form_class(definition, translation.get_language())
    form = AssessmentForm(request.POST or None)
    tool_form = forms.StaticToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and tool_form.is_valid():
        kwargs = form.service_kwargs()
        try:
            services.arms_record(
                actor=request.user,
                nominal=nominal,
                answers=kwargs["answers"],
                formulation=kwargs["formulation"],
                judgement_level=kwargs["judgement_level"],
                **tool_form.cleaned_data,
            )
        except VigilError as exc:
            add_service_errors(tool_form, exc)
        else:
            messages.success(
                request, _("The ARMS assessment has been recorded and sent for supervisor review.")
            )
            return redirect("offenders:risk", nominal.uuid)
    return _nominal_render(
        request, nominal, "risk", "offenders/arms_form.html", {"form": form, "tool_form": tool_form}
    )
