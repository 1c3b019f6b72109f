"""What the offender-management API's sub-domains share: the router they declare
their operations on, the role check, loading a nominal through its scoped selector, choosing
an officer of a team, and the id every record shows.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from ninja import Router, Schema

from vigil.accounts import access
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.duties.selectors import assignable_officers
from vigil.offenders import selectors


class Room(Router):
    """The app's router. Each sub-domain's module declares its operations on it, and
    `__init__` imports those modules in the order their paths must be matched. An
    operation keeps the OpenAPI id it had when the API was one module
    (`vigil_offenders_api_<function>`), so clients generated from the schema keep working."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        operation_id = operation_id or f"vigil_offenders_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, operation_id=operation_id, **kwargs)


router = Room(tags=["offenders"])


def _casework(request) -> None:
    if not access.is_casework_user(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


def _nominal(request, nominal_id, action="view"):
    _casework(request)
    return selectors.get_nominal_for_user(request.user, nominal_id, action)


def _user(team, user_id, field):
    if user_id is None:
        return None
    user = assignable_officers(team=team).filter(uuid=user_id).first()
    if user is None:
        raise ValidationFailed(
            _("Choose an officer who works in %(team)s") % {"team": team.name}, field=field
        )
    return user


class _Id(Schema):
    id: uuid.UUID

    @staticmethod
    def resolve_id(obj):
        return obj.uuid
