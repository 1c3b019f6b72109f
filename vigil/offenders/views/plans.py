"""Risk management plan pages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _load, _nominal_render, nominal_page


@nominal_page
def plan(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "plan",
        "offenders/plan.html",
        {
            "plans": selectors.plans_for(nominal),
            "level": services._plan_level(nominal),
            "max_months": services.max_visit_months(services._plan_level(nominal)),
            # The review may have been brought forward (the risk rose since the plan).
            "review_duty": selectors.open_duty(nominal, kinds.PLAN_REVIEW),
        },
    )


@nominal_page
def plan_new(request, nominal):
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_create(
                actor=request.user,
                nominal=nominal,
                summary=d["summary"],
                visit_every_months=d["visit_every_months"],
                review_due=d["review_due"],
                actions=form.actions(),
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan has been saved and sent for supervisor review."))
            return redirect("offenders:plan", nominal.uuid)
    level = services._plan_level(nominal)
    return _nominal_render(
        request,
        nominal,
        "plan",
        "offenders/plan_form.html",
        {
            "form": form,
            "level": level,
            "max_months": services.max_visit_months(level),
        },
    )


@_load(selectors.get_plan_for_user)
def plan_go(request, plan):
    return redirect("offenders:plan", plan.nominal.uuid)
