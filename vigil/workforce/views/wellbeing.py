"""Wellbeing screening pages: the wellbeing officer's list and a person's screening
record (dates and attendance only), and a person's own dates. Any other role gets 404
for these pages, as for a record that does not exist."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil import audit
from vigil.core.decorators import signed_in
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.workforce import forms
from vigil.workforce.selectors import wellbeing as selectors
from vigil.workforce.services import wellbeing as services


def wellbeing_only(view):
    @signed_in
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_wellbeing(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@wellbeing_only
def screening_list(request):
    overdue = request.GET.get("overdue") == "1"
    rows = selectors.screening_list(user=request.user, overdue_only=overdue)
    return render(
        request,
        "workforce/screening_list.html",
        {"page_obj": paginate(request, rows), "overdue": overdue},
    )


def _staff(request, uuid):
    try:
        return selectors.get_staff_for_wellbeing(request.user, uuid)
    except NotFound:
        raise Http404 from None


def _page(request, record, *, book_form=None, form=None, status=200):
    return render(
        request,
        "workforce/screening_staff.html",
        {
            "record": record,
            "screenings": selectors.screenings(record),
            "book_form": book_form or forms.ScreeningBookForm(),
            "attendance_form": forms.AttendanceForm(),
            "refer_form": forms.SupportReferForm(),
            "support_form": forms.SupportAttendanceForm(),
            "form": form,
        },
        status=status,
    )


@wellbeing_only
def screening_staff(request, uuid):
    record = _staff(request, uuid)
    audit.record(request.user, "workforce.screening_view", record)
    return _page(request, record)


def _handle(request, record, form, call, success):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("workforce:screening-staff", uuid=record.uuid)
    return _page(request, record, form=form, status=422)


@wellbeing_only
@require_POST
def screening_book(request, uuid):
    record = _staff(request, uuid)
    form = forms.ScreeningBookForm(request.POST)
    return _handle(
        request,
        record,
        form,
        lambda d: services.screening_book(actor=request.user, staff=record, **d),
        _("Appointment booked."),
    )


def _screening(request, uuid):
    try:
        return selectors.get_screening_for_wellbeing(request.user, uuid)
    except NotFound:
        raise Http404 from None


@wellbeing_only
@require_POST
def screening_attendance(request, uuid):
    screening = _screening(request, uuid)
    return _handle(
        request,
        screening.staff,
        forms.AttendanceForm(request.POST),
        lambda d: services.screening_attendance(actor=request.user, screening=screening, **d),
        _("Attendance recorded."),
    )


@wellbeing_only
@require_POST
def support_refer(request, uuid):
    screening = _screening(request, uuid)
    return _handle(
        request,
        screening.staff,
        forms.SupportReferForm(request.POST),
        lambda d: services.support_refer(actor=request.user, screening=screening, **d),
        _("Referral to follow-on support recorded."),
    )


@wellbeing_only
@require_POST
def support_attendance(request, uuid):
    try:
        referral = selectors.get_support_for_wellbeing(request.user, uuid)
    except NotFound:
        raise Http404 from None
    return _handle(
        request,
        referral.screening.staff,
        forms.SupportAttendanceForm(request.POST),
        lambda d: services.support_attendance(actor=request.user, referral=referral, **d),
        _("Attendance recorded."),
    )


@signed_in
def my_screening(request):
    """The signed-in person's own screening and follow-on support dates."""
    return render(
        request,
        "workforce/my_screening.html",
        {"screenings": selectors.own_screenings(user=request.user)},
    )
