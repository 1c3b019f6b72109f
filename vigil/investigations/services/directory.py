"""The directory of support organisations (point G) that family support refers to:
national entries kept by system administrators, a force's own by its editors.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import Role
from vigil.accounts.models import Force
from vigil.core import clock
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.investigations import selectors
from vigil.investigations.models import SupportOrganisation

ORGANISATION_FIELDS = (
    "name_en",
    "name_cy",
    "description_en",
    "description_cy",
    "website",
    "phone",
    "email",
    "details_note",
    "active",
    "position",
)


# `force=` on a create: the actor's own force (when they keep exactly one); on an update:
# the entry stays where it is.
OWN_FORCE = object()


UNCHANGED = object()


def _check_directory_editor(actor) -> None:
    if not (access.is_admin(actor) or access.has_role(actor, Role.MANAGER)):
        raise PermissionDenied(
            _("Only managers and administrators can change the directory of support organisations.")
        )


def check_directory_editor(actor, organisation: SupportOrganisation | None = None) -> None:
    """Whether the actor may keep the directory, and (given one) this entry: a manager or
    an administrator keeps the entries of their own force (the force of a manager or
    administrator membership, whatever its scope); only an administrator keeps the
    national ones. Another force's entry is NotFound, as out of scope."""
    _check_directory_editor(actor)
    if organisation is None:
        return
    if organisation.force_id is None:
        if not access.is_admin(actor):
            raise PermissionDenied(
                _(
                    "National organisations are kept by the Vigil administrators: ask an "
                    "administrator to change this one, or add your force's own entry."
                )
            )
    elif organisation.force_id not in selectors.directory_force_ids(actor, editing=True):
        raise NotFound(_("There is no organisation with that id."))


def _directory_target(actor, force):
    """The force a new or moved entry is for (None: national), checked against the actor."""
    if force is OWN_FORCE:
        own = selectors.directory_force_ids(actor, editing=True)
        if len(own) != 1:
            raise ValidationFailed(
                _("Choose the force the organisation is for, or national"), field="force"
            )
        return Force.objects.get(pk=own.pop())
    if force is None:
        if not access.is_admin(actor):
            raise PermissionDenied(
                _(
                    "Only an administrator can add a national organisation: add it for your "
                    "own force, or ask an administrator."
                )
            )
        return None
    if force.pk not in selectors.directory_force_ids(actor, editing=True):
        raise PermissionDenied(
            _("You can add or move organisations only to your own force's directory.")
        )
    return force


def _organisation_values(fields: Mapping) -> dict:
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator, URLValidator

    values = {}
    for key in ORGANISATION_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        values[key] = value.strip() if isinstance(value, str) else value
    errors = []
    if "name_en" in values and not values["name_en"]:
        errors.append(("name_en", _("Enter the organisation's name in English")))
    if "description_en" in values and not values["description_en"]:
        errors.append(("description_en", _("Enter what the organisation offers, in English")))
    for key, limit in (("name_en", 200), ("name_cy", 200), ("phone", 40)):
        if len(values.get(key) or "") > limit:
            errors.append((key, _("Enter %(n)s characters or fewer") % {"n": limit}))
    if values.get("website"):
        try:
            URLValidator(schemes=["https", "http"])(values["website"])
        except ValidationError:
            errors.append(("website", _("Enter the website address, like https://www.example.org")))
    if values.get("email"):
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            errors.append(("email", _("Enter an e-mail address, like name@example.org")))
    if "position" in values:
        try:
            values["position"] = int(values["position"] or 0)
            if not 0 <= values["position"] <= 1000:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(("position", _("Enter a whole number from 0 to 1000")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    return values


@transaction.atomic
def support_organisation_create(*, actor, force=OWN_FORCE, confirm_details: bool = False, **fields):
    """Add an organisation to the directory of `force` (a Force; None: national, for
    administrators only; by default the actor's own force); managers and administrators;
    audit."""
    _check_directory_editor(actor)
    force = _directory_target(actor, force)
    values = _organisation_values({"name_en": "", "description_en": "", **dict(fields.items())})
    organisation = SupportOrganisation(force=force, **values)
    if confirm_details:
        organisation.details_confirmed_at = clock.now()
        organisation.details_confirmed_by = actor
    organisation.save()
    audit.record(
        actor,
        "support_organisation.create",
        organisation,
        changes={
            **dict(values.items()),
            "force": force.code if force else None,
            "confirmed": confirm_details,
        },
    )
    return organisation


@transaction.atomic
def support_organisation_update(
    *,
    actor,
    organisation: SupportOrganisation,
    force=UNCHANGED,
    confirm_details: bool = False,
    **fields,
):
    """Change an organisation's entry (one the actor keeps: see `check_directory_editor`),
    and with `force` move it to another force the actor keeps or (administrators) make it
    national; confirming its contact details records who and when. Changing the contact
    details clears an earlier confirmation unless confirmed again. Audit with before and
    after."""
    # No select_related: PostgreSQL refuses FOR UPDATE across the nullable force join.
    locked = SupportOrganisation.objects.select_for_update().get(pk=organisation.pk)
    check_directory_editor(actor, locked)
    values = _organisation_values(fields)
    changes = {k: [getattr(locked, k), v] for k, v in values.items() if getattr(locked, k) != v}
    if force is not UNCHANGED:
        force = _directory_target(actor, force)
        if (force.pk if force else None) != locked.force_id:
            changes["force"] = [
                locked.force.code if locked.force else None,
                force.code if force else None,
            ]
            locked.force = force
    for key, value in values.items():
        setattr(locked, key, value)
    if confirm_details:
        locked.details_confirmed_at = clock.now()
        locked.details_confirmed_by = actor
        changes["confirmed"] = [None, True]
    elif {"website", "phone", "email"} & set(changes):
        locked.details_confirmed_at = None
        locked.details_confirmed_by = None
    if not changes:
        raise ValidationFailed(_("Nothing has changed"), field="name_en")
    locked.save()
    audit.record(actor, "support_organisation.update", locked, changes=changes)
    for field in SupportOrganisation._meta.concrete_fields:
        setattr(organisation, field.attname, getattr(locked, field.attname))
    return organisation


@transaction.atomic
def support_organisation_delete(*, actor, organisation: SupportOrganisation) -> None:
    """Remove an organisation the actor keeps from the directory (audited with what it
    held)."""
    check_directory_editor(actor, organisation)
    audit.record(
        actor,
        "support_organisation.delete",
        organisation,
        changes={
            **{k: getattr(organisation, k) for k in ORGANISATION_FIELDS},
            "force": organisation.force.code if organisation.force else None,
        },
    )
    organisation.delete()
