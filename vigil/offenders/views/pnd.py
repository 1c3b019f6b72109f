"""PND check pages (Q)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _form_page, _load, _nominal_render, nominal_page


@nominal_page
def pnd(request, nominal):
    from vigil.offenders import duty_kinds

    in_date = selectors.pnd_in_date(nominal)
    return _nominal_render(
        request,
        nominal,
        "pnd",
        "offenders/pnd.html",
        {
            "checks": selectors.pnd_checks_for(nominal),
            "in_date": in_date,
            "duty": selectors.open_duty(nominal, duty_kinds.PND_CHECK),
            "before_visit": services.pnd_before_visit(nominal.risk_level or "low"),
        },
    )


@nominal_page
def pnd_new(request, nominal):
    officers = selectors.officers_for_visit(nominal)
    form = forms.PndCheckForm(
        request.POST or None, officers=officers, initial={"officer": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pnd_check_record(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The PND check has been recorded. Now assess it."))
            return redirect("offenders:pnd", nominal.uuid)
    return _form_page(request, nominal, "pnd", form, _("Record a PND check"))


@_load(selectors.get_pnd_check_for_user)
def pnd_assess(request, check):
    form = forms.PndAssessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pnd_check_assess(actor=request.user, check=check, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The PND check has been assessed."))
            return redirect("offenders:pnd", check.nominal.uuid)
    return _nominal_render(
        request,
        check.nominal,
        "pnd",
        "offenders/pnd_assess.html",
        {"form": form, "check": check},
    )
