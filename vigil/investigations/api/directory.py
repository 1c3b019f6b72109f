"""The directory of support organisations through the API (point G)."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from vigil.accounts.models import Force
from vigil.core.exceptions import ValidationFailed
from vigil.investigations import selectors, services
from vigil.investigations.api.common import _require_casework_or_admin, router


class OrganisationOut(Schema):
    id: uuid.UUID
    force: str | None = Field(
        description="The code of the force the entry is for; null for a national organisation"
    )
    national: bool
    name_en: str
    name_cy: str
    description_en: str
    description_cy: str
    website: str
    phone: str
    email: str
    details_note: str
    details_confirmed_at: dt.datetime | None
    active: bool
    position: int

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_force(obj):
        return obj.force.code if obj.force else None


class OrganisationIn(Schema):
    force: str | None = Field(
        None,
        description=(
            "The code of the force the entry is for (one you keep entries for). Left out on "
            "a create: your own force; on a change: where the entry is now"
        ),
    )
    national: bool = Field(
        False,
        description="A national organisation, shown to every force (administrators only)",
    )
    name_en: str = ""
    name_cy: str = ""
    description_en: str = ""
    description_cy: str = ""
    website: str = ""
    phone: str = ""
    email: str = ""
    details_note: str = ""
    active: bool = True
    position: int = 0
    confirm_details: bool = False


def _organisation_force(payload: OrganisationIn, default):
    """The force asked for (a Force; None: national), or `default` when neither is given."""
    if payload.national and payload.force:
        raise ValidationFailed(_("Give either a force or national, not both"), field="national")
    if payload.national:
        return None
    if not payload.force:
        return default
    force = Force.objects.filter(code=payload.force).first()
    if force is None:
        raise ValidationFailed(_("There is no force with that code."), field="force")
    return force


def _organisation_fields(payload: OrganisationIn) -> dict:
    return payload.dict(exclude={"force", "national"})


@router.get("/support-organisations", response=list[OrganisationOut])
def list_organisations(request, include_inactive: bool = False):
    """The directory of support organisations for suspects' families, as the caller sees
    it: the national organisations and their own force's, never another force's."""
    _require_casework_or_admin(request)
    return list(
        selectors.support_organisations(user=request.user, active_only=not include_inactive)
    )


@router.post("/support-organisations", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationIn):
    """Add an organisation for the caller's force (managers and administrators) or a
    national one (administrators); audited."""
    services.check_directory_editor(request.user)
    return Status(
        201,
        services.support_organisation_create(
            actor=request.user,
            force=_organisation_force(payload, services.OWN_FORCE),
            **_organisation_fields(payload),
        ),
    )


@router.put("/support-organisations/{organisation_id}", response=OrganisationOut)
def update_organisation(request, organisation_id: uuid.UUID, payload: OrganisationIn):
    """Change an organisation of the caller's force (managers and administrators) or a
    national one (administrators); another force's is 404; audited."""
    services.check_directory_editor(request.user)
    organisation = selectors.get_support_organisation(organisation_id, user=request.user)
    return services.support_organisation_update(
        actor=request.user,
        organisation=organisation,
        force=_organisation_force(payload, services.UNCHANGED),
        **_organisation_fields(payload),
    )


@router.delete("/support-organisations/{organisation_id}", response={204: None})
def delete_organisation(request, organisation_id: uuid.UUID):
    """Remove an organisation the caller keeps (as for a change; audited)."""
    services.check_directory_editor(request.user)
    organisation = selectors.get_support_organisation(organisation_id, user=request.user)
    services.support_organisation_delete(actor=request.user, organisation=organisation)
    return Status(204, None)
