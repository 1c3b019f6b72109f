"""One error hierarchy for services, mapped to one error shape on pages and the API."""

from __future__ import annotations

from django.utils.functional import Promise


class VigilError(Exception):
    """Base of every error a service raises on purpose."""

    code = "error"
    status = 400

    def __init__(self, message: str | Promise, *, field: str | None = None, errors=None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        # errors: list of (field, message) pairs when several fields are wrong at once.
        self.errors = list(errors or ([(field, message)] if field else []))


class ValidationFailed(VigilError):
    code = "validation_failed"
    status = 422


class NotFound(VigilError):
    """Missing and forbidden alike (never tell an outsider that a record exists)."""

    code = "not_found"
    status = 404


class PermissionDenied(VigilError):
    """The user may see the record but not do this to it."""

    code = "forbidden"
    status = 403


class Conflict(VigilError):
    code = "conflict"
    status = 409
