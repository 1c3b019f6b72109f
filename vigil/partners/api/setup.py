"""Setting up the partnership through the API: regions and their practitioners, agreements
and new versions. For an administrator of the force or its SLA owner; anyone else gets 404
(as for the pages)."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Schema, Status

from vigil import audit
from vigil.accounts.models import Force, User
from vigil.core.exceptions import NotFound, ValidationFailed
from vigil.partners import selectors
from vigil.partners.api.agreements import AgreementDetailOut, TermOut, VersionOut
from vigil.partners.api.base import router
from vigil.partners.services import agreements as services


def require_setup(request) -> None:
    if not selectors.can_set_up(request.user):
        raise NotFound(_("Not found."))


class PractitionerOut(Schema):
    id: uuid.UUID
    name: str
    email: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_name(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj):
        return obj.user.email


class RegionOut(Schema):
    id: uuid.UUID
    force: str
    name: str
    name_cy: str
    team_id: uuid.UUID
    practitioners: int
    agreement_id: uuid.UUID | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_force(obj):
        return obj.force.code

    @staticmethod
    def resolve_team_id(obj):
        return obj.team.uuid

    @staticmethod
    def resolve_practitioners(obj):
        return getattr(obj, "practitioners", 0)

    @staticmethod
    def resolve_agreement_id(obj):
        return obj.agreement.uuid if hasattr(obj, "agreement") else None


class RegionDetailOut(RegionOut):
    members: list[PractitionerOut]

    @staticmethod
    def resolve_members(obj):
        return list(selectors.practitioners_of(obj))


class RegionIn(Schema):
    force: str
    name: str
    name_cy: str = ""


class PractitionerIn(Schema):
    email: str


class AgreementIn(Schema):
    police_owner: uuid.UUID
    probation_owner: uuid.UUID
    started_on: dt.date
    first_review_on: dt.date | None = None
    terms: list[TermOut] | None = None


class VersionIn(Schema):
    effective_from: dt.date
    notes: str
    terms: list[TermOut]


def _user(user_id: uuid.UUID, field: str) -> User:
    user = User.objects.filter(uuid=user_id).first()
    if user is None:
        raise ValidationFailed(_("There is no user with that id."), field=field)
    return user


@router.get("/setup/regions", response=list[RegionOut])
def list_regions(request):
    """The probation regions the caller sets up, with their agreements."""
    require_setup(request)
    audit.record(request.user, "partners.setup_view", None)
    return list(selectors.regions_for_setup(request.user))


@router.post("/setup/regions", response={201: RegionDetailOut})
def create_region(request, payload: RegionIn):
    """Add a probation region (and its practitioners' team) to a force."""
    require_setup(request)
    forces = selectors.setup_force_ids(request.user)
    force = Force.objects.filter(code=payload.force).first()
    if force is None or (forces is not None and force.pk not in forces):
        raise ValidationFailed(_("There is no force with that code."), field="force")
    region = services.region_create(
        actor=request.user, force=force, name=payload.name, name_cy=payload.name_cy
    )
    return Status(201, selectors.get_region_for_setup(request.user, region.uuid))


@router.get("/setup/regions/{region_id}", response=RegionDetailOut)
def get_region(request, region_id: uuid.UUID):
    """One region with its practitioners."""
    require_setup(request)
    region = selectors.get_region_for_setup(request.user, region_id)
    audit.record(request.user, "partners.region_view", region)
    return region


@router.post("/setup/regions/{region_id}/practitioners", response={201: RegionDetailOut})
def add_practitioner(request, region_id: uuid.UUID, payload: PractitionerIn):
    """Make an existing account (by email) a practitioner of the region."""
    require_setup(request)
    region = selectors.get_region_for_setup(request.user, region_id)
    services.practitioner_add(actor=request.user, region=region, email=payload.email)
    return Status(201, selectors.get_region_for_setup(request.user, region_id))


@router.delete(
    "/setup/regions/{region_id}/practitioners/{practitioner_id}", response=RegionDetailOut
)
def remove_practitioner(request, region_id: uuid.UUID, practitioner_id: uuid.UUID):
    """End a practitioner's membership of the region (`practitioner_id` is the membership's
    id, as the region lists it)."""
    require_setup(request)
    region = selectors.get_region_for_setup(request.user, region_id)
    membership = selectors.practitioners_of(region).filter(uuid=practitioner_id).first()
    if membership is None:
        raise NotFound(_("There is no such record, or you do not have access to it."))
    services.practitioner_remove(actor=request.user, region=region, membership=membership)
    return selectors.get_region_for_setup(request.user, region_id)


@router.post("/setup/regions/{region_id}/agreement", response={201: AgreementDetailOut})
def create_agreement(request, region_id: uuid.UUID, payload: AgreementIn):
    """Set up the region's agreement: owners on each side, start date, optional first
    review date and response times (the policies' defaults when left out)."""
    require_setup(request)
    region = selectors.get_region_for_setup(request.user, region_id)
    agreement = services.agreement_create(
        actor=request.user,
        region=region,
        police_owner=_user(payload.police_owner, "police_owner"),
        probation_owner=_user(payload.probation_owner, "probation_owner"),
        started_on=payload.started_on,
        first_review_on=payload.first_review_on,
        terms=[t.dict() for t in payload.terms] if payload.terms is not None else None,
    )
    return Status(201, selectors.get_agreement_for_setup(request.user, agreement.uuid))


@router.get("/setup/agreements/{agreement_id}", response=AgreementDetailOut)
def get_agreement_setup(request, agreement_id: uuid.UUID):
    """One agreement with its versions (and their response times) and reviews."""
    require_setup(request)
    agreement = selectors.get_agreement_for_setup(request.user, agreement_id)
    audit.record(request.user, "partners.agreement_setup_view", agreement)
    return agreement


@router.post("/setup/agreements/{agreement_id}/versions", response={201: VersionOut})
def create_version(request, agreement_id: uuid.UUID, payload: VersionIn):
    """Publish a new version of the agreement's terms from a date (today or later, after
    the latest version's); requests already raised keep theirs."""
    require_setup(request)
    agreement = selectors.get_agreement_for_setup(request.user, agreement_id)
    version = services.version_create(
        actor=request.user,
        agreement=agreement,
        effective_from=payload.effective_from,
        notes=payload.notes,
        terms=[t.dict() for t in payload.terms],
    )
    return Status(201, version)
