"""Dip-checks of visit authorisations through the API: the caller's own checks (as on the
page: a supervisor or manager sees the checks assigned to them), by month, and recording
an outcome. The sample itself is drawn by the sweep (`services/dipchecks_sweep.py`)."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.core.exceptions import PermissionDenied
from vigil.offenders import selectors, services
from vigil.offenders.api.common import _Id, router
from vigil.offenders.choices import DipCheckOutcome


class DipCheckOut(_Id):
    month: dt.date = Field(description="The first day of the month sampled.")
    nominal_id: uuid.UUID
    visit_id: uuid.UUID
    visited_at: dt.datetime
    authorised_by: str
    authorised_at: dt.datetime
    rationale: str
    authorised_in_time: bool
    outcome: str = Field(description="agree or disagree; empty until recorded.")
    note: str
    checked_at: dt.datetime | None

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.authorisation.visit.nominal.uuid

    @staticmethod
    def resolve_visit_id(obj):
        return obj.authorisation.visit.uuid

    @staticmethod
    def resolve_visited_at(obj):
        return obj.authorisation.visit.visited_at

    @staticmethod
    def resolve_authorised_by(obj):
        return obj.authorisation.authorised_by.full_name

    @staticmethod
    def resolve_authorised_at(obj):
        return obj.authorisation.authorised_at

    @staticmethod
    def resolve_rationale(obj):
        return obj.authorisation.rationale

    @staticmethod
    def resolve_authorised_in_time(obj):
        return obj.authorisation.in_time


class DipCheckFilter(Schema):
    month: str | None = Field(
        None,
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="Only the checks of this month (YYYY-MM).",
    )
    open: bool | None = Field(None, description="true: only those not yet recorded.")


class DipCheckIn(Schema):
    outcome: DipCheckOutcome
    note: str = Field(max_length=10000)


def _reviewer(request) -> None:
    """The page's rule: supervisors and managers (an administrator's role alone does not
    make them a reviewer)."""
    if not access.has_role(request.user, *SUPERVISORY_ROLES):
        raise PermissionDenied(_("Only supervisors and managers dip-check authorisations."))


@router.get("/dip-checks", response=list[DipCheckOut])
@paginate(PageNumberPagination, page_size=50)
def list_dip_checks(request, filters: Query[DipCheckFilter]):
    """The dip-checks assigned to the caller, open first (the page's list)."""
    _reviewer(request)
    qs = selectors.dip_checks_for(user=request.user)
    if filters.month:
        qs = qs.filter(month=dt.date.fromisoformat(f"{filters.month}-01"))
    if filters.open is not None:
        qs = qs.filter(checked_at__isnull=filters.open)
    return qs


@router.get("/dip-checks/{dip_check_id}", response=DipCheckOut)
def get_dip_check(request, dip_check_id: uuid.UUID):
    _reviewer(request)
    return selectors.get_dip_check_for_user(request.user, dip_check_id)


@router.post("/dip-checks/{dip_check_id}", response=DipCheckOut)
def record_dip_check(request, dip_check_id: uuid.UUID, payload: DipCheckIn):
    """Agree or disagree with the authorisation, with a note (the assigned reviewer only;
    another's check is 404, a check already recorded 409)."""
    _reviewer(request)
    check = selectors.get_dip_check_for_user(request.user, dip_check_id)
    services.dip_check_record(
        actor=request.user, dip_check=check, outcome=payload.outcome.value, note=payload.note
    )
    return selectors.get_dip_check_for_user(request.user, dip_check_id)
