"""The auditor's search page, one event's details, and CSV export of a search (itself
audited)."""

from __future__ import annotations

import csv
import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts.choices import Role
from vigil.audit import selectors
from vigil.audit.actions import action_label
from vigil.audit.forms import AuditSearchForm
from vigil.core.decorators import role_required
from vigil.core.exports import csv_row
from vigil.core.pagination import paginate


def _form(request) -> AuditSearchForm:
    return AuditSearchForm(request.GET or None, actions=selectors.audit_actions())


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
    form = _form(request)
    page_obj = None
    if form.is_bound and form.is_valid():
        page_obj = paginate(
            request, selectors.audit_event_search(user=request.user, **_filters(form))
        )
    elif not form.is_bound:
        page_obj = paginate(request, selectors.audit_event_search(user=request.user))
    if page_obj is not None:
        for event in page_obj:
            event.label = action_label(event.action)
    return render(request, "audit/search.html", {"form": form, "page_obj": page_obj})


def _change_rows(changes) -> tuple[list[dict], list[dict]]:
    """An event's `changes` as (before/after rows, other rows): a value that is a pair is a
    field's [before, after] (as `diff` writes it); anything else is a detail of the event."""
    pairs, details = [], []
    if not isinstance(changes, dict):
        return pairs, [{"name": "", "value": _shown(changes)}]
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            pairs.append({"name": name, "before": _shown(value[0]), "after": _shown(value[1])})
        else:
            details.append({"name": name, "value": _shown(value)})
    return pairs, details


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@role_required(Role.AUDITOR)
def event_detail(request, event_id: int):
    """One event in full: who, what, when, the record, and what changed (before/after).
    Reading it is audited, as the changes can hold personal details."""
    event = selectors.audit_event(event_id, user=request.user)
    if event is None:
        raise Http404
    audit.record(request.user, "audit.event_view", event, changes={"event": event.id})
    pairs, details = _change_rows(event.changes)
    return render(
        request,
        "audit/event.html",
        {
            "event": event,
            "label": action_label(event.action),
            "pairs": pairs,
            "details": details,
            "raw_changes": json.dumps(event.changes, ensure_ascii=False, indent=2, sort_keys=True),
        },
    )


def _csv_header() -> list[str]:
    return [
        _("Event"),
        _("When (UTC)"),
        _("User"),
        _("Action"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        _("Person's id"),
        _("Request id"),
        _("Reason"),
        _("Changes (JSON)"),
    ]


@role_required(Role.AUDITOR)
def export(request):
    form = _form(request)
    if not form.is_valid():
        return search(request)
    filters = _filters(form)
    events = selectors.audit_event_search(user=request.user, **filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vigil-audit.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8 (Welsh)
    writer = csv.writer(response)
    writer.writerow(_csv_header())
    count = 0
    for e in events.iterator(chunk_size=2000):
        writer.writerow(
            csv_row(
                [
                    e.id,
                    e.at.isoformat(),
                    e.actor_email,
                    e.action,
                    e.target_type,
                    e.target_id,
                    e.target_label,
                    e.person_id,
                    e.request_id,
                    e.reason,
                    json.dumps(e.changes, ensure_ascii=False, sort_keys=True),
                ]
            )
        )
        count += 1
    audit.record(
        request.user,
        "audit.export",
        None,
        changes={"filters": {k: str(v) for k, v in filters.items() if v}, "rows": count},
    )
    return response
