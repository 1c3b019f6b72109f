from django.utils.translation import gettext as _

from vigil.core.exceptions import PermissionDenied
from vigil.workforce.selectors.staff import can_view


def require_view(request) -> None:
    """Supervisors, managers and analysts of POLIT and MOSOVO teams; anyone else 403."""
    if not can_view(request.user):
        raise PermissionDenied(_("Your role does not allow this."))
