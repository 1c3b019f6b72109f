"""Demand forecasts through the API: the same selectors, services and access rules as
the pages. A reader of no force is 403; a forecast of another force is 404; a series
with bad rows is 422 naming each row."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts.models import Force
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.demand import documents, forecasting, selectors
from vigil.demand.choices import ForecastSource
from vigil.demand.services import forecasts as services

router = Router(tags=["demand"])


def _require_reader(request) -> None:
    if not selectors.can_read(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


class ForecastOut(Schema):
    id: uuid.UUID
    title: str
    force: str
    source: str
    created_by: str
    created_at: dt.datetime
    method: str
    origin: dt.date
    horizon: int
    interval: float
    backtest_mape: float | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_force(obj):
        return obj.force.code

    @staticmethod
    def resolve_created_by(obj):
        return obj.created_by.email


class ForecastDetailOut(ForecastOut):
    series: list[dict]
    policies: dict
    result: dict
    staffing: dict


class PointIn(Schema):
    period_end: str
    value: str | float


class ForecastIn(Schema):
    force: str
    title: str
    source: str = ForecastSource.SERIES
    series: list[PointIn] = []


@router.get("", response=list[ForecastOut])
@paginate(PageNumberPagination, page_size=50)
def list_forecasts(request):
    """The saved forecasts of the forces the caller reads, newest first."""
    _require_reader(request)
    return selectors.forecast_list(user=request.user)


@router.get("/{forecast_id}", response=ForecastDetailOut)
def get_forecast(request, forecast_id: uuid.UUID):
    """One forecast with its series, policies, result, backtest and staffing."""
    _require_reader(request)
    return selectors.get_forecast_for_user(user=request.user, forecast_uuid=forecast_id)


def _binary(media_type: str, what: str) -> dict:
    return {
        "responses": {
            200: {
                "description": what,
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get("/{forecast_id}/pdf", openapi_extra=_binary("application/pdf", "The forecast as a PDF"))
def get_forecast_pdf(request, forecast_id: uuid.UUID, language: str | None = None):
    """The forecast as a PDF (marked OFFICIAL-SENSITIVE), in `language` (`en` or `cy`;
    the caller's language when not given). Audited."""
    _require_reader(request)
    forecast = selectors.get_forecast_for_user(user=request.user, forecast_uuid=forecast_id)
    return documents.download(request, forecast, documents.PDF)


@router.get(
    "/{forecast_id}/xlsx",
    openapi_extra=_binary(documents.XLSX_TYPE, "The forecast as a workbook, one sheet per table"),
)
def get_forecast_xlsx(request, forecast_id: uuid.UUID, language: str | None = None):
    """The forecast as an XLSX workbook (one sheet per table), in `language` (`en` or
    `cy`). Audited."""
    _require_reader(request)
    forecast = selectors.get_forecast_for_user(user=request.user, forecast_uuid=forecast_id)
    return documents.download(request, forecast, documents.XLSX)


@router.post("", response={201: ForecastDetailOut})
def create_forecast(request, payload: ForecastIn):
    """Run and save a forecast: from an uploaded `series` (`source=series`, rows of
    `period_end` and `value`) or from the force's own records (`source=records`)."""
    _require_reader(request)
    force = Force.objects.filter(
        code=payload.force, pk__in=selectors.read_force_ids(request.user)
    ).first()
    if force is None:
        raise NotFound(_("There is no such record, or you do not have access to it."))
    if payload.source == ForecastSource.RECORDS:
        forecast = services.forecast_from_records(
            actor=request.user, force=force, title=payload.title
        )
    elif payload.source == ForecastSource.SERIES:
        points = forecasting.check_rows(
            [
                (i, str(p.period_end).strip(), str(p.value).strip())
                for i, p in enumerate(payload.series, start=1)
            ]
        )
        forecast = services.forecast_create(
            actor=request.user,
            force=force,
            title=payload.title,
            source=ForecastSource.SERIES,
            points=points,
        )
    else:
        raise ValidationFailed(_("Choose where the series comes from"), field="source")
    return Status(201, forecast)
