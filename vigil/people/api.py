"""People through the API: the same selectors, services and access rules as the pages.

A record out of scope (or missing) is 404; a restricted record the caller is not named
on is 403 with error code "restricted"; a possible duplicate is 409 with the matches the
caller may see (and a count of the others) unless `confirm_not_duplicate` is true.
"""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.core.api import error_body
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.people import selectors, services
from vigil.people.exceptions import PossibleDuplicate
from vigil.people.models import Person

router = Router(tags=["people"])


def _require_casework(request) -> None:
    if not access.is_casework_user(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


# ---------------------------------------------------------------------------------------
# Schemas


class TeamRef(Schema):
    id: uuid.UUID
    name: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class UserRef(Schema):
    id: uuid.UUID
    full_name: str
    email: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class PersonSummaryOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    pnc_id: str
    register_reference: str
    team: TeamRef
    is_restricted: bool

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class AliasOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class AddressOut(Schema):
    id: uuid.UUID
    line1: str
    line2: str
    town: str
    postcode: str
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class IdentifierOut(Schema):
    id: uuid.UUID
    kind: str
    value: str
    normalised: str
    platform: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class RemovedOut(Schema):
    removed_at: dt.datetime
    removed_by: UserRef
    removal_reason: str


class RemovedAliasOut(AliasOut, RemovedOut):
    pass


class RemovedIdentifierOut(IdentifierOut, RemovedOut):
    pass


class ChildLinkOut(Schema):
    id: uuid.UUID
    child_name: str
    date_of_birth: dt.date | None
    relationship: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class RestrictionOut(Schema):
    reason: str
    users: list[UserRef]


class PersonOut(PersonSummaryOut):
    gender: str
    language: str
    created_at: dt.datetime
    updated_at: dt.datetime
    aliases: list[AliasOut]
    removed_aliases: list[RemovedAliasOut]
    addresses: list[AddressOut]
    identifiers: list[IdentifierOut]
    removed_identifiers: list[RemovedIdentifierOut]
    children: list[ChildLinkOut]
    restriction: RestrictionOut | None

    @staticmethod
    def resolve_aliases(obj):
        return selectors.split_removed(obj.aliases.all())[0]

    @staticmethod
    def resolve_removed_aliases(obj):
        return selectors.split_removed(obj.aliases.all())[1]

    @staticmethod
    def resolve_addresses(obj):
        return list(obj.addresses.all())

    @staticmethod
    def resolve_identifiers(obj):
        return selectors.split_removed(obj.identifiers.all())[0]

    @staticmethod
    def resolve_removed_identifiers(obj):
        return selectors.split_removed(obj.identifiers.all())[1]

    @staticmethod
    def resolve_children(obj):
        return list(obj.children.all())

    @staticmethod
    def resolve_restriction(obj):
        if not obj.is_restricted:
            return None
        return {"reason": obj.restriction_reason, "users": list(obj.restricted_to.all())}


class IdentifierIn(Schema):
    kind: str
    value: str
    platform: str = ""


class PersonIn(Schema):
    team: uuid.UUID | None = None
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    gender: str = "unknown"
    pnc_id: str = ""
    register_reference: str = ""
    language: str = "en"
    identifiers: list[IdentifierIn] = []
    confirm_not_duplicate: bool = False


class PersonPatch(Schema):
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: dt.date | None = None
    gender: str | None = None
    pnc_id: str | None = None
    register_reference: str | None = None
    language: str | None = None
    confirm_not_duplicate: bool = False


class AliasIn(Schema):
    given_name: str
    family_name: str


class AddressIn(Schema):
    line1: str
    line2: str = ""
    town: str
    postcode: str
    valid_from: dt.date
    valid_to: dt.date | None = None


class ChildLinkIn(Schema):
    child_name: str
    relationship: str
    date_of_birth: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class AddressEndIn(Schema):
    valid_to: dt.date


class AddressPatch(Schema):
    """Only the fields sent are corrected; `valid_to: null` makes an ended address current
    again (when the person has no other current address)."""

    line1: str | None = None
    line2: str | None = None
    town: str | None = None
    postcode: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    reason: str


class ChildLinkEndIn(Schema):
    valid_to: dt.date
    reason: str


class RemoveIn(Schema):
    reason: str


class RestrictionIn(Schema):
    users: list[uuid.UUID] = []
    reason: str


class UnrestrictIn(Schema):
    reason: str


class RestrictionReviewIn(Schema):
    note: str


class PeopleFilters(Schema):
    q: str = ""
    sort: str = selectors.DEFAULT_SORT


class ErrorField(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    fields: list[ErrorField]


class DuplicateMatchOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    pnc_id: str
    team: TeamRef
    reasons: list[str]


class PossibleDuplicateOut(Schema):
    error: ErrorOut
    matches: list[DuplicateMatchOut]
    hidden_count: int


def _duplicate_body(exc: PossibleDuplicate) -> dict:
    body = error_body(exc.code, str(exc.message))
    body["matches"] = [
        {
            "id": m.person.uuid,
            "given_name": m.person.given_name,
            "family_name": m.person.family_name,
            "date_of_birth": m.person.date_of_birth,
            "pnc_id": m.person.pnc_id,
            "team": m.person.team,
            "reasons": m.reasons,
        }
        for m in exc.matches
    ]
    body["hidden_count"] = exc.hidden_count
    return body


def _person(request, person_id: uuid.UUID, action: str = "view") -> Person:
    return selectors.get_person_for_user(request.user, person_id, action)


# ---------------------------------------------------------------------------------------
# Operations


@router.get("", response=list[PersonSummaryOut])
@paginate(PageNumberPagination, page_size=50)
def list_people(request, filters: Query[PeopleFilters]):
    """People the caller may see (casework roles; restricted records only to those named),
    searched by name, alias, PNC ID or register reference."""
    _require_casework(request)
    return selectors.person_list(
        user=request.user, search=filters.q, sort=selectors.normalise_sort(filters.sort)
    )


@router.post("", response={201: PersonOut, 409: PossibleDuplicateOut})
def create_person(request, payload: PersonIn):
    """Create a record. 409 with the possible duplicates unless `confirm_not_duplicate`."""
    _require_casework(request)
    teams = selectors.teams_for_person_create(request.user)
    team = (
        teams.filter(uuid=payload.team).first()
        if payload.team
        else access.primary_team(request.user)
    )
    if team is None or not teams.filter(pk=team.pk).exists():
        raise ValidationFailed(_("Give a team you work in as the owning team"), field="team")
    try:
        person = services.person_create(
            actor=request.user,
            team=team,
            given_name=payload.given_name,
            family_name=payload.family_name,
            date_of_birth=payload.date_of_birth,
            gender=payload.gender,
            pnc_id=payload.pnc_id,
            register_reference=payload.register_reference,
            language=payload.language,
            identifiers=[(i.kind, i.value, i.platform) for i in payload.identifiers],
            confirm_not_duplicate=payload.confirm_not_duplicate,
        )
    except PossibleDuplicate as exc:
        return Status(409, _duplicate_body(exc))
    return Status(201, selectors.person_record(person))


@router.get("/{person_id}", response=PersonOut)
def get_person(request, person_id: uuid.UUID):
    """One person's record (the read is audited)."""
    return selectors.person_record(_person(request, person_id))


@router.patch("/{person_id}", response={200: PersonOut, 409: PossibleDuplicateOut})
def update_person(request, person_id: uuid.UUID, payload: PersonPatch):
    """Change a person's details: only the fields sent are changed."""
    person = _person(request, person_id, "edit")
    values = payload.dict(exclude_unset=True)
    confirm = values.pop("confirm_not_duplicate", False)
    for key in ("given_name", "family_name", "gender", "pnc_id", "register_reference", "language"):
        if key in values and values[key] is None:
            values[key] = ""
    try:
        services.person_update(
            actor=request.user, person=person, confirm_not_duplicate=confirm, **values
        )
    except PossibleDuplicate as exc:
        return Status(409, _duplicate_body(exc))
    return Status(200, selectors.person_record(person))


@router.post("/{person_id}/aliases", response={201: AliasOut})
def add_alias(request, person_id: uuid.UUID, payload: AliasIn):
    person = _person(request, person_id, "edit")
    return Status(201, services.alias_add(actor=request.user, person=person, **payload.dict()))


@router.post("/{person_id}/addresses", response={201: AddressOut})
def add_address(request, person_id: uuid.UUID, payload: AddressIn):
    """Add an address; a current one (no `valid_to`) closes the previous current address."""
    person = _person(request, person_id, "edit")
    return Status(201, services.address_add(actor=request.user, person=person, **payload.dict()))


@router.post("/{person_id}/identifiers", response={201: IdentifierOut})
def add_identifier(request, person_id: uuid.UUID, payload: IdentifierIn):
    person = _person(request, person_id, "edit")
    return Status(201, services.identifier_add(actor=request.user, person=person, **payload.dict()))


@router.post("/{person_id}/children", response={201: ChildLinkOut})
def add_child(request, person_id: uuid.UUID, payload: ChildLinkIn):
    person = _person(request, person_id, "edit")
    return Status(201, services.child_link_add(actor=request.user, person=person, **payload.dict()))


@router.post("/{person_id}/addresses/{address_id}/end", response=AddressOut)
def end_address(request, person_id: uuid.UUID, address_id: uuid.UUID, payload: AddressEndIn):
    """Record that the person moved out of their current address (where to may not be
    known): only its end date changes."""
    person = _person(request, person_id, "edit")
    address = selectors.address_on_record(person, address_id)
    return services.address_end(actor=request.user, address=address, valid_to=payload.valid_to)


@router.patch("/{person_id}/addresses/{address_id}", response=AddressOut)
def correct_address(request, person_id: uuid.UUID, address_id: uuid.UUID, payload: AddressPatch):
    """Correct an address recorded wrongly (only the fields sent), with the reason."""
    person = _person(request, person_id, "edit")
    address = selectors.address_on_record(person, address_id)
    values = payload.dict(exclude_unset=True)
    reason = values.pop("reason")
    for key in ("line1", "line2", "town", "postcode"):
        if key in values and values[key] is None:
            values[key] = ""
    return services.address_correct(actor=request.user, address=address, reason=reason, **values)


@router.post("/{person_id}/children/{link_id}/end", response=ChildLinkOut)
def end_child_link(request, person_id: uuid.UUID, link_id: uuid.UUID, payload: ChildLinkEndIn):
    """Record that a child's link to the person ended (the link stays, shown as ended)."""
    person = _person(request, person_id, "edit")
    link = selectors.child_link_on_record(person, link_id)
    return services.child_link_end(
        actor=request.user, link=link, valid_to=payload.valid_to, reason=payload.reason
    )


@router.post("/{person_id}/aliases/{alias_id}/remove", response=RemovedAliasOut)
def remove_alias(request, person_id: uuid.UUID, alias_id: uuid.UUID, payload: RemoveIn):
    """Remove an alias: it is kept, marked removed, and no longer searched or matched."""
    person = _person(request, person_id, "edit")
    alias = selectors.alias_on_record(person, alias_id)
    return services.alias_remove(actor=request.user, alias=alias, reason=payload.reason)


@router.post("/{person_id}/identifiers/{identifier_id}/remove", response=RemovedIdentifierOut)
def remove_identifier(request, person_id: uuid.UUID, identifier_id: uuid.UUID, payload: RemoveIn):
    """Remove an online identifier: it is kept, marked removed, and no longer matched."""
    person = _person(request, person_id, "edit")
    identifier = selectors.identifier_on_record(person, identifier_id)
    return services.identifier_remove(
        actor=request.user, identifier=identifier, reason=payload.reason
    )


@router.post("/{person_id}/restriction", response=PersonOut)
def restrict_person(request, person_id: uuid.UUID, payload: RestrictionIn):
    """Restrict the record to the named users (supervisors and managers of its team)."""
    person = _person(request, person_id, "restrict")
    if not selectors.can_supervise(request.user, person):
        raise PermissionDenied(
            _("Only a supervisor or manager of the owning team can change a restriction.")
        )
    wanted = set(payload.users)
    users = list(selectors.restriction_candidates(person).filter(uuid__in=wanted))
    if len(users) != len(wanted):
        raise ValidationFailed(
            _("Everyone named must be a user who works on this team's records"), field="users"
        )
    services.person_restrict(actor=request.user, person=person, users=users, reason=payload.reason)
    return selectors.person_record(person)


@router.delete("/{person_id}/restriction", response=PersonOut)
def unrestrict_person(request, person_id: uuid.UUID, payload: UnrestrictIn):
    """Remove the restriction (supervisors and managers of its team, named on it)."""
    person = _person(request, person_id, "unrestrict")
    services.person_unrestrict(actor=request.user, person=person, reason=payload.reason)
    return selectors.person_record(person)


@router.post("/{person_id}/restriction/review", response=PersonOut)
def review_restriction(request, person_id: uuid.UUID, payload: RestrictionReviewIn):
    """Confirm a restriction is still needed (supervisors and managers named on it)."""
    person = _person(request, person_id, "restriction_review")
    services.person_restriction_review(actor=request.user, person=person, note=payload.note)
    return selectors.person_record(person)
