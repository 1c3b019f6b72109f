"""Saving a demand forecast: atomic, audited, and with its refresh duty in the same
transaction."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts.models import Force
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import get_policy, policy_values
from vigil.demand import duty_kinds, forecasting, policies, records, selectors, stockflow
from vigil.demand.choices import ForecastSource
from vigil.demand.models import Forecast

# The policies every forecast records, with their values and sources.
FORECAST_POLICIES = [policies.HORIZON, policies.INTERVAL, policies.REFRESH]


def policies_used(keys: list[str]) -> dict[str, dict]:
    """The values in force now of `keys`, each with its unit and source, as a forecast
    keeps them."""
    values = policy_values(keys)
    out = {}
    for key in keys:
        policy = get_policy(key)
        out[key] = {"value": values[key], "unit": str(policy.unit), "source": str(policy.source)}
    return out


@transaction.atomic
def forecast_create(
    *,
    actor,
    force: Force,
    title: str,
    source: str,
    points: list[forecasting.Point],
    staffing=None,
    extra_policies: list[str] | None = None,
) -> Forecast:
    """Forecast `points` and save the forecast for `force`.

    Steps: the actor runs forecasts for the force (else 404 for a force they cannot
    see, 403 for one they only read); the title is given; the series is checked (at
    least five years, no year twice); forecast with the horizon and interval in force,
    the method chosen by backtest; `staffing(document, policies)`, when given, adds the
    staff needed; saved with the series, the policies and the backtest; audited; the force's earlier refresh duties are completed and this one's
    opened, due when the forecast is `demand.refresh_months` old.
    """
    if force.pk not in selectors.read_force_ids(actor):
        raise NotFound(_("There is no such record, or you do not have access to it."))
    if force.pk not in selectors.run_force_ids(actor):
        raise PermissionDenied(
            _("Only a manager or analyst of a MOSOVO team can run a demand forecast.")
        )
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("Enter a title for the forecast"), field="title")
    if len(title) > 200:
        raise ValidationFailed(_("The title must be 200 characters or fewer"), field="title")
    if source not in ForecastSource.values:
        raise ValidationFailed(_("Choose where the series comes from"), field="source")
    points = forecasting.check_rows(
        [(i, p.period_end.isoformat(), str(p.value)) for i, p in enumerate(points, start=1)]
    )
    used = policies_used(FORECAST_POLICIES + list(extra_policies or []))
    horizon = int(used[policies.HORIZON]["value"])
    level = used[policies.INTERVAL]["value"] / 100
    try:
        result = forecasting.forecast(points, horizon=horizon, level=level)
    except forecasting.NoMethod:
        # A series no method can fit (e.g. every year zero): the user's answer, not a 500.
        raise ValidationFailed(
            _(
                "No forecasting method could be fitted to this series. Check the values, "
                "or give a longer series."
            ),
            field="source",
        ) from None
    document = result.as_json()
    chosen = next(m for m in document["backtest"]["methods"] if m["chosen"])
    team = selectors.refresh_team(actor, force.pk)
    forecast = Forecast.objects.create(
        force=force,
        team=team,
        title=title,
        source=source,
        created_by=actor,
        series=[{"period_end": p.period_end.isoformat(), "value": p.value} for p in points],
        policies=used,
        method=result.method,
        origin=result.origin,
        horizon=horizon,
        interval=level,
        backtest_mape=chosen["mape"],
        result=document,
        staffing=staffing(document, used) if staffing else {},
    )
    audit.record(
        actor,
        "demand.forecast_create",
        forecast,
        changes={
            "force": force.code,
            "source": source,
            "years": len(points),
            "method": result.method,
            "origin": result.origin.isoformat(),
            "horizon": horizon,
            "backtest_mape": chosen["mape"],
        },
    )
    _refresh_duties(actor, forecast, months=int(used[policies.REFRESH]["value"]))
    return forecast


def _refresh_duties(actor, forecast: Forecast, *, months: int) -> None:
    from vigil.duties import services as duties
    from vigil.duties.models import Duty

    earlier = Forecast.objects.filter(force_id=forecast.force_id).exclude(pk=forecast.pk)
    still_open = Duty.objects.filter(
        kind=duty_kinds.REFRESH, completed_at__isnull=True, subject_type="demand.forecast"
    ).values("subject_id")
    for older in earlier.filter(uuid__in=still_open).only("uuid"):
        duties.duty_complete(actor=actor, kind=duty_kinds.REFRESH, subject=older)
    due: dt.date = clock.now().date() + relativedelta(months=months)
    duties.duty_open(
        actor=actor,
        kind=duty_kinds.REFRESH,
        subject=forecast,
        team=forecast.team,
        due_at=end_of_day(due),
    )


def staffing_policies() -> list[str]:
    """The policies a forecast of the records staffs by: the workforce app's workload
    weights and threshold when it declares them (policies.py says why and how), else the
    demand app's hours per nominal; with the officer hours, abstractions and ratio."""
    weights = policies.workforce_weight_keys()
    hours = weights or list(policies.HOURS.values())
    return [*hours, policies.OFFICER_HOURS, policies.ABSTRACTION, policies.SUPERVISOR_RATIO]


