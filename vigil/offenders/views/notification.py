"""Notification pages: requirements, opening a notification and recording it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _form_page, _load, _nominal_render, nominal_page


@nominal_page
def notification(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "notification",
        "offenders/notification.html",
        {
            "requirements": nominal.requirements.all(),
            "events": nominal.notifications.all(),
        },
    )


@nominal_page
def requirement_add(request, nominal):
    form = forms.RequirementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.requirement_add(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The notification requirements have been recorded."))
            return redirect("offenders:notification", nominal.uuid)
    return _form_page(request, nominal, "notification", form, _("Add notification requirements"))


@nominal_page
def notification_open(request, nominal):
    form = forms.NotificationOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_open(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:notification", nominal.uuid)
    return _form_page(request, nominal, "notification", form, _("A notification is due"))


@_load(selectors.get_notification_for_user)
def notification_record(request, event):
    nominal = event.nominal
    form = forms.NotificationRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_record(actor=request.user, event=event, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The notification has been recorded."))
            return redirect("offenders:notification", nominal.uuid)
    return _form_page(
        request,
        nominal,
        "notification",
        form,
        _("Record the notification: %(kind)s") % {"kind": event.get_kind_display()},
    )
