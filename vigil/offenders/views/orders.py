"""Orders and breaches pages."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _form_page, _nominal_render, nominal_page


@nominal_page
def orders(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "orders",
        "offenders/orders.html",
        {
            "orders": nominal.orders.all(),
            "breaches": nominal.breaches.select_related("order"),
        },
    )


@nominal_page
def order_add(request, nominal):
    form = forms.OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_add(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:orders", nominal.uuid)
    return _form_page(request, nominal, "orders", form, _("Add an order"))


@nominal_page
def breach_add(request, nominal):
    form = forms.BreachForm(request.POST or None, orders=selectors.orders_for(nominal))
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_record(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:orders", nominal.uuid)
    return _form_page(request, nominal, "orders", form, _("Record a breach"))
