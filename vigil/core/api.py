"""The JSON API's shared parts: authentication, the one error shape, role checks, and
core's own operations (policies)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from vigil.accounts import access
from vigil.core import selectors, services
from vigil.core.calendar import start_of_day
from vigil.core.exceptions import NotFound, PermissionDenied, VigilError


class VerifiedSessionAuth(SessionAuth):
    """The browser's session, only once the second factor has been given (CSRF-checked)."""

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if settings.VIGIL_REQUIRE_SECOND_FACTOR and not user.is_verified():
            return None
        return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer vgl_...` for other force systems."""

    def authenticate(self, request, token):
        from vigil.accounts.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def error_body(code: str, message: str, fields: list[dict] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def install_error_handlers(api) -> None:
    """Every error the API returns has the same shape: {"error": {code, message, fields}}."""

    @api.exception_handler(VigilError)
    def vigil_error(request, exc: VigilError):
        fields = [{"field": f or "", "message": str(m)} for f, m in exc.errors]
        return api.create_response(
            request, error_body(exc.code, str(exc.message), fields), status=exc.status
        )

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        fields = []
        for err in exc.errors:
            loc = [
                str(part)
                for part in err.get("loc", [])
                if part not in ("body", "payload", "query", "path")
            ]
            fields.append({"field": ".".join(loc), "message": err.get("msg", "")})
        return api.create_response(
            request,
            error_body("validation_failed", _("Some of the data sent is not valid."), fields),
            status=422,
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request,
            error_body("unauthenticated", _("Sign in, or send a valid API token.")),
            status=401,
        )

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request, exc):
        return api.create_response(
            request, error_body("forbidden", _("Your role does not allow this.")), status=403
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)


def require_role(request, *roles: str) -> None:
    """The API's role check: the same rule a page applies."""
    if not (access.has_role(request.user, *roles) or access.is_admin(request.user)):
        raise PermissionDenied(_("Your role does not allow this."))


router = Router(tags=["policies"])


class PolicyOut(Schema):
    key: str
    label: str
    value: float | int | bool
    default: float | int | bool
    unit: str
    source: str
    overridden: bool


class PolicyOverrideIn(Schema):
    value: str
    effective_from: dt.date | None = None
    reason: str


class PolicyOverrideOut(Schema):
    key: str
    value: float | int | bool
    effective_from: dt.datetime
    reason: str


def _policy_out(row: dict) -> dict:
    p = row["policy"]
    return {
        "key": p.key,
        "label": str(p.label),
        "value": row["value"],
        "default": p.default,
        "unit": str(p.unit),
        "source": p.source.value,
        "overridden": row.get("overridden", False),
    }


@router.get("/policies", response=list[PolicyOut])
def list_policies(request):
    """Every policy with the value in force now."""
    return [_policy_out(r) for r in selectors.policy_table()]


@router.post("/policies/{key}/overrides", response={201: PolicyOverrideOut})
def create_policy_override(request, key: str, payload: PolicyOverrideIn):
    """Change a policy from a date (administrators only)."""
    if selectors.policy_row(key) is None:
        raise NotFound(_("There is no policy with that name."))
    override = services.policy_override_create(
        actor=request.user,
        key=key,
        value=payload.value,
        effective_from=start_of_day(payload.effective_from) if payload.effective_from else None,
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "key": override.key,
            "value": override.value,
            "effective_from": override.effective_from,
            "reason": override.reason,
        },
    )
