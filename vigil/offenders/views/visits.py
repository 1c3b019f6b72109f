"""Home visits: the journey with a check-your-answers page, a visit, its authorisation,
and the monthly dip-checks of authorisations.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.core.policy_registry import policy_value
from vigil.offenders import forms, selectors, services
from vigil.offenders.choices import VisitAccess
from vigil.offenders.views.common import (
    _form_page,
    _load,
    _nominal_render,
    nominal_page,
    supervisors,
)

VISIT_SESSION = "offenders_visit_draft"


@nominal_page
def visits(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "visits",
        "offenders/visits.html",
        {"visits": selectors.visits_for(nominal)},
    )


def _draft_key(nominal):
    return f"{VISIT_SESSION}:{nominal.uuid}"


@nominal_page
def visit_new(request, nominal):
    officers = selectors.officers_for_visit(nominal)
    initial = request.session.get(_draft_key(nominal)) or {"officers": [request.user.pk]}
    form = forms.VisitForm(request.POST or None, officers=officers, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        request.session[_draft_key(nominal)] = {
            **{
                k: d[k]
                for k in (
                    "location",
                    "announced",
                    "access",
                    "outcome",
                    "concerns",
                    "intelligence_submitted",
                    "notification_checked",
                )
            },
            "visited_at": d["visited_at"].isoformat(),
            "officers": [o.pk for o in d["officers"]],
        }
        return redirect("offenders:visit-check", nominal.uuid)
    return _nominal_render(request, nominal, "visits", "offenders/visit_form.html", {"form": form})


@nominal_page
def visit_check(request, nominal):
    draft = request.session.get(_draft_key(nominal))
    if not draft:
        return redirect("offenders:visit-new", nominal.uuid)
    officers = list(selectors.officers_for_visit(nominal).filter(pk__in=draft["officers"]))
    visited_at = parse_datetime(draft["visited_at"])
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    announced = draft["announced"] == "yes"
    compliant = services.is_compliant(announced=announced, officer_count=len(officers))
    error_list = []
    if request.method == "POST":
        try:
            visit = services.visit_record(
                actor=request.user,
                nominal=nominal,
                visited_at=visited_at,
                location=draft["location"],
                announced=announced,
                officers=officers,
                access_result=draft["access"],
                outcome=draft["outcome"],
                concerns=draft["concerns"],
                intelligence_submitted=draft["intelligence_submitted"],
                notification_checked=draft["notification_checked"],
            )
        except VigilError as exc:
            error_list = [(f or "", m) for f, m in (exc.errors or [(None, exc.message)])]
        else:
            del request.session[_draft_key(nominal)]
            return redirect("offenders:visit-detail", visit.uuid)
    return _nominal_render(
        request,
        nominal,
        "visits",
        "offenders/visit_check.html",
        {
            "draft": draft,
            "officers": officers,
            "visited_at": visited_at,
            "announced": announced,
            "compliant": compliant,
            "error_list": error_list,
            "access_label": VisitAccess(draft["access"]).label,
            "authoriser_rank": services.rank_label(services.authoriser_rank()),
            "authorise_within_hours": policy_value(
                "offenders.visit_authorisation_hours", at=visited_at
            ),
        },
    )


@_load(selectors.get_visit_for_user)
def visit_detail(request, visit):
    nominal = visit.nominal
    audit_view = selectors.get_nominal_for_user(request.user, nominal.uuid)
    authorised = _has_authorisation(visit)
    can_authorise = (
        not visit.compliant
        and not authorised
        and access.rank_at_least(request.user, services.authoriser_rank())
    )
    return _nominal_render(
        request,
        audit_view,
        "visits",
        "offenders/visit_detail.html",
        {
            "visit": visit,
            "can_authorise": can_authorise,
            "authorisation": visit.authorisation if authorised else None,
            "authoriser_rank": services.rank_label(services.authoriser_rank()),
            "authorise_within_hours": policy_value(
                "offenders.visit_authorisation_hours", at=visit.visited_at
            ),
        },
    )


def _has_authorisation(visit) -> bool:
    from vigil.offenders.models import VisitAuthorisation

    try:
        return visit.authorisation is not None
    except VisitAuthorisation.DoesNotExist:
        return False


@_load(selectors.get_visit_for_user)
def visit_authorise(request, visit):
    form = forms.AuthoriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_authorise(actor=request.user, visit=visit, **form.cleaned_data)
        except VigilError as exc:
            if exc.status == 403:
                raise DjangoPermissionDenied from None
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The visit has been authorised."))
            return redirect("offenders:visit-detail", visit.uuid)
    if not access.rank_at_least(request.user, services.authoriser_rank()):
        raise DjangoPermissionDenied
    return _form_page(
        request, visit.nominal, "visits", form, _("Authorise this visit"), submit=_("Authorise")
    )


@supervisors
def dip_checks(request):
    return render(
        request,
        "offenders/dip_checks.html",
        {"page_obj": paginate(request, selectors.dip_checks_for(user=request.user))},
    )


@supervisors
def dip_check_record(request, uuid):
    try:
        check = selectors.get_dip_check_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    form = forms.DipCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dip_check_record(actor=request.user, dip_check=check, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("offenders:dip-checks")
    return render(request, "offenders/dip_check_form.html", {"form": form, "check": check})
