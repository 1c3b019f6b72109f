"""The directory of support organisations (point G): the list and the form that adds or
edits an organisation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.core.decorators import role_required
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.investigations import forms, selectors, services
from vigil.investigations.views.common import _posted


def directory_editor(user) -> bool:
    return access.is_admin(user) or access.has_role(user, "manager")


@role_required("officer", "supervisor", "manager", "analyst")
def support_organisation_list(request):
    """The directory as the user sees it: their force's entries and the national ones."""
    return render(
        request,
        "investigations/organisations.html",
        {
            "organisations": selectors.support_organisations(user=request.user, active_only=False),
            "can_edit": directory_editor(request.user),
            "editable_force_ids": selectors.directory_force_ids(request.user, editing=True),
            "is_admin": access.is_admin(request.user),
        },
    )


def _organisation_form_page(request, organisation=None):
    """Add or change an entry. Another force's entry was a 404 already; a national one
    is for administrators only (403 to anyone else)."""
    try:
        services.check_directory_editor(request.user, organisation)
    except NotFound:
        raise Http404 from None
    except VigilError:
        raise DjangoPermissionDenied from None
    initial = (
        {
            **{f: getattr(organisation, f) for f in services.ORGANISATION_FIELDS},
            "force": organisation.force.code if organisation.force else forms.NATIONAL,
        }
        if organisation
        else {"active": True}
    )
    form = forms.SupportOrganisationForm(
        _posted(request),
        initial=initial,
        forces=selectors.directory_editor_forces(request.user),
        national=access.is_admin(request.user),
        updating=organisation is not None,
    )
    if request.method == "POST" and request.POST.get("action") == "delete" and organisation:
        services.support_organisation_delete(actor=request.user, organisation=organisation)
        messages.success(request, _("The organisation has been removed from the directory."))
        return redirect("investigations:organisations")
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                services.support_organisation_create(
                    actor=request.user, force=form.chosen_force(), **form.service_kwargs()
                )
            else:
                moved = {"force": form.chosen_force()} if form.moves() else {}
                services.support_organisation_update(
                    actor=request.user,
                    organisation=organisation,
                    **moved,
                    **form.service_kwargs(),
                )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The directory has been updated."))
            return redirect("investigations:organisations")
    return render(
        request,
        "investigations/organisation_form.html",
        {"form": form, "organisation": organisation, "only_force": form.only_choice},
    )


@role_required("manager", "officer", "supervisor", "analyst")
def support_organisation_create(request):
    return _organisation_form_page(request)


@role_required("manager", "officer", "supervisor", "analyst")
def support_organisation_edit(request, uuid):
    try:
        organisation = selectors.get_support_organisation(uuid, user=request.user)
    except NotFound:
        raise Http404 from None
    return _organisation_form_page(request, organisation)
