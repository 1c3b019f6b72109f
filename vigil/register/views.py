"""Register reconciliation pages. Each view parses input, loads through a scoped selector
(404 for missing and forbidden alike), calls one service and renders."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts import access
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.register import exports, forms, selectors, services
from vigil.register.choices import DiscrepancyStatus, ExtractStatus, Field


def _signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def personal(view):
    """Pages showing personal data: casework roles only; anyone else (the assurance role
    included) gets 404, as for a record that does not exist."""

    @_signed_in
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_casework_user(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def importer(view):
    @_signed_in
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.can_import(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- report -----------------------------------------------------------------------------------


@_signed_in
def report(request):
    if not selectors.has_mosovo_work(request.user):
        raise DjangoPermissionDenied
    context = selectors.reconciliation_report(user=request.user)
    context["casework"] = access.is_casework_user(request.user)
    context["can_import"] = selectors.can_import(request.user)
    return render(request, "register/report.html", context)


@personal
def report_xlsx(request):
    data = selectors.reconciliation_report(user=request.user)
    queryset = selectors.discrepancy_list(user=request.user, status=DiscrepancyStatus.OPEN)
    return exports.report_xlsx(actor=request.user, report=data, queryset=queryset)


# --- discrepancies ----------------------------------------------------------------------------


def _filtered(request):
    form = forms.FilterForm(
        request.GET or None, teams=selectors.teams_for_filter(user=request.user)
    )
    params = {"status": DiscrepancyStatus.OPEN}
    if form.is_valid():
        data = form.cleaned_data
        params = {
            "status": data["status"] or DiscrepancyStatus.OPEN,
            "kind": data["kind"],
            "field": data["field"],
            "team": data["team"],
            "assignee": request.user if data["mine"] else None,
            "unassigned": data["unassigned"],
        }
    return form, params


@personal
def discrepancy_list(request):
    form, params = _filtered(request)
    sort = request.GET.get("sort", "opened")
    qs = selectors.discrepancy_list(user=request.user, sort=sort, **params)
    page = paginate(request, qs)
    return render(
        request,
        "register/discrepancies.html",
        {"form": form, "page_obj": page, "sort": sort, "query": request.GET.urlencode()},
    )


@personal
def discrepancy_export(request):
    form, params = _filtered(request)
    qs = selectors.discrepancy_list(user=request.user, **params)
    return exports.discrepancies_csv(
        actor=request.user, queryset=qs, filters=dict(request.GET.items())
    )


def _details(discrepancy) -> list[tuple[str, str]]:
    """The register row kept on a discrepancy, with translated field names."""
    labels = {**dict(Field.choices), "line": _("Line in the file")}
    order = [*Field.values, "line"]
    items = discrepancy.register_details.items()
    return [
        (str(labels.get(k, k)), v)
        for k, v in sorted(items, key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    ]


def _discrepancy_page(request, discrepancy, *, assign_form=None, resolve_form=None, status=200):
    manage = selectors.can_manage(request.user, discrepancy) and discrepancy.is_open
    if manage and assign_form is None:
        assign_form = forms.AssignForm(
            users=selectors.assignable_users(user=request.user, discrepancy=discrepancy)
        )
    if manage and resolve_form is None:
        resolve_form = forms.ResolveForm()
    return render(
        request,
        "register/discrepancy.html",
        {
            "d": discrepancy,
            "manage": manage,
            "assign_form": assign_form,
            "resolve_form": resolve_form,
            # The form that failed, if one did: the page title then starts "Error:".
            "form": assign_form if assign_form is not None and assign_form.errors else resolve_form,
            "details": _details(discrepancy),
        },
        status=status,
    )


def _load(request, uuid, *, audit_view=True):
    try:
        return selectors.get_discrepancy_for_user(request.user, uuid, audit_view=audit_view)
    except NotFound:
        raise Http404 from None


@personal
def discrepancy_detail(request, uuid):
    return _discrepancy_page(request, _load(request, uuid))


@personal
@require_POST
def discrepancy_assign(request, uuid):
    discrepancy = _load(request, uuid, audit_view=False)
    form = forms.AssignForm(
        request.POST, users=selectors.assignable_users(user=request.user, discrepancy=discrepancy)
    )
    if form.is_valid():
        try:
            services.discrepancy_assign(
                actor=request.user, discrepancy=discrepancy, assignee=form.cleaned_data["assignee"]
            )
        except NotFound:
            raise Http404 from None
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Discrepancy assigned."))
            return redirect("register:discrepancy", uuid=discrepancy.uuid)
    return _discrepancy_page(request, discrepancy, assign_form=form, status=422)


@personal
@require_POST
def discrepancy_resolve(request, uuid):
    discrepancy = _load(request, uuid, audit_view=False)
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.discrepancy_resolve(
                actor=request.user,
                discrepancy=discrepancy,
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
            )
        except NotFound:
            raise Http404 from None
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Discrepancy resolved and closed."))
            return redirect("register:discrepancy", uuid=discrepancy.uuid)
    return _discrepancy_page(request, discrepancy, resolve_form=form, status=422)


# --- imports ------------------------------------------------------------------------------------


@importer
def extract_list(request):
    page = paginate(request, selectors.extract_list(user=request.user), per_page=25)
    return render(request, "register/imports.html", {"page_obj": page})


@importer
def extract_upload(request):
    form = forms.UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    problems: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.extract_import(
                actor=request.user, filename=upload.name, content=upload.read()
            )
        except services.ExtractRejected as exc:
            form.add_error("file", exc.message)
            problems = exc.problems
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            if result.already_imported:
                messages.info(
                    request,
                    _("This file was already imported: nothing was changed."),
                )
            return redirect("register:extract", uuid=result.extract.uuid)
    return render(
        request,
        "register/upload.html",
        {"form": form, "problems": problems},
        status=422 if form.errors else 200,
    )


def _extract(request, uuid):
    try:
        return selectors.get_extract_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None


@importer
def extract_detail(request, uuid):
    extract = _extract(request, uuid)
    return render(
        request,
        "register/extract.html",
        {"extract": extract, "forces": selectors.extract_forces(extract)},
    )


@importer
@require_POST
def extract_progress(request, uuid):
    """One step of reconciliation, then its progress: polled by the page (htmx) while the
    extract is being reconciled; without JavaScript the page's button posts here."""
    extract = _extract(request, uuid)
    if extract.status != ExtractStatus.COMPLETE:
        try:
            extract = services.extract_reconcile_step(actor=request.user, extract=extract)
        except NotFound:
            raise Http404 from None
        except VigilError as exc:
            messages.error(request, str(exc.message))
            return redirect("register:extract", uuid=extract.uuid)
    if not request.htmx:
        return redirect("register:extract", uuid=extract.uuid)
    return render(
        request,
        "register/_progress.html",
        {"extract": extract, "forces": selectors.extract_forces(extract)},
    )
