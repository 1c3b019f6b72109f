"""Setting up the partnership: probation regions and their practitioners, agreements and
new versions of their terms. For an administrator of the force, or its police owner of an
agreement (the force's SLA owner); anyone else gets 404."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil import audit
from vigil.accounts.models import Force
from vigil.core.exceptions import NotFound, PermissionDenied, VigilError
from vigil.core.forms import add_service_errors
from vigil.partners import forms, selectors
from vigil.partners.services import agreements as services


def setter_up(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.can_set_up(request.user):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            raise DjangoPermissionDenied from None

    return wrapper


def _forces(user):
    forces = selectors.setup_force_ids(user)
    qs = Force.objects.order_by("name")
    return qs if forces is None else qs.filter(pk__in=forces)


@setter_up
def index(request):
    regions = list(selectors.regions_for_setup(request.user))
    audit.record(request.user, "partners.setup_view", None)
    return render(request, "partners/setup/index.html", {"regions": regions})


@setter_up
def region_new(request):
    forces = list(_forces(request.user))
    form = forms.RegionForm(request.POST or None, forces=_forces(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = services.region_create(
                actor=request.user, force=data["force"], name=data["name"], name_cy=data["name_cy"]
            )
        except PermissionDenied:
            raise
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Region %(name)s added with its team.") % {"name": region.name}
            )
            return redirect("partners:setup-region", uuid=region.uuid)
    return render(
        request,
        "partners/setup/region_new.html",
        {"form": form, "one_force": len(forces) == 1},
        status=422 if form.errors else 200,
    )


def _region_page(request, region, *, form=None, status=200):
    return render(
        request,
        "partners/setup/region.html",
        {
            "region": region,
            "practitioners": list(selectors.practitioners_of(region)),
            "form": form or forms.PractitionerForm(),
            "errors": form if form is not None and form.errors else None,
            "agreement": getattr(region, "agreement", None) if _has_agreement(region) else None,
        },
        status=status,
    )


def _has_agreement(region) -> bool:
    # A missing reverse one-to-one raises an AttributeError subclass.
    return hasattr(region, "agreement")


@setter_up
def region_detail(request, uuid):
    region = selectors.get_region_for_setup(request.user, uuid)
    audit.record(request.user, "partners.region_view", region)
    return _region_page(request, region)


@setter_up
@require_POST
def practitioner_add(request, uuid):
    region = selectors.get_region_for_setup(request.user, uuid)
    form = forms.PractitionerForm(request.POST)
    if form.is_valid():
        try:
            membership = services.practitioner_add(
                actor=request.user, region=region, email=form.cleaned_data["email"]
            )
        except PermissionDenied:
            raise
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now a practitioner of the region.")
                % {"name": membership.user.full_name},
            )
            return redirect("partners:setup-region", uuid=region.uuid)
    return _region_page(request, region, form=form, status=422)


@setter_up
@require_POST
def practitioner_remove(request, uuid, membership_uuid):
    region = selectors.get_region_for_setup(request.user, uuid)
    membership = selectors.practitioners_of(region).filter(uuid=membership_uuid).first()
    if membership is None:
        raise Http404
    try:
        services.practitioner_remove(actor=request.user, region=region, membership=membership)
    except PermissionDenied:
        raise
    except VigilError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer a practitioner of the region.")
            % {"name": membership.user.full_name},
        )
    return redirect("partners:setup-region", uuid=region.uuid)


def _render_terms(request, template, context, form):
    context.update({"form": form, "directions": form.directions()})
    return render(request, template, context, status=422 if form.errors else 200)


@setter_up
def agreement_new(request, uuid):
    region = selectors.get_region_for_setup(request.user, uuid)
    if _has_agreement(region):
        return redirect("partners:setup-agreement", uuid=region.agreement.uuid)
    form = forms.AgreementForm(
        request.POST or None,
        initial_terms=services.default_terms(),
        police=selectors.police_owner_choices(region.force_id),
        probation=_practitioner_users(region),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                actor=request.user,
                region=region,
                police_owner=data["police_owner"],
                probation_owner=data["probation_owner"],
                started_on=data["started_on"],
                first_review_on=data["first_review_on"],
                terms=form.terms(),
            )
        except PermissionDenied:
            raise
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agreement set up, with its first version."))
            return redirect("partners:setup-agreement", uuid=agreement.uuid)
    return _render_terms(request, "partners/setup/agreement_new.html", {"region": region}, form)


def _practitioner_users(region):
    from vigil.accounts.models import User

    return User.objects.filter(
        is_active=True, memberships__team_id=region.team_id, memberships__role="probation"
    ).order_by("full_name", "id")


@setter_up
def agreement_detail(request, uuid):
    agreement = selectors.get_agreement_for_setup(request.user, uuid)
    audit.record(request.user, "partners.agreement_setup_view", agreement)
    versions = list(
        agreement.versions.select_related("created_by")
        .prefetch_related("terms")
        .order_by("-number")
    )
    return render(
        request,
        "partners/setup/agreement.html",
        {
            "a": agreement,
            "versions": versions,
            "history": selectors.setup_history(agreement),
        },
    )


def _latest_terms(agreement) -> list[dict]:
    latest = agreement.versions.order_by("-number").prefetch_related("terms").first()
    by_key = {(t.direction, t.kind): t for t in latest.terms.all()} if latest else {}
    terms = []
    for default in services.default_terms():
        t = by_key.get((default["direction"], default["kind"]))
        if t is not None:
            default = {
                "kind": t.kind,
                "direction": t.direction,
                "amount": t.amount,
                "unit": t.unit,
                "urgent_amount": t.urgent_amount,
                "urgent_unit": t.urgent_unit,
            }
        terms.append(default)
    return terms


@setter_up
def version_new(request, uuid):
    agreement = selectors.get_agreement_for_setup(request.user, uuid)
    form = forms.VersionForm(request.POST or None, initial_terms=_latest_terms(agreement))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.version_create(
                actor=request.user,
                agreement=agreement,
                effective_from=data["effective_from"],
                notes=data["notes"],
                terms=form.terms(),
            )
        except PermissionDenied:
            raise
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)s published, in force from %(date)s.")
                % {"number": version.number, "date": version.effective_from.strftime("%d/%m/%Y")},
            )
            return redirect("partners:setup-agreement", uuid=agreement.uuid)
    return _render_terms(request, "partners/setup/version_new.html", {"a": agreement}, form)
