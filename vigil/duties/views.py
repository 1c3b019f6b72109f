"""Work pages: my work, team work, the outstanding work matrix, notifications."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES
from vigil.core.decorators import role_required, signed_in
from vigil.core.exceptions import VigilError
from vigil.core.exports import csv_download
from vigil.core.pagination import paginate, sort_param
from vigil.duties import messages as texts
from vigil.duties import registry, selectors, services
from vigil.duties.choices import DutyRisk, OverdueBand
from vigil.duties.forms import ReassignForm, WorkFilterForm

CASEWORK = tuple(sorted(CASEWORK_ROLES))
SUPERVISORY = tuple(sorted(SUPERVISORY_ROLES))
SORTS = {key: key for key in selectors.SORTS}
FILTER_KEYS = ("force", "team", "assignee", "kind")


def _decorate(duties) -> None:
    """Add what the table shows and the database does not hold: label, link, days overdue."""
    for duty in duties:
        duty.kind_label = registry.kind_label(duty.kind)
        duty.subject_url = registry.subject_url(duty.kind, duty.subject_id)
        duty.days_overdue = selectors.days_overdue(duty.due_at)
        duty.days_until = -duty.days_overdue


def _filter_form(request) -> WorkFilterForm:
    user = request.user
    return WorkFilterForm(
        request.GET if any(k in request.GET for k in FILTER_KEYS) else None,
        forces=list(selectors.supervised_forces(user=user)),
        teams=list(selectors.supervised_teams(user=user)),
        officers=list(selectors.supervised_officers(user=user)),
    )


def _page(request, queryset):
    page_obj = paginate(request, queryset)
    _decorate(page_obj.object_list)
    return page_obj


@role_required(*CASEWORK, admin_ok=False)
def my_work(request):
    sort, _field = sort_param(request, SORTS, "due")
    page_obj = _page(request, selectors.my_work(user=request.user, sort=sort))
    return render(request, "duties/my_work.html", {"page_obj": page_obj, "sort": sort})


@role_required(*SUPERVISORY, admin_ok=False)
def team_work(request):
    form = _filter_form(request)
    sort, _field = sort_param(request, SORTS, "due")
    page_obj = None
    if not form.is_bound or form.is_valid():
        page_obj = _page(
            request, selectors.team_work(user=request.user, sort=sort, **form.filters())
        )
    return render(
        request, "duties/team_work.html", {"form": form, "page_obj": page_obj, "sort": sort}
    )


@role_required(*SUPERVISORY, admin_ok=False)
def reassign(request, duty_id):
    duty = selectors.get_duty_for_supervisor(user=request.user, duty_id=duty_id)
    if duty is None:
        raise Http404
    _decorate([duty])
    form = ReassignForm(
        request.POST or None, officers=selectors.assignable_officers(team=duty.team)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_reassign(actor=request.user, duty=duty, assignee=form.officer())
        except VigilError as exc:
            for field, message in exc.errors or [(None, exc.message)]:
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("%(kind)s is now assigned to %(name)s.")
                % {"kind": duty.kind_label, "name": form.officer().full_name},
            )
            return redirect("duties:team-work")
    return render(request, "duties/reassign.html", {"duty": duty, "form": form})


@role_required(*SUPERVISORY, admin_ok=False)
def outstanding(request):
    form = _filter_form(request)
    matrix = None
    if not form.is_bound or form.is_valid():
        matrix = selectors.outstanding_work_matrix(user=request.user, **form.filters())
    return render(
        request,
        "duties/outstanding.html",
        {"form": form, "matrix": matrix, "bands": OverdueBand, "query": _filter_query(request)},
    )


def _filter_query(request) -> str:
    """The filter part of the query string, carried from the matrix to its cells."""
    params = request.GET.copy()
    for key in list(params):
        if key not in FILTER_KEYS:
            del params[key]
    return params.urlencode()


@role_required(*SUPERVISORY, admin_ok=False)
def outstanding_cell(request, risk: str, band: str):
    if risk not in (*DutyRisk.values, selectors.ALL) or band not in (
        *OverdueBand.values,
        selectors.ALL,
    ):
        raise Http404
    form = _filter_form(request)
    sort, _field = sort_param(request, SORTS, "due")
    page_obj = None
    if not form.is_bound or form.is_valid():
        page_obj = _page(
            request,
            selectors.duties_in_cell(
                user=request.user, risk=risk, band=band, sort=sort, **form.filters()
            ),
        )
    return render(
        request,
        "duties/outstanding_cell.html",
        {
            "form": form,
            "page_obj": page_obj,
            "sort": sort,
            "risk_label": DutyRisk(risk).label if risk != selectors.ALL else _("All risk levels"),
            "band_label": OverdueBand(band).label if band != selectors.ALL else _("All"),
            "query": _filter_query(request),
        },
    )


@signed_in
def notifications(request):
    page_obj = paginate(request, selectors.notifications_for(user=request.user))
    for n in page_obj.object_list:
        n.title, n.body = texts.render(
            n.message_key, n.params, team=n.duty.team if n.duty_id else None
        )
        n.subject_url = registry.subject_url(n.duty.kind, n.duty.subject_id) if n.duty_id else None
    return render(request, "duties/notifications.html", {"page_obj": page_obj})


@require_POST
@signed_in
def notification_read(request, notification_id):
    notification = selectors.get_notification_for_user(
        user=request.user, notification_id=notification_id
    )
    if notification is None:
        raise Http404
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect("duties:notifications")


@require_POST
@signed_in
def notifications_read_all(request):
    count = services.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("duties:notifications")


@role_required(*SUPERVISORY, admin_ok=False)
def team_work_export(request):
    """The team work list as CSV, with the filters on the page (audited)."""
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return team_work(request)
    filters = form.filters()
    duties = selectors.team_work(user=request.user, **filters)
    header = [
        _("Work"),
        _("Person"),
        _("Team"),
        _("Assigned to"),
        _("Risk"),
        _("Due"),
        _("Days overdue"),
        _("Escalated to"),
    ]

    def rows():
        for duty in duties.iterator(chunk_size=2000):
            days = selectors.days_overdue(duty.due_at)
            person = ""
            if duty.person_id:
                person = duty.person.full_name if duty.person_visible else _("Restricted record")
            yield [
                registry.kind_label(duty.kind),
                person,
                duty.team.localised_name,
                duty.assignee.full_name if duty.assignee else _("Not assigned"),
                duty.get_risk_level_display(),
                timezone.localtime(duty.due_at).date().isoformat(),
                max(days, 0),
                duty.get_escalation_level_display() if duty.escalation_level else "",
            ]

    return csv_download(
        actor=request.user,
        filename="vigil-team-work",
        header=[str(h) for h in header],
        rows=rows(),
        action="duties.export",
        filters=filters,
    )