def workload_hours(values: dict) -> tuple[dict[str, float], dict]:
    """Officer hours a year per nominal by risk level from the policy `values`, and how
    they were worked out (kept with the forecast and shown beside it)."""
    available = float(values[policies.OFFICER_HOURS]) * (1 - values[policies.ABSTRACTION] / 100)
    if policies.WORKFORCE_THRESHOLD in values:
        threshold = float(values[policies.WORKFORCE_THRESHOLD])
        per_point = available / threshold if threshold else 0.0
        hours = {
            level: float(values[key]) * per_point
            for level, key in policies.WORKFORCE_WEIGHTS.items()
        }
        basis = {
            "basis": "workforce",
            "threshold_points": threshold,
            "hours_per_point": round(per_point, 2),
        }
    else:
        hours = {level: float(values[key]) for level, key in policies.HOURS.items()}
        basis = {"basis": "demand"}
    basis["hours"] = {level: round(h, 1) for level, h in hours.items()}
    return hours, basis


def forecast_from_records(*, actor, force: Force, title: str) -> Forecast:
    """Forecast the force's managed population and the staff it needs from its own
    records (stockflow.py's steps), and save it with forecast_create.

    The series forecast is new registrations a year; the stock, its interval, the
    split by risk level and the offender managers and supervisors needed each year are
    kept in `staffing`, with today's establishment beside them."""
    if force.pk not in selectors.read_force_ids(actor):
        raise NotFound(_("There is no such record, or you do not have access to it."))
    today = clock.today()
    people = records.force_records(force.pk)
    rows = stockflow.history(people, today)
    points = stockflow.registrations_series(rows)
    if len(points) < forecasting.MIN_ROWS:
        raise ValidationFailed(
            _(
                "The force's records hold %(count)s complete years of registrations: at "
                "least %(minimum)s are needed. Upload a published yearly series instead."
            )
            % {"count": len(points), "minimum": forecasting.MIN_ROWS},
            field="source",
        )

    keys = staffing_policies()

    def staffing(document: dict, used: dict) -> dict:
        values = {key: used[key]["value"] for key in keys}
        hours, workload = workload_hours(values)
        plan = stockflow.Staffing(
            hours=hours,
            officer_hours=float(values[policies.OFFICER_HOURS]),
            abstraction=values[policies.ABSTRACTION] / 100,
            officers_per_supervisor=float(values[policies.SUPERVISOR_RATIO]),
        )
        rate = stockflow.other_exit_rate(rows)
        return {
            "history": rows,
            "exit_rate": round(rate, 4),
            "risk_shares": {
                k: round(v, 4) for k, v in stockflow.risk_shares(people, today).items()
            },
            "years": stockflow.project(
                people,
                today=today,
                registrations=document["forecast"],
                exit_rate=rate,
                staffing=plan,
            ),
            "establishment": records.establishment(force.pk),
            "workload": workload,
        }

    return forecast_create(
        actor=actor,
        force=force,
        title=title,
        source=ForecastSource.RECORDS,
        points=points,
        staffing=staffing,
        extra_policies=keys,
    )


def forecast_document_record(*, actor, forecast: Forecast, document: str, language: str) -> None:
    """A forecast was downloaded as a document (audited, like every export). The caller
    has read it through the scoped selector."""
    from vigil.demand.documents import FORMATS, LANGUAGES

    if document not in FORMATS:
        raise ValidationFailed(_("Choose PDF or XLSX"), field="format")
    if language not in LANGUAGES:
        raise ValidationFailed(_("Choose English or Welsh"), field="language")
    audit.record(
        actor,
        "demand.forecast_download",
        forecast,
        changes={"force": forecast.force.code, "format": document, "language": language},
    )
