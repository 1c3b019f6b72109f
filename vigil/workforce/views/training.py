"""Training and knowledge-sharing pages: the force's course catalogue, a course and its
sessions, a session and its attendance, a team's training table (and its CSV), one
person's training record and the signed-in person's own."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil import audit
from vigil.core import clock
from vigil.core.decorators import signed_in
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.exports import csv_download
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate, sort_param
from vigil.workforce import forms
from vigil.workforce.selectors import staff as staff_selectors
from vigil.workforce.selectors import training as selectors
from vigil.workforce.services import training as services
from vigil.workforce.views.staff import _team, workforce_view


def _course(request, uuid, roles=staff_selectors.VIEW_ROLES):
    try:
        return selectors.get_course_for_user(request.user, uuid, roles=roles)
    except NotFound:
        raise Http404 from None


def _session(request, uuid):
    try:
        return selectors.get_session_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None


def _can_schedule(user) -> bool:
    return bool(selectors.training_force_ids(user, selectors.RECORD_ROLES))


@workforce_view
def catalogue(request):
    kind = request.GET.get("kind", "")
    ks = {"training": False, "knowledge_sharing": True}.get(kind)
    sessions = selectors.session_list(user=request.user, knowledge_sharing=ks)
    return render(
        request,
        "workforce/training_catalogue.html",
        {
            "courses": selectors.course_list(user=request.user),
            "page_obj": paginate(request, sessions),
            "kind": kind if ks is not None else "",
            "can_add_course": bool(
                selectors.training_force_ids(request.user, selectors.CATALOGUE_ROLES)
            ),
            "can_schedule": _can_schedule(request.user),
            "teams": staff_selectors.workforce_teams(user=request.user).order_by("name"),
        },
    )


def _course_form_page(request, form, *, course=None, status=200):
    return render(
        request,
        "workforce/training_course_form.html",
        {"form": form, "course": course},
        status=status,
    )


@workforce_view
def course_new(request):
    forces = selectors.catalogue_forces(user=request.user)
    if not forces.exists():
        raise Http404
    form = forms.CourseForm(request.POST or None, forces=forces)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        force = data.pop("force", None) or forces.first()
        try:
            course = services.course_create(actor=request.user, force=force, **data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Course added to the catalogue."))
            return redirect("workforce:training-course", uuid=course.uuid)
    return _course_form_page(request, form, status=422 if request.method == "POST" else 200)


@workforce_view
def course_detail(request, uuid):
    course = _course(request, uuid)
    return render(
        request,
        "workforce/training_course.html",
        {
            "course": course,
            "page_obj": paginate(request, selectors.session_list(user=request.user, course=course)),
            "can_edit": course.force_id
            in selectors.training_force_ids(request.user, selectors.CATALOGUE_ROLES),
            "can_schedule": _can_schedule(request.user),
        },
    )


@workforce_view
def course_edit(request, uuid):
    course = _course(request, uuid, roles=selectors.CATALOGUE_ROLES)
    initial = {
        "title": course.title,
        "title_cy": course.title_cy,
        "trauma_informed": course.trauma_informed,
        "refresh_months": course.refresh_months,
    }
    form = forms.CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_edit(actor=request.user, course=course, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Course changed."))
            return redirect("workforce:training-course", uuid=course.uuid)
    return _course_form_page(
        request, form, course=course, status=422 if request.method == "POST" else 200
    )


@workforce_view
def session_new(request):
    teams = staff_selectors.workforce_teams(user=request.user, roles=selectors.RECORD_ROLES)
    if not teams.exists():
        raise Http404
    courses = selectors.schedulable_courses(user=request.user)
    initial = {}
    chosen = selectors.chosen_course(courses, request.GET.get("course", ""))
    if chosen is not None:
        initial = {"course": chosen, "kind": "training"}
    only = list(teams[:2])
    if len(only) == 1:
        initial["team"] = only[0]
    form = forms.SessionForm(
        request.POST or None, initial=initial, courses=courses, teams=teams.order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.session_schedule(
                actor=request.user,
                team=data["team"],
                held_on=data["held_on"],
                facilitator=data["facilitator"],
                course=data["course"],
                knowledge_sharing=data["kind"] == "knowledge_sharing",
                topic=data["topic"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect("workforce:training-session", uuid=row.uuid)
    return render(
        request,
        "workforce/training_session_new.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def _session_page(request, session, *, form=None, status=200):
    rows, others = selectors.session_attendance(session, user=request.user)
    candidates = selectors.attendance_candidates(user=request.user, session=session)
    can_record = selectors.recordable_teams(user=request.user, session=session).exists()
    return render(
        request,
        "workforce/training_session.html",
        {
            "session": session,
            "rows": rows,
            "others": others,
            "can_record": can_record,
            "record_form": form
            or (forms.TrainingAttendanceForm(staff=candidates) if can_record else None),
            "form": form,
            "recordable_team_ids": set(
                selectors.recordable_teams(user=request.user, session=session).values_list(
                    "pk", flat=True
                )
            )
            if can_record
            else set(),
        },
        status=status,
    )


@workforce_view
def session_detail(request, uuid):
    session = _session(request, uuid)
    if request.method == "POST":
        if not selectors.recordable_teams(user=request.user, session=session).exists():
            raise Http404
        candidates = selectors.attendance_candidates(user=request.user, session=session)
        form = forms.TrainingAttendanceForm(request.POST, staff=candidates)
        if form.is_valid():
            try:
                rows = services.attendance_record(
                    actor=request.user,
                    session=session,
                    staff=list(form.cleaned_data["staff"]),
                    completed_on=form.cleaned_data["completed_on"],
                )
            except VigilError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Attendance recorded for %(count)s person.",
                        "Attendance recorded for %(count)s people.",
                        len(rows),
                    )
                    % {"count": len(rows)},
                )
                return redirect("workforce:training-session", uuid=session.uuid)
        return _session_page(request, session, form=form, status=422)
    return _session_page(request, session)


@workforce_view
def completion_withdraw(request, uuid):
    try:
        row = selectors.get_completion_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.completion_withdraw(
                actor=request.user, completion=row, reason=form.cleaned_data["reason"]
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Record withdrawn."))
            return redirect("workforce:training-session", uuid=row.session.uuid)
    return render(
        request,
        "workforce/training_withdraw.html",
        {"row": row, "form": form},
        status=422 if request.method == "POST" else 200,
    )


def _team_rows(request, team):
    sort, order = sort_param(request, selectors.TEAM_SORTS, "name")
    return sort, selectors.team_training(teams=[team], order=order)


@workforce_view
def team_training(request, uuid):
    team = _team(request, uuid)
    sort, rows = _team_rows(request, team)
    lead, _first = selectors.warning_days(clock.now())
    audit.record(request.user, "workforce.training_view", team)
    return render(
        request,
        "workforce/training_team.html",
        {"team": team, "rows": rows, "sort": sort, "lead_days": lead},
    )


def status_label(row) -> str:
    """A person's trauma-informed training status as the team table and CSV show it."""
    if row.ti_expiring:
        return _("Expires soon")
    if row.ti_in_date:
        return _("In date")
    if row.ti_last_completed:
        return _("Expired")
    return _("None recorded")


