"""The partnership router and what its operations share."""

from django.utils.translation import gettext as _
from ninja import Router

from vigil.core.exceptions import NotFound
from vigil.partners import selectors

router = Router(tags=["partners"])


def require_partner(request) -> None:
    if not selectors.can_use(request.user):
        raise NotFound(_("Not found."))
