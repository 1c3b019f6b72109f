"""The JSON API's shared parts: authentication, the one error shape, role checks, and
core's own operations (policies)."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from vigil.accounts import access
from vigil.core import selectors, services
from vigil.core.calendar import start_of_day
from vigil.core.exceptions import NotFound, PermissionDenied, VigilError

logger = logging.getLogger(__name__)


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


def _choices(expected) -> str:
    """Pydantic's "'a', 'b' or 'c'" as "a, b, c" (its "or" is English)."""
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", str(expected or ""))
    return ", ".join(values)


def validation_message(err: dict) -> str:
    """A request validation error (pydantic's, in English) as a message in the active
    language, by the error's type and its context (the limits, the allowed values)."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("Enter a value: this field is required")
    if kind == "json_invalid":
        return _("The data sent is not valid JSON")
    if kind == "string_too_long":
        return _("Enter no more than %(max)s characters") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Enter at least %(min)s characters") % {"min": ctx.get("min_length")}
    if kind.startswith("string_"):
        return _("Enter text")
    if kind.startswith("int_"):
        return _("Enter a whole number")
    if kind.startswith(("float_", "decimal_")):
        return _("Enter a number")
    if kind.startswith("bool_"):
        return _("Enter true or false")
    if kind.startswith("datetime_"):
        return _("Enter a real date and time, for example 2026-12-01T09:30:00Z")
    if kind.startswith("date_"):
        return _("Enter a real date, for example 2026-12-01")
    if kind.startswith("uuid_"):
        return _("Enter a valid id")
    if kind in ("enum", "literal_error"):
        choices = _choices(ctx.get("expected"))
        if choices:
            return _("Choose one of: %(choices)s") % {"choices": choices}
        return _("Choose one of the allowed values")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Send a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Send an object")
    if kind == "greater_than_equal" and "ge" in ctx:
        return _("Enter %(limit)s or more") % {"limit": ctx["ge"]}
    if kind == "greater_than" and "gt" in ctx:
        return _("Enter more than %(limit)s") % {"limit": ctx["gt"]}
    if kind == "less_than_equal" and "le" in ctx:
        return _("Enter %(limit)s or less") % {"limit": ctx["le"]}
    if kind == "less_than" and "lt" in ctx:
        return _("Enter less than %(limit)s") % {"limit": ctx["lt"]}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _("Enter a value in the allowed range")
    # value_error and anything else: pydantic's own words are English and may echo the
    # input, so they are not passed on.
    return _("This value is not valid")


def _not_found(api, request):
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


def _method_not_allowed(api, request, allowed) -> HttpResponse:
    allowed = sorted(allowed)
    response = api.create_response(
        request,
        error_body(
            "method_not_allowed",
            _("%(method)s is not allowed here. Use %(allowed)s.")
            % {"method": request.method, "allowed": ", ".join(allowed)},
        ),
        status=405,
    )
    response["Allow"] = ", ".join(allowed)
    return response


# Codes and messages for the HttpErrors ninja raises itself (its words are English):
# a body that is not JSON (400), a failed CSRF check (403), throttling (429).
_HTTP_ERRORS = {
    400: ("bad_request", gettext_lazy("The data sent could not be read. Send valid JSON.")),
    401: ("unauthenticated", gettext_lazy("Sign in, or send a valid API token.")),
    403: ("forbidden", gettext_lazy("Your role does not allow this.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    429: ("too_many_requests", gettext_lazy("Too many requests. Wait a moment and try again.")),
}


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {
                            "field": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        }
    },
}

# The errors any operation may answer (all in the one shape), and those only a write
# may answer.
_ANY_ERRORS = {
    "400": "The data sent could not be read (not JSON).",
    "401": "Not signed in, or no valid API token.",
    "403": "The caller's role does not allow this (or the CSRF check failed).",
    "404": "Not found, or not the caller's to see.",
    "413": "The data sent is larger than the limit.",
    "422": "Some of the data sent is not valid; each field is named.",
    "429": "Too many requests.",
}
_WRITE_ERRORS = {"409": "The record has changed, or the change conflicts with its state."}


def document_errors(schema: dict) -> dict:
    """Add the error responses (one shape, `Error`) to every operation of an OpenAPI
    schema, keeping any an operation declares itself."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            errors = dict(_ANY_ERRORS)
            if method.lower() != "get":
                errors.update(_WRITE_ERRORS)
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": error})
    return schema


