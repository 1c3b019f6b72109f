"""Support for the suspect's family (point G): the offer, its outcome and the leaflet
(page and PDF).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.core import documents
from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.investigations import forms, selectors, services
from vigil.investigations.views.common import _can_work, _posted, investigation_page


@investigation_page()
def family_support(request, investigation):
    offer = selectors.get_family_support(investigation)
    can_work = _can_work(request.user, investigation)
    form = None
    if can_work:
        initial = (
            {
                "status": offer.status,
                "reason": offer.reason,
                "leaflet_language": offer.leaflet_language,
            }
            if offer
            else {"leaflet_language": selectors.leaflet_language(investigation)}
        )
        form = forms.FamilySupportForm(
            _posted(request), updating=offer is not None, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if offer is None:
                    services.family_support_record(
                        actor=request.user,
                        investigation=investigation,
                        status=data["status"],
                        offered_on=data.get("offered_on"),
                        reason=data["reason"],
                        leaflet_language=data["leaflet_language"],
                    )
                else:
                    services.family_support_update(
                        actor=request.user,
                        offer=offer,
                        status=data["status"],
                        reason=data["reason"],
                        leaflet_language=data["leaflet_language"],
                    )
            except VigilError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The offer of support to the family has been recorded.")
                )
                return redirect("investigations:family-support", uuid=investigation.uuid)
    elif request.method == "POST":
        raise DjangoPermissionDenied
    return render(
        request,
        "investigations/family_support.html",
        {
            "investigation": investigation,
            "offer": offer,
            "form": form,
            "can_work": can_work,
            "organisations": selectors.leaflet_organisations(investigation),
            "language": selectors.leaflet_language(investigation),
            "nav": "family",
        },
    )


@investigation_page("leaflet")
def family_support_leaflet(request, investigation):
    language = selectors.leaflet_language(investigation, request.GET.get("language", ""))
    services.family_support_leaflet_record(
        actor=request.user, investigation=investigation, language=language
    )
    return render(
        request,
        "investigations/leaflet.html",
        {
            "investigation": investigation,
            "language": language,
            "organisations": list(selectors.leaflet_organisations(investigation)),
        },
    )


@investigation_page("leaflet")
def family_support_leaflet_pdf(request, investigation):
    """The leaflet as a PDF to print or e-mail to the family (it names no one)."""
    language = selectors.leaflet_language(investigation, request.GET.get("language", ""))
    services.family_support_leaflet_record(
        actor=request.user, investigation=investigation, language=language, document="pdf"
    )
    pdf = documents.render_pdf(
        "investigations/leaflet_pdf.html",
        {"organisations": list(selectors.leaflet_organisations(investigation))},
        language=language,
    )
    return documents.pdf_response(pdf, f"family-support-{language}.pdf")
