"""Supervisor review pages: a nominal's reviews, the queue, recording a review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.core.exceptions import VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate
from vigil.offenders import forms, selectors, services
from vigil.offenders.views.common import _load, _nominal_render, nominal_page, supervisors


@nominal_page
def reviews(request, nominal):
    return _nominal_render(
        request,
        nominal,
        "reviews",
        "offenders/reviews.html",
        {"reviews": selectors.reviews_for(nominal)},
    )


@supervisors
def review_queue(request):
    qs = selectors.review_queue(user=request.user, overdue_only=request.GET.get("overdue") == "1")
    return render(request, "offenders/review_queue.html", {"page_obj": paginate(request, qs)})


@_load(selectors.get_review_for_user)
def review_record(request, review):
    if not selectors.can_supervise(request.user, review.nominal):
        raise DjangoPermissionDenied
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(actor=request.user, review=review, **form.cleaned_data)
        except VigilError as exc:
            if exc.status == 403:
                raise DjangoPermissionDenied from None
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect("offenders:review-queue")
    return _nominal_render(
        request,
        review.nominal,
        "reviews",
        "offenders/review_form.html",
        {"form": form, "review": review},
    )
