"""Inbox, sent list, CSV export, the request page and its forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil import audit
from vigil.core import clock
from vigil.core.exceptions import PermissionDenied, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.partners import exports, forms, selectors
from vigil.partners.services import requests as services
from vigil.partners.views.base import partner


def _filtered(request):
    form = forms.FilterForm(request.GET or None)
    params: dict = {}
    if form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if v}
    return form, params


def _list(request, box: str):
    form, params = _filtered(request)
    now = clock.now()
    qs = selectors.request_list(user=request.user, box=box, now=now, **params)
    page = paginate(request, qs)
    audit.record(request.user, "partners.requests_list", None, changes={"box": box, **params})
    return render(
        request,
        "partners/requests.html",
        {
            "form": form,
            "page_obj": page,
            "box": box,
            "now": now,
            "side": selectors.side(request.user),
            "query": request.GET.urlencode(),
        },
    )


@partner
def inbox(request):
    return _list(request, "inbox")


@partner
def sent(request):
    return _list(request, "sent")


@partner
def export(request):
    form, params = _filtered(request)
    box = request.GET.get("box", "")
    box = box if box in ("inbox", "sent") else ""
    qs = selectors.request_list(user=request.user, box=box, **params)
    return exports.requests_csv(actor=request.user, queryset=qs, filters={"box": box, **params})


def _page(request, req, *, respond_form=None, decline_form=None, rate_form=None, status=200):
    mine = selectors.side(request.user)
    answering = req.is_open and mine == req.responding_side
    rating = not req.is_open and req.rated_at is None and mine != req.responding_side
    return render(
        request,
        "partners/request.html",
        {
            "r": req,
            "now": clock.now(),
            "side": mine,
            "answering": answering,
            "can_acknowledge": answering and req.state == "raised",
            "rating": rating,
            "respond_form": respond_form or (forms.RespondForm() if answering else None),
            "decline_form": decline_form or (forms.DeclineForm() if answering else None),
            "rate_form": rate_form or (forms.RateForm() if rating else None),
            "form": next(
                (f for f in (respond_form, decline_form, rate_form) if f is not None and f.errors),
                None,
            ),
            "events": selectors.timeline(req),
            "others": selectors.nominal_requests(request.user, req),
        },
        status=status,
    )


@partner
def detail(request, uuid):
    return _page(request, selectors.get_request_for_user(request.user, uuid, audit_view=True))


@partner
def raise_request(request):
    agreements = list(selectors.agreements_for(request.user))
    if not agreements:
        raise DjangoPermissionDenied
    form = forms.RaiseForm(
        request.POST if request.method == "POST" else None,
        agreements=selectors.agreements_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_raise(
                actor=request.user,
                agreement=data["agreement"],
                kind=data["kind"],
                register_reference=data["register_reference"],
                details=data["details"],
                urgent=data["urgent"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Request %(reference)s raised.") % {"reference": created.reference}
            )
            return redirect("partners:request", uuid=created.uuid)
    return render(
        request, "partners/raise.html", {"form": form}, status=422 if form.errors else 200
    )


def _act(request, uuid, form_class, form_key: str, call, done: str):
    req = selectors.get_request_for_user(request.user, uuid)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(req, form.cleaned_data)
        except PermissionDenied:
            raise DjangoPermissionDenied from None
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("partners:request", uuid=req.uuid)
    return _page(request, req, status=422, **{form_key: form})


@partner
@require_POST
def acknowledge(request, uuid):
    req = selectors.get_request_for_user(request.user, uuid)
    try:
        services.request_acknowledge(actor=request.user, request=req)
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    except VigilError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Request acknowledged."))
    return redirect("partners:request", uuid=req.uuid)


@partner
@require_POST
def respond(request, uuid):
    return _act(
        request,
        uuid,
        forms.RespondForm,
        "respond_form",
        lambda req, d: services.request_respond(
            actor=request.user, request=req, response=d["response"]
        ),
        _("Response sent."),
    )


@partner
@require_POST
def decline(request, uuid):
    return _act(
        request,
        uuid,
        forms.DeclineForm,
        "decline_form",
        lambda req, d: services.request_decline(
            actor=request.user, request=req, reason=d["reason"]
        ),
        _("Request declined."),
    )


@partner
@require_POST
def rate(request, uuid):
    return _act(
        request,
        uuid,
        forms.RateForm,
        "rate_form",
        lambda req, d: services.request_rate(
            actor=request.user, request=req, rating=d["rating"], feedback=d["feedback"]
        ),
        _("Thank you: your rating has been recorded."),
    )
