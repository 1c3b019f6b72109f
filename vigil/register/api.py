"""Register reconciliation through the API: the same selectors, services and access rules
as the pages. Missing or out of scope is 404 (the assurance role included, for anything
with personal data); an extract with bad rows is 422 listing every bad line."""

import base64
import binascii
import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.accounts.models import User
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.register import selectors, services
from vigil.register.choices import DiscrepancyStatus
from vigil.register.models import Discrepancy, Extract

router = Router(tags=["register"])


def _require_casework(request) -> None:
    if not access.is_casework_user(request.user):
        raise NotFound(_("Not found."))


def _require_importer(request) -> None:
    if not selectors.can_import(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


class DiscrepancyOut(Schema):
    id: uuid.UUID
    kind: str
    field: str
    register_reference: str
    match: str
    register_value: str
    vigil_value: str
    register_details: dict
    nominal_id: uuid.UUID | None
    team: str | None
    status: str
    opened_at: dt.datetime | None
    assignee: str | None
    resolution: str
    resolution_note: str
    closed_at: dt.datetime | None
    found_in: uuid.UUID

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid if obj.nominal_id else None

    @staticmethod
    def resolve_team(obj):
        return obj.team.name if obj.team_id else None

    @staticmethod
    def resolve_assignee(obj):
        return obj.assignee.email if obj.assignee_id else None

    @staticmethod
    def resolve_found_in(obj):
        return obj.found_in.uuid


class DiscrepancyFilter(Schema):
    status: str = DiscrepancyStatus.OPEN
    kind: str = ""
    field: str = ""


class AssignIn(Schema):
    assignee: uuid.UUID


class DiscrepancyResolveIn(Schema):
    resolution: str
    note: str


class ExtractIn(Schema):
    filename: str
    content_base64: str


class ExtractOut(Schema):
    id: uuid.UUID
    filename: str
    file_hash: str
    file_format: str
    status: str
    row_count: int
    rows_done: int
    matched_by_reference: int
    matched_by_name: int
    not_in_vigil: int
    not_on_register: int
    fields_differing: int
    opened_count: int
    closed_count: int
    imported_by: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
    already_imported: bool = False

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_imported_by(obj):
        return obj.imported_by.email


@router.get("/discrepancies", response=list[DiscrepancyOut])
@paginate(PageNumberPagination, page_size=50)
def list_discrepancies(request, filters: Query[DiscrepancyFilter]):
    """The discrepancies the caller may see (open unless `status=closed`)."""
    _require_casework(request)
    return selectors.discrepancy_list(
        user=request.user, status=filters.status, kind=filters.kind, field=filters.field
    )


def _discrepancy(request, discrepancy_id, *, audit_view=False) -> Discrepancy:
    _require_casework(request)
    return selectors.get_discrepancy_for_user(request.user, discrepancy_id, audit_view=audit_view)


@router.get("/discrepancies/{discrepancy_id}", response=DiscrepancyOut)
def get_discrepancy(request, discrepancy_id: uuid.UUID):
    """One discrepancy (the read is audited)."""
    return _discrepancy(request, discrepancy_id, audit_view=True)


@router.post("/discrepancies/{discrepancy_id}/assign", response=DiscrepancyOut)
def assign_discrepancy(request, discrepancy_id: uuid.UUID, payload: AssignIn):
    """Assign to an officer of the team (supervisors and managers)."""
    discrepancy = _discrepancy(request, discrepancy_id)
    assignee = User.objects.filter(uuid=payload.assignee, is_active=True).first()
    if assignee is None:
        raise ValidationFailed(_("Choose who to assign the discrepancy to"), field="assignee")
    services.discrepancy_assign(actor=request.user, discrepancy=discrepancy, assignee=assignee)
    return _discrepancy(request, discrepancy_id)


@router.post("/discrepancies/{discrepancy_id}/resolve", response=DiscrepancyOut)
def resolve_discrepancy(request, discrepancy_id: uuid.UUID, payload: DiscrepancyResolveIn):
    """Resolve and close: `corrected_in_vigil`, `register_to_be_corrected` or `explained`,
    with a note (supervisors and managers)."""
    discrepancy = _discrepancy(request, discrepancy_id)
    services.discrepancy_resolve(
        actor=request.user,
        discrepancy=discrepancy,
        resolution=payload.resolution,
        note=payload.note,
    )
    return _discrepancy(request, discrepancy_id)


@router.get("/imports", response=list[ExtractOut])
@paginate(PageNumberPagination, page_size=25)
def list_extracts(request):
    """Extracts imported for the forces the caller imports for."""
    _require_importer(request)
    return selectors.extract_list(user=request.user)


@router.get("/imports/{extract_id}", response=ExtractOut)
def get_extract(request, extract_id: uuid.UUID):
    _require_importer(request)
    return selectors.get_extract_for_user(request.user, extract_id)


@router.post("/imports", response={201: ExtractOut, 200: ExtractOut})
def import_extract(request, payload: ExtractIn):
    """Import a register extract (CSV or JSON, base64-encoded) and reconcile it to the end.
    422 with every bad line and nothing written; the same file again changes nothing
    (200, `already_imported`)."""
    _require_importer(request)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            _("content_base64 must be the file encoded in base64"), field="content_base64"
        ) from None
    result = services.extract_import(actor=request.user, filename=payload.filename, content=content)
    extract: Extract = services.extract_run(actor=request.user, extract=result.extract)
    extract.already_imported = result.already_imported
    return Status(200 if result.already_imported else 201, extract)
