"""Intelligence pages: a nominal's intelligence, recording it and reviewing it."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _form_page, _load, _nominal_render, nominal_page


@nominal_page
def intelligence(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "intelligence",
        "offenders/intelligence.html",
        {"entries": nominal.intelligence.select_related("reviewed_by")},
    )


@nominal_page
def intelligence_new(request, nominal):
    form = forms.IntelligenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intelligence_record(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:intelligence", nominal.uuid)
    return _form_page(request, nominal, "intelligence", form, _("Add intelligence"))


@_load(selectors.get_intelligence_for_user)
def intelligence_review(request, entry):
    form = forms.IntelligenceReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intelligence_review(actor=request.user, entry=entry, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:intelligence", entry.nominal.uuid)
    return _form_page(
        request,
        entry.nominal,
        "intelligence",
        form,
        _("Review intelligence received %(date)s")
        % {"date": entry.received_on.strftime("%d/%m/%Y")},
    )
