"""Assurance pages: the dashboard, a point with its evidence, narrative and trend, the
register's edit forms (assurance office), the drill-down to the gap records (supervisors
and managers, within their scope), and the report. Aggregates only, except the
drill-down, which shows record references and dates, never a name."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vigil.accounts.choices import Role
from vigil.assurance import charts, forms, metrics, reporting, selectors, services, trends
from vigil.assurance.choices import RAG_TAG
from vigil.core.decorators import role_required
from vigil.core.exceptions import NotFound, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.pagination import paginate

READERS = (Role.ASSURANCE, Role.SUPERVISOR, Role.MANAGER)
readers = role_required(*READERS)
editors = role_required(Role.ASSURANCE)
SPARK_MONTHS = 6


def _as_of(request) -> dt.date | None:
    form = forms.AsOfForm(request.GET or None)
    return form.cleaned_data.get("as_of") if form.is_valid() else None


def _cell(value, labels: dict) -> str:
    """A drill-down cell as text: dates in Europe/London, codes by their label."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return str(labels.get(str(value), value))


def _tag(status: str) -> str:
    return RAG_TAG.get(status, "govuk-tag--grey")


def _scope(request) -> selectors.Scope:
    """The force whose figures the page shows (`?force=CODE`): the user's own by default;
    a force that is not theirs is 404."""
    try:
        return selectors.scope_for(request.user, request.GET.get("force"))
    except NotFound:
        raise Http404 from None


def _force_query(scope: selectors.Scope) -> str:
    return f"&force={scope.code}" if scope.code else ""


@readers
def dashboard(request):
    """Every point as a row: id, short text, deadline, status, headline figure, sparkline;
    filtered by recommendation and status, as of any date, for the user's force. Queries:
    the register, one per metric, one for the snapshots."""
    scope = _scope(request)
    numbers = [r.number for r in selectors.recommendations()]
    form = forms.AsOfForm(request.GET or None, numbers=numbers, scope=scope)
    data = form.cleaned_data if form.is_valid() else {}
    evaluation = selectors.evaluate(
        data.get("as_of"),
        recommendation=data.get("recommendation"),
        status=data.get("status") or "",
        force=scope.force,
        stored=True,
    )
    window = evaluation.window
    headlines = [row.headline for row in evaluation.rows if row.headline]
    history = trends.series(
        [h.metric.key for h in headlines if h.measurable],
        trends.grain_dates(window.as_of, SPARK_MONTHS),
        force=scope.force,
        # Stored snapshots only: the dashboard must stay fast (the point page computes the
        # missing ones).
        compute_missing=False,
    )
    language = translation.get_language()
    rows = []
    for row in evaluation.rows:
        head = row.headline
        spark, stored, cases = "", False, False
        if head is not None and head.measurable:
            series = history.get(head.metric.key)
            stored = bool(series and series.days)
            cases = bool(series and series.has_cases)
            if cases:
                spark = charts.sparkline_svg(
                    [d.value for d in series.days],
                    title=_("%(label)s: the last six months, weekly")
                    % {"label": head.metric.label},
                )
        rows.append(
            {
                "point": row.point,
                "text": row.point.text(language),
                "status": row.status,
                "tag": _tag(row.status),
                "headline": head,
                "spark": spark,
                "stored": stored,
                "cases": cases,
                "deadline_passed": row.point.deadline < window.as_of,
            }
        )
    return render(
        request,
        "assurance/dashboard.html",
        {
            "form": form,
            "window": window,
            "stored_at": evaluation.stored_at,
            "rows": rows,
            "scope": scope,
            "force_query": _force_query(scope),
            "query": request.GET.urlencode(),
        },
    )


def _point_or_404(letter):
    try:
        return selectors.get_point(letter)
    except NotFound:
        raise Http404 from None