def install_error_handlers(api) -> None:
    """Every error the API returns has the same shape: {"error": {code, message, fields}},
    with the message in the user's language. (An unknown address and a method an address
    does not allow are answered by `api_urls`.)"""
    original_schema = api.get_openapi_schema

    def get_openapi_schema(**kwargs):
        return document_errors(original_schema(**kwargs))

    api.get_openapi_schema = get_openapi_schema

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
            fields.append({"field": ".".join(loc), "message": validation_message(err)})
        return api.create_response(
            request,
            error_body("validation_failed", _("Some of the data sent is not valid."), fields),
            status=422,
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _not_found(api, request)

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
        status = exc.status_code
        if status == 403 and "CSRF" in str(exc):
            code = "csrf_failed"
            message = _("The request failed the CSRF check. Reload the page and try again.")
        elif status in _HTTP_ERRORS:
            code, message = _HTTP_ERRORS[status][0], str(_HTTP_ERRORS[status][1])
        else:
            code, message = "error", _("The request could not be completed.")
        return api.create_response(request, error_body(code, message), status=status)

    @api.exception_handler(Exception)
    def server_error(request, exc: Exception):
        """Anything unexpected: logged in full, answered without a detail."""
        reference = getattr(request, "request_id", "")
        logger.exception("API error on %s %s (request %s)", request.method, request.path, reference)
        # As Django does for an uncaught exception (the test client re-raises it).
        got_request_exception.send(sender=None, request=request)
        return api.create_response(
            request,
            error_body(
                "server_error",
                _(
                    "Something went wrong. Try again later. If it keeps happening, tell your "
                    "force's IT service desk, quoting reference %(reference)s."
                )
                % {"reference": reference},
            ),
            status=500,
        )


def api_urls(api):
    """The API's URL configuration for `path("api/v1/", ...)`: ninja's own patterns, each
    answering a method it does not allow (ninja's plain-text 405) and a Django 404 (the
    API root) in the one error shape, then a catch-all so that an unknown address under
    the API is a JSON 404 rather than the 404 page."""
    patterns, app_name, namespace = api.urls
    answered = [_json_errors(api, p) if isinstance(p, URLPattern) else p for p in patterns]

    @csrf_exempt
    def unknown_address(request, rest=""):
        return _not_found(api, request)

    answered.append(re_path(r"^(?P<rest>.*)$", unknown_address, name="not-found"))
    return answered, app_name, namespace


def _json_errors(api, pattern: URLPattern) -> URLPattern:
    view = pattern.callback
    if inspect.iscoroutinefunction(view):
        return pattern

    @csrf_exempt  # as ninja's own views are: its session auth checks CSRF itself
    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _not_found(api, request)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
            return _method_not_allowed(api, request, allowed)
        return response

    return URLPattern(pattern.pattern, answer, pattern.default_args, pattern.name)


def require_role(request, *roles: str) -> None:
    """The API's role check: the same rule a page applies."""
    if not (access.has_role(request.user, *roles) or access.is_admin(request.user)):
        raise PermissionDenied(_("Your role does not allow this."))


router = Router(tags=["policies"])


class PolicyOut(Schema):
    key: str
    label: str
    value: bool | int | float
    default: bool | int | float
    unit: str
    source: str
    overridden: bool = Field(description="A change by the force is in force now.")
    next_change: dt.datetime | None = Field(
        None, description="When the next change the force has made comes into force, if any."
    )


class PolicyOverrideIn(Schema):
    value: Any = Field(
        description=(
            'The new value: a number or true/false, or the same as text ("7", "yes"), '
            "checked against the policy's type and range as on the policy page."
        )
    )
    effective_from: dt.date | None = Field(None, description="Today or a later date; none for now.")
    reason: str


class PolicyOverrideOut(Schema):
    key: str
    value: bool | int | float
    effective_from: dt.datetime
    reason: str


class PolicyHistoryOut(PolicyOverrideOut):
    changed_by: str
    changed_at: dt.datetime


class PolicyDetailOut(PolicyOut):
    kind: str
    minimum: float | None
    maximum: float | None
    note: str
    history: list[PolicyHistoryOut]


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
        "next_change": row.get("next_change"),
    }


@router.get("/policies", response=list[PolicyOut])
def list_policies(request):
    """Every policy with the value in force now."""
    return [_policy_out(r) for r in selectors.policy_table()]


@router.get("/policies/{key}", response=PolicyDetailOut)
def policy_detail(request, key: str):
    """One policy: the value in force now, its definition, and every change the force
    has made to it, latest first (including changes still to come)."""
    row = selectors.policy_row(key)
    if row is None:
        raise NotFound(_("There is no policy with that name."))
    p = row["policy"]
    return {
        **_policy_out(row),
        "kind": p.kind.value,
        "minimum": p.minimum,
        "maximum": p.maximum,
        "note": str(p.note),
        "history": [
            {
                "key": o.key,
                "value": p.coerce(o.value),
                "effective_from": o.effective_from,
                "reason": o.reason,
                "changed_by": o.created_by.full_name,
                "changed_at": o.created_at,
            }
            for o in selectors.policy_history(key)
        ],
    }


@router.post("/policies/{key}/overrides", response={201: PolicyOverrideOut})
def create_policy_override(request, key: str, payload: PolicyOverrideIn):
    """Change a policy from today or a later date (administrators only)."""
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
