"""Caseloads, registering a nominal, and the nominal's record: its summary, changes to it
and its timeline.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, TeamKind
from vigil.accounts.models import Team
from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.offenders import forms, selectors, services
from vigil.offenders.choices import NominalStatus
from vigil.offenders.views.common import (
    _form_page,
    _nominal_render,
    casework,
    nominal_page,
    supervisors,
)
from vigil.people.selectors import visible_people


@casework
def caseload(request):
    sort = request.GET.get("sort", "due")
    if sort.lstrip("-") not in selectors.CASELOAD_SORTS:
        sort = "due"
    mine = request.GET.get("all") != "1"
    qs = selectors.nominal_list(
        user=request.user,
        mine=mine,
        sort=sort,
        risk=request.GET.get("risk", ""),
        status=request.GET.get("status", ""),
    )
    return render(
        request,
        "offenders/caseload.html",
        {
            "page_obj": paginate(request, qs),
            "sort": sort,
            "mine": mine,
            "supervisor": access.is_supervisor(request.user),
            "restricted_hidden": selectors.restricted_hidden(request.user),
        },
    )


def outstanding_url(*, kinds, team=None, assignee=None) -> str:
    """A link to the duties app's outstanding-work matrix for `kinds` of MOSOVO work,
    optionally for one team or one officer."""
    params: list[tuple[str, str]] = [("kind", code) for code in kinds]
    if team is not None:
        params.append(("team", str(team)))
    if assignee is not None:
        params.append(("assignee", str(assignee)))
    return reverse("duties:outstanding") + "?" + urlencode(params)


def _outstanding_views():
    """Point L's views of the matrix: ARMS, plan reviews and visits separately and
    together, as (label, kind codes)."""
    from vigil.offenders import duty_kinds

    return [
        (_("ARMS assessments"), [duty_kinds.ARMS]),
        (_("Plan reviews"), [duty_kinds.PLAN_REVIEW]),
        (_("Home visits"), [duty_kinds.VISIT]),
        (_("All three together"), duty_kinds.OUTSTANDING_KINDS),
    ]


@supervisors
def caseloads(request):
    """Caseload per offender manager against the threshold, and links to the outstanding
    work matrix for ARMS, plan reviews and visits (force, each team, each officer)."""
    from vigil.offenders.duty_kinds import OUTSTANDING_KINDS

    data = selectors.caseloads(user=request.user)
    views = _outstanding_views()
    for row in data["rows"]:
        row["outstanding_url"] = outstanding_url(
            kinds=OUTSTANDING_KINDS, assignee=row["manager_uuid"]
        )
    teams = [
        {
            "name": team.name,
            "links": [
                (label, outstanding_url(kinds=codes, team=team.uuid)) for label, codes in views
            ],
        }
        for team in selectors.supervised_mosovo_teams(user=request.user)
    ]
    return render(
        request,
        "offenders/caseloads.html",
        {
            "data": data,
            "force_links": [(label, outstanding_url(kinds=codes)) for label, codes in views],
            "teams": teams,
        },
    )


def _teams(user):
    team_ids, force_ids = access.team_scope(user, CASEWORK_ROLES)
    from django.db.models import Q

    return Team.objects.filter(Q(pk__in=team_ids) | Q(force_id__in=force_ids), kind=TeamKind.MOSOVO)


@casework
def register(request):
    teams = _teams(request.user)
    team = teams.first()
    from vigil.duties.selectors import assignable_officers

    officers = assignable_officers(team=team) if team else teams.none()
    form = forms.RegisterForm(
        request.POST or None,
        teams=teams,
        officers=officers,
        initial={"team": team, "status": NominalStatus.ACTIVE},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = (
            visible_people(request.user)
            .filter(register_reference=d["register_reference"].strip().upper())
            .first()
        )
        if person is None:
            form.add_error(
                "register_reference",
                _("There is no person you can see with that register reference"),
            )
        else:
            try:
                nominal = services.nominal_register(
                    actor=request.user,
                    person=person,
                    team=d["team"],
                    offender_manager=d["offender_manager"],
                    status=d["status"],
                    mappa_category=d["mappa_category"],
                    mappa_level=d["mappa_level"],
                    financial_details_held=d["financial_details_held"],
                )
            except VigilError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The nominal has been registered."))
                return redirect("offenders:detail", nominal.uuid)
    return render(
        request,
        "offenders/form.html",
        {
            "form": form,
            "title": _("Register a nominal"),
            "submit": _("Register"),
            "back": reverse("offenders:caseload"),
        },
    )


def _labelled(duties):
    from vigil.duties.registry import kind_label

    rows = list(duties)
    for d in rows:
        d.label = kind_label(d.kind)
    return rows


@nominal_page
def detail(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "detail",
        "offenders/detail.html",
        {
            "checklist": selectors.nominal_checklist(nominal),
            "duties": _labelled(selectors.nominal_duties(nominal)),
            "requirement": nominal.requirements.first(),
        },
    )


@nominal_page
def edit(request, nominal):
    from vigil.duties.selectors import assignable_officers

    form = forms.NominalEditForm(
        request.POST or None,
        officers=assignable_officers(team=nominal.team),
        initial={
            "status": nominal.status,
            "offender_manager": nominal.offender_manager,
            "mappa_category": nominal.mappa_category,
            "mappa_level": nominal.mappa_level,
            "financial_details_held": nominal.financial_details_held,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.nominal_update(actor=request.user, nominal=nominal, **d)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record has been updated."))
            return redirect("offenders:detail", nominal.uuid)
    return _form_page(request, nominal, "detail", form, _("Change the registration"))


@nominal_page
def timeline(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "timeline",
        "offenders/timeline.html",
        {"events": selectors.timeline(nominal)},
    )
