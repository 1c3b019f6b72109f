"""Management mode and reactive management pages (P): the conditions, the request, the
decision, the periodic review, the return to active management and the list.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _form_page, _load, _nominal_render, casework, nominal_page


def _assessment(nominal, include_approval=None):
    return services.reactive_assessment(nominal, include_approval=include_approval)


@nominal_page
def management(request, nominal):
    from vigil.offenders import duty_kinds

    reactive = nominal.management_mode == "reactive"
    return _nominal_render(
        request,
        nominal,
        "management",
        "offenders/management.html",
        {
            "reactive": reactive,
            "assessment": _assessment(nominal, include_approval=reactive),
            "pending": selectors.pending_mode_decision(nominal),
            "decisions": selectors.mode_decisions_for(nominal),
            "transfers": selectors.transfers_for(nominal),
            "review_duty": selectors.open_duty(nominal, duty_kinds.REACTIVE_REVIEW),
            "trigger_duty": selectors.open_duty(nominal, duty_kinds.REACTIVE_TRIGGER),
            "approver_rank": services.rank_label(services.reactive_approver_rank()),
        },
    )


@nominal_page
def reactive_request(request, nominal):
    """Check your answers: the conditions as they stand, met or not, and the request;
    refused with every unmet condition and its reason."""
    if nominal.management_mode == "reactive":
        return redirect("offenders:management", nominal.uuid)
    form = forms.ReactiveRequestForm(request.POST or None)
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            services.reactive_request(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
            refused = any(f != "proposal" for f, _m in (exc.errors or []))
        else:
            messages.success(
                request, _("Reactive management has been requested and sent for approval.")
            )
            return redirect("offenders:management", nominal.uuid)
    return _nominal_render(
        request,
        nominal,
        "management",
        "offenders/reactive_request.html",
        {
            "form": form,
            "assessment": _assessment(nominal, include_approval=False),
            "refused": refused,
            "pending": selectors.pending_mode_decision(nominal),
            "approver_rank": services.rank_label(services.reactive_approver_rank()),
        },
    )


@_load(selectors.get_mode_decision_for_user)
def mode_decision(request, decision):
    nominal = decision.nominal
    rank = services.reactive_approver_rank()
    can_decide = (
        decision.status == "proposed"
        and access.rank_at_least(request.user, rank)
        and decision.proposed_by_id != request.user.pk
    )
    form = forms.ModeDecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                services.reactive_decide(
                    actor=request.user,
                    decision=decision,
                    approve=form.cleaned_data["decision"] == "approve",
                    rationale=form.cleaned_data["rationale"],
                )
            except VigilError as exc:
                if exc.status == 403:
                    raise DjangoPermissionDenied from None
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your decision has been recorded."))
                return redirect("offenders:management", nominal.uuid)
    return _nominal_render(
        request,
        nominal,
        "management",
        "offenders/mode_decision.html",
        {
            "decision": decision,
            "form": form,
            "can_decide": can_decide,
            "assessment": _assessment(nominal, include_approval=False),
            "approver_rank": services.rank_label(rank),
        },
    )


@nominal_page
def reactive_review(request, nominal):
    if nominal.management_mode != "reactive":
        return redirect("offenders:management", nominal.uuid)
    form = forms.ReactiveReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reactive_review_record(
                actor=request.user, nominal=nominal, **form.cleaned_data
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect("offenders:management", nominal.uuid)
    return _nominal_render(
        request,
        nominal,
        "management",
        "offenders/reactive_review.html",
        {"form": form, "assessment": _assessment(nominal, include_approval=True)},
    )


@nominal_page
def reactive_return(request, nominal):
    if nominal.management_mode != "reactive":
        return redirect("offenders:management", nominal.uuid)
    form = forms.ReturnActiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reactive_return(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The nominal is back on active management."))
            return redirect("offenders:management", nominal.uuid)
    return _form_page(
        request,
        nominal,
        "management",
        form,
        _("Return to active management"),
        submit=_("Return to active management"),
    )


@casework
def reactive_list(request):
    unmet_only = request.GET.get("unmet") == "1"
    rows = selectors.reactive_list(user=request.user, unmet_only=unmet_only)
    return render(
        request,
        "offenders/reactive_list.html",
        {"page_obj": paginate(request, rows), "unmet_only": unmet_only},
    )
