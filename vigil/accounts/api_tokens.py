"""API tokens through the API, for administrators (the API tokens page's rules): a force's
administrator lists and revokes the tokens of their own force's users and creates one for
them; creating needs the administrator's own password again (re-authentication, as on
the page). Mounted at /api/v1/accounts/tokens."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import selectors, services
from vigil.accounts.choices import Role
from vigil.core import clock
from vigil.core.api import require_role
from vigil.core.exceptions import NotFound

router = Router(tags=["accounts"])


class ApiTokenOut(Schema):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The key begins vgl_<prefix>_; the rest is never shown again.")
    user_id: uuid.UUID = Field(description="The user the token acts as.")
    user_name: str
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime
    last_used_at: dt.datetime | None = Field(
        description="Kept to the minute: a token used within a minute is not written again."
    )
    revoked_at: dt.datetime | None
    status: str = Field(description="active, expired or revoked.")


class ApiTokenCreatedOut(ApiTokenOut):
    key: str = Field(description="The token itself: shown this once, never stored.")


class ApiTokenIn(Schema):
    user: uuid.UUID = Field(description="The user the token acts as (of a force you administer).")
    name: str = Field(max_length=200, description="Which system uses it.")
    password: str = Field(max_length=4096, description="Your own password again.")


def _token_out(token, now=None) -> dict:
    now = now or clock.now()
    if token.revoked_at is not None:
        status = "revoked"
    elif token.expires_at <= now:
        status = "expired"
    else:
        status = "active"
    return {
        "id": token.uuid,
        "name": token.name,
        "prefix": token.prefix,
        "user_id": token.user.uuid,
        "user_name": token.user.full_name,
        "created_at": token.created_at,
        "created_by": token.created_by.full_name,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "status": status,
    }


def _token(request, token_id):
    token = selectors.get_token(actor=request.user, token_uuid=token_id)
    if token is None:
        raise NotFound(_("There is no API token with that id."))
    return token


@router.get("/tokens", response=list[ApiTokenOut])
@paginate(PageNumberPagination, page_size=100)
def list_tokens(request):
    """The tokens of the users you administer, newest first, with when each was made,
    when it expires and when it was last used (administrators only)."""
    require_role(request, Role.ADMIN)
    now = clock.now()
    return [_token_out(t, now) for t in selectors.token_list(actor=request.user)]


@router.post("/tokens", response={201: ApiTokenCreatedOut})
def create_token(request, payload: ApiTokenIn):
    """Create a token for a user of your force. Send your own password again: a wrong one
    is 422 on `password` and counts toward your lock-out (403 account_locked at the
    limit). The key is in this answer only."""
    require_role(request, Role.ADMIN)
    user = selectors.token_users(actor=request.user).filter(uuid=payload.user).first()
    services.reauthenticate(user=request.user, password=payload.password)
    if user is None:
        raise NotFound(_("There is no user with that id."), field="user")
    token, key = services.api_token_create(actor=request.user, user=user, name=payload.name)
    return Status(201, {**_token_out(_token(request, token.uuid)), "key": key})


@router.get("/tokens/{token_id}", response=ApiTokenOut)
def get_token(request, token_id: uuid.UUID):
    require_role(request, Role.ADMIN)
    return _token_out(_token(request, token_id))


@router.post("/tokens/{token_id}/revoke", response=ApiTokenOut)
def revoke_token(request, token_id: uuid.UUID):
    """Revoke a token: systems using it can no longer connect (revoking again changes
    nothing)."""
    require_role(request, Role.ADMIN)
    services.api_token_revoke(actor=request.user, token=_token(request, token_id))
    return _token_out(_token(request, token_id))