@readers
def point_detail(request, letter):
    """A point: its text, deadline, owner and status; every metric with its definition,
    figures and trend (a chart against the thresholds with the policy changes marked, and
    the numbers in a table to open); the narrative history; edit forms for the office."""
    scope = _scope(request)
    point = _point_or_404(letter)
    as_of = _as_of(request)
    trend_data = request.GET.copy()
    trend_data.setdefault("range", trends.DEFAULT_RANGE)
    trend_form = forms.TrendForm(trend_data)
    evaluation = selectors.evaluate(as_of, letters=[point.letter], force=scope.force)
    window = evaluation.window
    row = evaluation.rows[0]
    months = trend_form.months()
    dates = trends.grain_dates(window.as_of, months)
    start = window.as_of - relativedelta(months=months)
    history = trends.series(
        [r.metric.key for r in row.results if r.measurable], dates, force=scope.force
    )
    marks = trends.policy_marks(start, window.as_of)
    thresholds = metrics.thresholds_at(window.moment)
    figures = []
    for r in row.results:
        series = history.get(r.metric.key)
        svg = ""
        # A chart needs at least one date with cases; dates without are gaps in the line.
        if series is not None and series.has_cases:
            svg = charts.dated_trend_svg(
                series.days,
                title=_("%(label)s, %(grain)s from %(start)s to %(end)s")
                % {
                    "label": r.metric.label,
                    "grain": trends.grain_label(months),
                    "start": start.isoformat(),
                    "end": window.as_of.isoformat(),
                },
                start=start,
                end=window.as_of,
                green=thresholds.green / 100,
                amber=thresholds.amber / 100,
                marks=marks,
            )
        figures.append(
            {
                "result": r,
                "tag": _tag(r.status),
                "svg": svg,
                "snapshots": list(reversed(series.days)) if series is not None else [],
                "drill": selectors.can_drill_down(request.user) and r.measurable and r.gap,
            }
        )
    can_edit = services.can_edit(request.user)
    context = {
        "point": point,
        "text": point.text(translation.get_language()),
        "owner": point.owner(translation.get_language()),
        "window": window,
        "status": row.status,
        "tag": _tag(row.status),
        "figures": figures,
        "marks": marks,
        "thresholds": thresholds,
        "grain": trends.grain_label(months),
        "updates": selectors.point_updates(point),
        "trend_form": trend_form,
        "trend_start": start,
        "trend_end": window.as_of,
        "can_edit": can_edit,
        "scope": scope,
        "as_of_query": f"as_of={window.as_of.isoformat()}{_force_query(scope)}",
    }
    if can_edit:
        context["point_form"] = forms.PointForm(
            initial={"status": point.status, "owner_en": point.owner_en, "owner_cy": point.owner_cy}
        )
        context["narrative_form"] = forms.NarrativeForm()
    return render(request, "assurance/point.html", context)


@editors
def point_edit(request, letter):
    point = _point_or_404(letter)
    form = forms.PointForm(
        request.POST or None,
        initial={"status": point.status, "owner_en": point.owner_en, "owner_cy": point.owner_cy},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.point_update(actor=request.user, point=point, **form.cleaned_data)
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Point %(letter)s updated.") % {"letter": point.letter})
            return redirect("assurance:point", letter=point.letter)
    return render(
        request,
        "assurance/form.html",
        {
            "form": form,
            "point": point,
            "title": _("Change point %(letter)s") % {"letter": point.letter},
            "button": _("Save changes"),
        },
        status=400 if form.errors else 200,
    )


@editors
def narrative_add(request, letter):
    point = _point_or_404(letter)
    form = forms.NarrativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_add(
                actor=request.user,
                point=point,
                text=form.cleaned_data["text"],
                written_on=form.cleaned_data.get("written_on"),
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Update added to point %(letter)s.") % {"letter": point.letter}
            )
            return redirect("assurance:point", letter=point.letter)
    return render(
        request,
        "assurance/form.html",
        {
            "form": form,
            "point": point,
            "title": _("Add an update to point %(letter)s") % {"letter": point.letter},
            "button": _("Add the update"),
        },
        status=400 if form.errors else 200,
    )


@readers
def gap(request, key):
    """The records behind a figure that do not meet the standard (denominator, not
    numerator), within the user's scope. The assurance/PCC office gets 404."""
    scope = _scope(request)
    try:
        metric, window, rows = selectors.gap_rows(
            user=request.user, key=key, as_of=_as_of(request), force=scope.force
        )
    except NotFound:
        raise Http404 from None
    page = paginate(request, rows)
    url_name = metric.gap_link[0] if metric.gap_link else None
    model = rows.model
    labels = {c.name: metrics.choice_labels(model, c.path) for c in metric.gap_columns}
    items = [
        {
            "cells": [_cell(row[f"gap_{c.name}"], labels[c.name]) for c in metric.gap_columns],
            "href": reverse(url_name, args=[row["gap_link"]]) if url_name else "",
        }
        for row in page.object_list
    ]
    services.drill_down_record(
        actor=request.user,
        metric_key=metric.key,
        as_of=window.as_of,
        page=page.number,
        force=scope.force,
    )
    return render(
        request,
        "assurance/gap.html",
        {"metric": metric, "window": window, "page": page, "items": items, "scope": scope},
    )


@readers
def report(request):
    """The report form; with `format` given, the report in that format and language."""
    scope = _scope(request)
    form = forms.ReportForm(request.GET if "format" in request.GET else None, scope=scope)
    if not form.is_valid():
        return render(request, "assurance/report_form.html", {"form": form, "scope": scope})
    data = form.cleaned_data
    built = reporting.build(
        data.get("as_of"),
        language=data["language"],
        publication=data["publication"],
        force=scope.force,
    )
    suffix = "-".join(filter(None, [scope.code, built.as_of.isoformat(), built.language]))
    services.report_record(
        actor=request.user,
        force=scope.force,
        as_of=built.as_of,
        language=built.language,
        document=data["format"],
        publication=built.publication,
    )
    if data["format"] == "pdf":
        response = HttpResponse(reporting.render_pdf(built), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="vigil-assurance-{suffix}.pdf"'
        return response
    if data["format"] == "xlsx":
        response = HttpResponse(
            reporting.render_xlsx(built),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="vigil-assurance-{suffix}.xlsx"'
        return response
    with translation.override(built.language):
        return render(request, "assurance/report.html", {"report": built})
