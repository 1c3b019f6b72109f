"""Pre-charge bail through the API (point F): the bail board, an investigation's bails
and extending bail.
"""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.core.exceptions import Conflict, PermissionDenied
from vigil.investigations import selectors, services
from vigil.investigations.api.common import Ref, _investigation, router


class PeriodOut(Schema):
    id: uuid.UUID
    stage: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    ended_early_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    check_due_at: dt.datetime
    authorised_by: Ref
    authorised_at: dt.datetime
    rank_required: str
    authoriser_rank: str
    rationale: str
    court_application: uuid.UUID | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_court_application(obj):
        return obj.court_application.uuid if obj.court_application_id else None


class ConditionOut(Schema):
    id: uuid.UUID
    text: str
    imposed_at: dt.datetime
    imposed_by: Ref
    victim_views: uuid.UUID
    removed_at: dt.datetime | None
    removed_by: Ref | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_victim_views(obj):
        return obj.victim_views.uuid


class VictimViewsOut(Schema):
    id: uuid.UUID
    sought_at: dt.datetime
    recorded_by: Ref
    views: str
    not_sought_reason: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class CheckOut(Schema):
    id: uuid.UUID
    period: uuid.UUID
    checked_at: dt.datetime
    method: str
    outcome: str
    breach_action: str
    note: str
    checked_by: Ref

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_period(obj):
        return obj.period.uuid


class CourtApplicationOut(Schema):
    id: uuid.UUID
    court: str
    grounds: str
    applied_at: dt.datetime
    applied_by: Ref
    bail_expiry_at_application: dt.datetime
    outcome: str
    decided_on: dt.date | None
    new_end_date: dt.date | None
    decision_note: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class BailOut(Schema):
    id: uuid.UUID
    investigation: uuid.UUID
    suspect: Ref
    decision: uuid.UUID
    start_date: dt.date
    started_at: dt.datetime
    stage: str
    ends_at: dt.datetime
    check_due_at: dt.datetime | None
    ended_at: dt.datetime | None
    end_reason: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_investigation(obj):
        return obj.investigation.uuid

    @staticmethod
    def resolve_suspect(obj):
        return obj.investigation.suspect

    @staticmethod
    def resolve_decision(obj):
        return obj.decision.uuid


class BailDetailOut(BailOut):
    periods: list[PeriodOut]
    conditions: list[ConditionOut]
    victim_views: list[VictimViewsOut]
    checks: list[CheckOut]
    court_applications: list[CourtApplicationOut]

    @staticmethod
    def resolve_periods(obj):
        return list(obj.periods.all())

    @staticmethod
    def resolve_conditions(obj):
        return list(obj.conditions.all())

    @staticmethod
    def resolve_victim_views(obj):
        return list(obj.victim_views.all())

    @staticmethod
    def resolve_checks(obj):
        return list(obj.checks.all())

    @staticmethod
    def resolve_court_applications(obj):
        return list(obj.court_applications.all())


class ExtendIn(Schema):
    rationale: str = ""


class BailBoardFilters(Schema):
    expiring_days: int | None = None
    checks_owed: bool = False


@router.get("/bail-board", response=list[BailOut])
@paginate(PageNumberPagination, page_size=50)
def bail_board(request, filters: Query[BailBoardFilters]):
    """Active bails of investigations the caller's teams own (supervisors) or allocated to
    the caller: soonest expiry first, or with `checks_owed`, soonest check due first."""
    if not access.has_role(request.user, "officer", "supervisor", "manager"):
        raise PermissionDenied(_("Your role does not allow this."))
    expiring, checks = selectors.bail_board(user=request.user, expiring_days=filters.expiring_days)
    return checks if filters.checks_owed else expiring


def _active_bail(request, investigation_id: uuid.UUID):
    investigation = _investigation(request, investigation_id, "edit")
    bail = selectors.active_bail(investigation)
    if bail is None:
        raise Conflict(_("The suspect is not on pre-charge bail."))
    bail.investigation = investigation
    return bail


def _bail_detail(bail):
    return next(b for b in selectors.bail_history(bail.investigation) if b.pk == bail.pk)


@router.get("/{investigation_id}/bails", response=list[BailDetailOut])
def list_bails(request, investigation_id: uuid.UUID):
    """Every bail of the investigation, newest first, with periods, conditions, victims'
    views, condition checks and court applications."""
    return selectors.bail_history(_investigation(request, investigation_id))


@router.post("/{investigation_id}/bail/extensions", response={201: PeriodOut})
def extend_bail(request, investigation_id: uuid.UUID, payload: ExtendIn):
    """Extend the active bail to its next stage, authorised by the caller (whose rank must
    be the stage's: inspector to 6 months, superintendent to 9, by default from PACE)."""
    bail = _active_bail(request, investigation_id)
    return Status(
        201, services.bail_extend(actor=request.user, bail=bail, rationale=payload.rationale)
    )
