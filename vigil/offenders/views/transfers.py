"""Transfers of management between forces: requesting one, the list, and accepting or
declining.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _form_page, casework, nominal_page


@nominal_page
def transfer_new(request, nominal):
    from vigil.accounts.models import Force

    form = forms.TransferRequestForm(
        request.POST or None,
        forces=Force.objects.exclude(pk=nominal.team.force_id).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_request(actor=request.user, nominal=nominal, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The transfer has been requested."))
            return redirect("offenders:management", nominal.uuid)
    return _form_page(
        request,
        nominal,
        "management",
        form,
        _("Transfer the management to another force"),
        submit=_("Request the transfer"),
    )


@casework
def transfers(request):
    return render(
        request,
        "offenders/transfers.html",
        {
            "incoming": selectors.incoming_transfers(user=request.user),
            "outgoing": selectors.outgoing_transfers(user=request.user)[:50],
        },
    )


def _accept_form(request, transfer, data=None):
    from vigil.accounts.models import User
    from vigil.duties.selectors import assignable_officers

    teams = selectors.receiving_teams(user=request.user, force=transfer.to_force)
    officer_ids = set()
    for team in teams:
        officer_ids |= set(assignable_officers(team=team).values_list("pk", flat=True))
    officers = User.objects.filter(pk__in=officer_ids).order_by("full_name", "pk")
    return forms.TransferAcceptForm(data, teams=teams, officers=officers, prefix="accept")


@casework
def transfer_detail(request, uuid):
    try:
        transfer = selectors.get_transfer_for_user(request.user, uuid)
    except NotFound:
        raise Http404 from None
    can_decide = transfer.status == "requested" and selectors.can_receive(request.user, transfer)
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    accept = _accept_form(request, transfer, post if action == "accept" else None)
    decline = forms.TransferDeclineForm(post if action == "decline" else None, prefix="decline")
    if post is not None:
        if not can_decide:
            raise DjangoPermissionDenied
        form = accept if action == "accept" else decline
        if form.is_valid():
            try:
                if action == "accept":
                    services.transfer_accept(
                        actor=request.user, transfer=transfer, **form.cleaned_data
                    )
                else:
                    services.transfer_decline(
                        actor=request.user,
                        transfer=transfer,
                        reason=form.cleaned_data["decision_reason"],
                    )
            except VigilError as exc:
                if exc.status == 403:
                    raise DjangoPermissionDenied from None
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your decision on the transfer has been recorded."))
                return redirect("offenders:transfers")
    person = transfer.nominal.person
    return render(
        request,
        "offenders/transfer_detail.html",
        {
            "transfer": transfer,
            "person": person,
            "restricted": person.is_restricted,
            "can_decide": can_decide,
            "accept": accept,
            "decline": decline,
        },
    )
