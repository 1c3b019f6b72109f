"""Workforce pages: teams (establishment, strength, demand vs capacity), a team's
workload table and its CSV, one officer's breakdown, and the staff-record forms."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil import audit
from vigil.core import clock
from vigil.core.decorators import signed_in
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.exports import csv_download
from vigil.core.forms import add_service_errors
from vigil.core.pagination import sort_param
from vigil.workforce import forms
from vigil.workforce.selectors import abstractions as abstraction_selectors
from vigil.workforce.selectors import staff as selectors
from vigil.workforce.selectors import wellbeing as wellbeing_selectors
from vigil.workforce.selectors import workload
from vigil.workforce.services import staff as services

SORTS = {
    "officer": "user__full_name",
    "grade": "grade",
    "fte": "fte_now",
    "points": "points",
    "capacity": "load_percent",
}


def workforce_view(view):
    """Supervisors, managers and analysts of POLIT and MOSOVO teams; anyone else 403."""

    @signed_in
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.can_view(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _team(request, uuid, roles=selectors.VIEW_ROLES):
    try:
        return selectors.get_team_for_user(request.user, uuid, roles=roles)
    except NotFound:
        raise Http404 from None


def _staff(request, uuid, roles=selectors.VIEW_ROLES):
    try:
        return selectors.get_staff_for_user(request.user, uuid, roles=roles)
    except NotFound:
        raise Http404 from None


def _can_manage(user, team) -> bool:
    return (
        selectors.workforce_teams(user=user, roles=selectors.MANAGE_ROLES)
        .filter(pk=team.pk)
        .exists()
    )


@workforce_view
def index(request):
    teams = workload.team_demand(teams=selectors.workforce_teams(user=request.user))
    return render(request, "workforce/index.html", {"teams": teams})


def _table(request, team):
    sort, order = sort_param(request, SORTS, "officer")
    return sort, workload.team_workload(teams=[team], order=order)


@workforce_view
def team_detail(request, uuid):
    team = _team(request, uuid)
    sort, rows = _table(request, team)
    limit, window_days = abstraction_selectors.repeat_settings(clock.now())
    rows = wellbeing_selectors.annotate_screening_in_date(
        rows.annotate(
            recent_abstractions=abstraction_selectors.recent_abstractions(clock.now(), window_days),
            screening_scope_now=selectors.hours_at(clock.now(), "screening_in_scope"),
        )
    )
    demand = workload.team_demand(teams=type(team).objects.filter(pk=team.pk)).get()
    return render(
        request,
        "workforce/team.html",
        {
            "team": team,
            "rows": rows,
            "sort": sort,
            "demand": demand,
            "repeat_limit": limit,
            "repeat_days": window_days,
            "can_manage": _can_manage(request.user, team),
        },
    )


@workforce_view
def team_csv(request, uuid):
    team = _team(request, uuid)
    _sort, rows = _table(request, team)

    def lines():
        for r in rows:
            yield [
                r.user.full_name,
                r.get_grade_display(),
                r.get_role_display(),
                r.fte_now,
                r.points,
                round(r.capacity, 1),
                None if r.load_percent is None else round(r.load_percent),
                r.nominal_count,
                r.investigation_count,
                r.referral_count,
                r.duty_count,
            ]

    return csv_download(
        actor=request.user,
        filename="workload",
        header=[
            _("Officer"),
            _("Rank or grade"),
            _("Role"),
            _("FTE"),
            _("Points"),
            _("Capacity"),
            _("% of capacity"),
            _("Nominals"),
            _("Investigations"),
            _("Referrals in triage"),
            _("Other duties"),
        ],
        rows=lines(),
        action="workforce.workload_export",
        filters={"team": team.uuid, "sort": request.GET.get("sort", "")},
    )


@workforce_view
def staff_detail(request, uuid):
    record = _staff(request, uuid)
    audit.record(request.user, "workforce.staff_view", record)
    return _staff_page(request, record)


def _staff_page(request, record, *, hours_form=None, leave_form=None, review_form=None, status=200):
    manage = _can_manage(request.user, record.team) and record.left_on is None
    flag = abstraction_selectors.open_repeat_flag(record)
    return render(
        request,
        "workforce/staff.html",
        {
            "record": record,
            "breakdown": workload.officer_breakdown(record),
            "hours": selectors.staff_hours_history(record),
            "abstractions": abstraction_selectors.abstraction_list(user=request.user).filter(
                staff=record
            ),
            "manage": manage,
            "flag": flag,
            "hours_form": hours_form or (forms.HoursForm() if manage else None),
            "leave_form": leave_form or (forms.LeaveForm() if manage else None),
            "review_form": review_form or (forms.ReviewForm() if manage and flag else None),
            "form": next(
                (f for f in (hours_form, leave_form, review_form) if f is not None and f.errors),
                None,
            ),
        },
        status=status,
    )


def _post(request, form, record, call, success, key):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("workforce:staff", uuid=record.uuid)
    return _staff_page(request, record, status=422, **{key: form})


@workforce_view
@require_POST
def staff_hours(request, uuid):
    record = _staff(request, uuid, roles=selectors.MANAGE_ROLES)
    return _post(
        request,
        forms.HoursForm(request.POST),
        record,
        lambda d: services.staff_hours_change(actor=request.user, staff=record, **d),
        _("Hours recorded."),
        "hours_form",
    )


@workforce_view
@require_POST
def staff_leave(request, uuid):
    record = _staff(request, uuid, roles=selectors.MANAGE_ROLES)
    return _post(
        request,
        forms.LeaveForm(request.POST),
        record,
        lambda d: services.staff_record_end(actor=request.user, staff=record, **d),
        _("Leaving date recorded."),
        "leave_form",
    )


@workforce_view
@require_POST
def repeat_review(request, uuid):
    from vigil.workforce.services import abstractions as abstraction_services

    record = _staff(request, uuid, roles=selectors.MANAGE_ROLES)
    return _post(
        request,
        forms.ReviewForm(request.POST),
        record,
        lambda d: abstraction_services.repeat_flag_review(actor=request.user, staff=record, **d),
        _("Review recorded."),
        "review_form",
    )


@workforce_view
def staff_new(request, uuid):
    team = _team(request, uuid, roles=selectors.MANAGE_ROLES)
    users = selectors.people_without_record(team=team)
    form = forms.StaffCreateForm(request.POST or None, users=users)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.staff_record_create(
                actor=request.user, team=team, **form.cleaned_data
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Staff record added."))
            return redirect("workforce:staff", uuid=record.uuid)
    status = 422 if request.method == "POST" else 200
    return render(request, "workforce/staff_new.html", {"team": team, "form": form}, status=status)


@workforce_view
def establishment(request, uuid):
    team = _team(request, uuid, roles=selectors.MANAGE_ROLES)
    form = forms.EstablishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.establishment_set(actor=request.user, team=team, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Establishment recorded."))
            return redirect("workforce:team", uuid=team.uuid)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "workforce/establishment.html", {"team": team, "form": form}, status=status
    )
