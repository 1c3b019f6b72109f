"""Abstraction pages: a team's abstractions, recording one, and its review and impact."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.core.exceptions import NotFound, VigilError
from vigil.core.exports import csv_download
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.workforce import forms
from vigil.workforce.selectors import abstractions as selectors
from vigil.workforce.selectors import staff as staff_selectors
from vigil.workforce.services import abstractions as services
from vigil.workforce.views.staff import _team, workforce_view


@workforce_view
def abstraction_list(request, uuid):
    team = _team(request, uuid)
    unreviewed = request.GET.get("unreviewed") == "1"
    rows = selectors.abstraction_list(user=request.user, teams=[team], unreviewed=unreviewed)
    can_record = (
        staff_selectors.workforce_teams(user=request.user, roles=staff_selectors.REVIEW_ROLES)
        .filter(pk=team.pk)
        .exists()
    )
    return render(
        request,
        "workforce/abstractions.html",
        {
            "team": team,
            "page_obj": paginate(request, rows),
            "unreviewed": unreviewed,
            "can_record": can_record,
        },
    )


@workforce_view
def abstraction_csv(request, uuid):
    team = _team(request, uuid)
    rows = selectors.abstraction_list(user=request.user, teams=[team])

    def lines():
        for a in rows:
            yield [
                a.staff.user.full_name,
                a.starts_on.isoformat(),
                a.ends_on.isoformat(),
                a.hours,
                a.get_reason_display(),
                a.authorised_by.full_name,
                a.reviewed_at.date().isoformat() if a.reviewed_at else "",
                a.overdue_duties,
            ]

    return csv_download(
        actor=request.user,
        filename="abstractions",
        header=[
            _("Officer"),
            _("From"),
            _("To"),
            _("Hours"),
            _("Reason"),
            _("Authorised by"),
            _("Reviewed"),
            _("Duties overdue during it"),
        ],
        rows=lines(),
        action="workforce.abstraction_export",
        filters={"team": team.uuid},
    )


@workforce_view
def abstraction_new(request, uuid):
    team = _team(request, uuid, roles=staff_selectors.REVIEW_ROLES)
    form = forms.AbstractionForm(
        request.POST or None,
        staff=staff_selectors.staff_now(team=team),
        authorisers=staff_selectors.authorisers(team=team),
    )
    if request.method == "POST" and form.is_valid():
        try:
            row = services.abstraction_record(actor=request.user, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Abstraction recorded."))
            return redirect("workforce:abstraction", uuid=row.uuid)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "workforce/abstraction_new.html", {"team": team, "form": form}, status=status
    )


def _load(request, uuid, roles=staff_selectors.VIEW_ROLES):
    try:
        return selectors.get_abstraction_for_user(request.user, uuid, roles=roles)
    except NotFound:
        raise Http404 from None


def _page(request, row, *, form=None, status=200):
    review = row.reviewed_at is None and selectors.can_review(request.user, row)
    return render(
        request,
        "workforce/abstraction.html",
        {
            "a": row,
            "impact": selectors.impact_duties(row),
            "review_form": form or (forms.ReviewForm() if review else None),
            "form": form,
        },
        status=status,
    )


@workforce_view
def abstraction_detail(request, uuid):
    return _page(request, _load(request, uuid))


@workforce_view
@require_POST
def abstraction_review(request, uuid):
    row = _load(request, uuid, roles=staff_selectors.REVIEW_ROLES)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.abstraction_review(
                actor=request.user, abstraction=row, note=form.cleaned_data["note"]
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("workforce:abstraction", uuid=row.uuid)
    return _page(request, row, form=form, status=422)
