"""The agreements, one agreement with its versions and reviews, and the SLA dashboard."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.shortcuts import render
from django.utils import timezone

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import start_of_day
from vigil.partners import forms, selectors
from vigil.partners.services.reviews import can_review
from vigil.partners.views.base import partner

PERIODS = (3, 6, 12, 24)


def _months(request) -> int:
    try:
        months = int(request.GET.get("months", 3))
    except ValueError:
        return 3
    return months if months in PERIODS else 3


@partner
def agreement_list(request):
    agreements = list(selectors.agreements_for(request.user))
    audit.record(request.user, "partners.agreements_list", None)
    return render(request, "partners/agreements.html", {"agreements": agreements})


def agreement_page(request, agreement, *, review_form=None, status=200):
    versions = list(agreement.versions.prefetch_related("terms").order_by("-number"))
    return render(
        request,
        "partners/agreement.html",
        {
            "a": agreement,
            "versions": versions,
            "reviews": agreement.reviews.select_related("recorded_by").order_by("-held_on")[:40],
            "can_review": can_review(request.user, agreement),
            "review_form": review_form or forms.ReviewForm(),
            "form": review_form if review_form is not None and review_form.errors else None,
        },
        status=status,
    )


@partner
def agreement_detail(request, uuid):
    agreement = selectors.get_agreement_for_user(request.user, uuid)
    audit.record(request.user, "partners.agreement_view", agreement)
    return agreement_page(request, agreement)


@partner
def dashboard(request):
    months = _months(request)
    now = clock.now()
    today = timezone.localdate(now)
    start = start_of_day(today - relativedelta(months=months) + dt.timedelta(days=1))
    end = start_of_day(today + dt.timedelta(days=1))
    rows = selectors.sla_figures(
        queryset=selectors.request_scope(request.user), start=start, end=end, now=now
    )
    to_me = "to_probation" if selectors.side(request.user) == "probation" else "to_police"
    for row in rows:
        row["box"] = "inbox" if row["direction"] == to_me else "sent"
    audit.record(request.user, "partners.dashboard_view", None, changes={"months": months})
    return render(
        request,
        "partners/dashboard.html",
        {"rows": rows, "months": months, "periods": PERIODS, "start": start, "today": today},
    )
