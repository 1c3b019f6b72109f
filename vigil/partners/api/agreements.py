"""Agreements with their versions and terms, and the agreed-times figures."""

import datetime as dt
import uuid

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import start_of_day
from vigil.core.exceptions import ValidationFailed
from vigil.partners import selectors
from vigil.partners.api.base import require_partner, router


class TermOut(Schema):
    kind: str
    direction: str
    amount: int
    unit: str
    urgent_amount: int
    urgent_unit: str


class VersionOut(Schema):
    number: int
    effective_from: dt.date
    notes: str
    terms: list[TermOut]

    @staticmethod
    def resolve_terms(obj):
        return list(obj.terms.all())


class ReviewOut(Schema):
    id: uuid.UUID
    held_on: dt.date
    period_start: dt.date
    period_end: dt.date
    police_notes: str
    probation_notes: str
    actions: str
    recorded_by: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.full_name


class AgreementOut(Schema):
    id: uuid.UUID
    force: str
    region: str
    region_cy: str
    police_owner: str
    probation_owner: str
    started_on: dt.date

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_force(obj):
        return obj.force.code

    @staticmethod
    def resolve_region(obj):
        return obj.region.name

    @staticmethod
    def resolve_region_cy(obj):
        return obj.region.name_cy

    @staticmethod
    def resolve_police_owner(obj):
        return obj.police_owner.full_name

    @staticmethod
    def resolve_probation_owner(obj):
        return obj.probation_owner.full_name


class AgreementDetailOut(AgreementOut):
    versions: list[VersionOut]
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.prefetch_related("terms").order_by("-number"))

    @staticmethod
    def resolve_reviews(obj):
        return list(obj.reviews.select_related("recorded_by").order_by("-held_on"))


class FiguresOut(Schema):
    direction: str
    due: int
    within: int
    percent: int | None
    median_hours: float | None
    overdue: int
    escalations: int


class DashboardOut(Schema):
    period_start: dt.datetime
    period_end: dt.datetime
    directions: list[FiguresOut]


class DashboardFilter(Schema):
    months: int = 3


@router.get("/agreements", response=list[AgreementOut])
def list_agreements(request):
    """The agreements of the caller's force (or region)."""
    require_partner(request)
    audit.record(request.user, "partners.agreements_list", None)
    return list(selectors.agreements_for(request.user))


@router.get("/agreements/{agreement_id}", response=AgreementDetailOut)
def get_agreement(request, agreement_id: uuid.UUID):
    """One agreement with its versions (and their response times) and reviews; audited."""
    require_partner(request)
    agreement = selectors.get_agreement_for_user(request.user, agreement_id)
    audit.record(request.user, "partners.agreement_view", agreement)
    return agreement


@router.get("/dashboard", response=DashboardOut)
def dashboard(request, filters: Query[DashboardFilter]):
    """Per direction, over the last `months` (3, 6, 12 or 24): requests due, answered within
    the agreed time, median response in hours, overdue now, escalations."""
    require_partner(request)
    if filters.months not in (3, 6, 12, 24):
        raise ValidationFailed(_("Choose 3, 6, 12 or 24 months"), field="months")
    now = clock.now()
    today = timezone.localdate(now)
    start = start_of_day(today - relativedelta(months=filters.months) + dt.timedelta(days=1))
    end = start_of_day(today + dt.timedelta(days=1))
    rows = selectors.sla_figures(
        queryset=selectors.request_scope(request.user), start=start, end=end, now=now
    )
    audit.record(request.user, "partners.dashboard_view", None, changes={"months": filters.months})
    return {"period_start": start, "period_end": end, "directions": rows}