@workforce_view
def team_training_csv(request, uuid):
    team = _team(request, uuid)
    _sort, rows = _team_rows(request, team)

    def lines():
        for r in rows:
            yield [
                r.user.full_name,
                r.get_role_display(),
                _("Yes") if r.training_scope_now else _("No"),
                status_label(r),
                r.ti_valid_until.isoformat() if r.ti_in_date and r.ti_valid_until else "",
                r.ti_last_completed.isoformat() if r.ti_last_completed else "",
                r.ks_last_attended.isoformat() if r.ks_last_attended else "",
            ]

    return csv_download(
        actor=request.user,
        filename="training",
        header=[
            _("Name"),
            _("Role"),
            _("In scope for supervisor training"),
            _("Trauma-informed training"),
            _("In date until"),
            _("Last trauma-informed course"),
            _("Last knowledge-sharing session"),
        ],
        rows=lines(),
        action="workforce.training_export",
        filters={"team": team.uuid, "sort": request.GET.get("sort", "")},
    )


def _person_page(request, record, person, *, own: bool):
    lead, _first = selectors.warning_days(clock.now())
    return render(
        request,
        "workforce/training_person.html",
        {
            "record": record,
            "person": person,
            "status": selectors.person_status(person_id=person.pk),
            "rows": selectors.person_training(person_id=person.pk),
            "own": own,
            "lead_days": lead,
        },
    )


@signed_in
def staff_training(request, uuid):
    """One person's training record: for them, and for the supervisors, managers and
    analysts who see their team."""
    try:
        record = selectors.get_staff_training_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    own = record.user_id == request.user.pk
    if not own:
        audit.record(request.user, "workforce.training_view", record)
    return _person_page(request, record, record.user, own=own)


@signed_in
def my_training(request):
    """The signed-in person's own training record (any team they have been in)."""
    record = selectors.own_staff_record(user=request.user)
    return _person_page(request, record, request.user, own=True)
