"""Demand forecast pages. Each view parses input, loads through a scoped selector (404
for missing and forbidden alike), calls one service and renders. A forecast holds counts
only, so the assurance office reads every page but the two that run a forecast."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.accounts.models import Force
from vigil.core.exceptions import NotFound, ValidationFailed, VigilError
from vigil.core.forms import add_service_errors
from vigil.core.imports import FileRejected
from vigil.core.policy_registry import Source, get_policy
from vigil.demand import charts, documents, forecasting, forms, selectors
from vigil.demand.choices import ForecastSource, Method
from vigil.demand.services import forecasts as services


def _reader(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.can_read(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _runner(view):
    @_reader
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.run_force_ids(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _forces(user):
    return Force.objects.filter(pk__in=selectors.run_force_ids(user)).order_by("name")


def _get(request, uuid):
    try:
        return selectors.get_forecast_for_user(user=request.user, forecast_uuid=uuid)
    except NotFound:
        raise Http404 from None


@_reader
def forecast_list(request):
    return render(
        request,
        "demand/list.html",
        {
            "forecasts": selectors.forecast_list(user=request.user),
            "can_run": bool(selectors.run_force_ids(request.user)),
        },
    )


@_runner
def forecast_from_records(request):
    form = forms.RecordsForm(
        request.POST if request.method == "POST" else None, forces=_forces(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            forecast = services.forecast_from_records(
                actor=request.user,
                force=form.cleaned_data["force"],
                title=form.cleaned_data["title"],
            )
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("demand:detail", uuid=forecast.uuid)
    return render(request, "demand/run.html", {"form": form}, status=422 if form.errors else 200)


@_runner
def forecast_upload(request):
    post = request.method == "POST"
    form = forms.SeriesForm(
        request.POST if post else None,
        request.FILES if post else None,
        forces=_forces(request.user),
    )
    problems: list = []
    if post and form.is_valid():
        try:
            points = forecasting.parse_csv(form.cleaned_data["file"].read())
            forecast = services.forecast_create(
                actor=request.user,
                force=form.cleaned_data["force"],
                title=form.cleaned_data["title"],
                source=ForecastSource.SERIES,
                points=points,
            )
        except FileRejected as exc:
            form.add_error("file", _("The series has problems: nothing was forecast."))
            problems = exc.problems
        except VigilError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("demand:detail", uuid=forecast.uuid)
    return render(
        request,
        "demand/upload.html",
        {"form": form, "problems": problems},
        status=422 if form.errors else 200,
    )


def _percent(fraction):
    return None if fraction is None else round(fraction * 100, 1)


def forecast_context(forecast) -> dict:
    """What the forecast page (and one column of the comparison) shows."""
    result = forecast.result
    methods = [
        {
            **m,
            "label": Method(m["method"]).label if m["method"] in Method.values else m["method"],
            "mape_percent": _percent(m["mape"]),
            "coverage_percent": _percent(m["coverage"]),
        }
        for m in result["backtest"]["methods"]
    ]
    assumptions = []
    for key, used in sorted(forecast.policies.items()):
        try:
            policy = get_policy(key)
        except KeyError:
            continue
        assumptions.append(
            {
                "key": key,
                "label": policy.label,
                "value": used["value"],
                "unit": policy.unit,
                "source": Source(used["source"]).label
                if used["source"] in Source.values
                else used["source"],
            }
        )
    observed = list(result["history"])
    return {
        "forecast": forecast,
        "chart": charts.forecast_svg(observed, result["forecast"], title=_("History and forecast")),
        "rows": result["forecast"],
        "history": observed,
        "methods": methods,
        "chosen": next(m for m in methods if m["chosen"]),
        "backtest_rows": [
            {**r, "error_percent": _percent(r["error"])} for r in result["backtest"]["rows"]
        ],
        "calibration": result["backtest"].get("calibration", []),
        "filled_years": result.get("filled_years", []),
        "assumptions": assumptions,
        "staffing": forecast.staffing or None,
        "exit_rate_percent": _percent((forecast.staffing or {}).get("exit_rate")),
        "interval_percent": round(forecast.interval * 100),
    }


@_reader
def forecast_detail(request, uuid):
    return render(request, "demand/detail.html", forecast_context(_get(request, uuid)))


def _download(request, uuid, document):
    forecast = _get(request, uuid)
    try:
        return documents.download(request, forecast, document)
    except ValidationFailed as exc:
        # Only a hand-made address gets here: the page offers English and Welsh.
        return render(request, "errors/400.html", {"message": exc.message}, status=400)


@_reader
def forecast_pdf(request, uuid):
    return _download(request, uuid, documents.PDF)


@_reader
def forecast_xlsx(request, uuid):
    return _download(request, uuid, documents.XLSX)


@_reader
def forecast_compare(request):
    chosen = request.GET.getlist("forecast")[:2]
    if len(chosen) != 2:
        return render(
            request,
            "demand/compare.html",
            {"columns": [], "forecasts": selectors.forecast_list(user=request.user)},
        )
    columns = [forecast_context(_get(request, uuid)) for uuid in chosen]
    return render(request, "demand/compare.html", {"columns": columns})
