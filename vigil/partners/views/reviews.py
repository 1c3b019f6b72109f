"""Recording a review of an agreement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.core.exceptions import PermissionDenied, VigilError
from vigil.core.forms import add_service_errors
from vigil.partners import forms, selectors
from vigil.partners.services import reviews as services
from vigil.partners.views.agreements import agreement_page
from vigil.partners.views.base import partner


@partner
@require_POST
def review_record(request, uuid):
    agreement = selectors.get_agreement_for_user(request.user, uuid)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_record(actor=request.user, agreement=agreement, **form.cleaned_data)
        except PermissionDenied:
            raise DjangoPermissionDenied from None
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Review recorded. The next one is due in the work list."))
            return redirect("partners:agreement", uuid=agreement.uuid)
    return agreement_page(request, agreement, review_form=form, status=422)
