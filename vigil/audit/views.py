"""The auditor's search page, and CSV export of a search (itself audited)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render

from vigil import audit
from vigil.accounts.choices import Role
from vigil.audit import selectors
from vigil.audit.forms import AuditSearchForm
from vigil.core.decorators import role_required
from vigil.core.pagination import paginate


def _filters(form: AuditSearchForm) -> dict:
    data = form.cleaned_data
    return {
        "actor_email": data.get("actor") or "",
        "person_id": str(data["person"]) if data.get("person") else "",
        "action": data.get("action") or "",
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
    }


@role_required(Role.AUDITOR)
def search(request):
    form = AuditSearchForm(request.GET or None)
    page_obj = None
    if form.is_bound and form.is_valid():
        page_obj = paginate(request, selectors.audit_event_search(**_filters(form)))
    elif not form.is_bound:
        page_obj = paginate(request, selectors.audit_event_search())
    return render(
        request,
        "audit/search.html",
        {"form": form, "page_obj": page_obj, "actions": selectors.audit_actions()},
    )


@role_required(Role.AUDITOR)
def export(request):
    form = AuditSearchForm(request.GET or None)
    if not form.is_valid():
        return search(request)
    filters = _filters(form)
    events = selectors.audit_event_search(**filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vigil-audit.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "at",
            "actor",
            "action",
            "record_type",
            "record_id",
            "person_id",
            "request_id",
            "reason",
        ]
    )
    count = 0
    for e in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                e.id,
                e.at.isoformat(),
                e.actor_email,
                e.action,
                e.target_type,
                e.target_id,
                e.person_id,
                e.request_id,
                e.reason,
            ]
        )
        count += 1
    audit.record(
        request.user,
        "audit.export",
        None,
        changes={"filters": {k: str(v) for k, v in filters.items() if v}, "rows": count},
    )
    return response
