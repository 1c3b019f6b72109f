"""Input no request may carry, refused before any view sees it.

A control character (a NUL byte above all: PostgreSQL cannot store one, so it would
end in a server error) has no place in anything typed into Vigil; tab, line feed and
carriage return are the only ones allowed. A JSON body may not name the same key twice
(which value counts would otherwise depend on the parser). Both are refused with a
translated message naming the field: on the API as the one error shape (422), on a
page as the "check what you sent" page (400). Nothing is written.

Sizes are limited by Django's settings (see docs/security.md): DATA_UPLOAD_MAX_MEMORY_SIZE
for a body other than files, VIGIL_MAX_UPLOAD_BYTES for an uploaded file.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


def _control_in(value, path: str = "") -> str | None:
    """The path ("a.0.b") of the first key or string in `value` holding a control
    character, or None."""
    if isinstance(value, str):
        return path if CONTROL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if CONTROL.search(str(key)):
                return here
            found = _control_in(item, here)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _control_in(item, f"{path}.{i}" if path else str(i))
            if found is not None:
                return found
    return None


# Whole numbers the database can hold (signed 64 bits), and the highest page number of
# a list (an offset of page × size must stay within them).
BIGINT = 2**63 - 1
MAX_PAGE = 10**9


def _too_big(value, path: str = "") -> str | None:
    """The path of the first whole number in `value` the database could not hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return path if abs(value) > BIGINT else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _too_big(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _too_big(item, f"{path}.{i}" if path else str(i))
            if found is not None:
                return found
    return None


def problem(request) -> tuple[str, str] | None:
    """(field, message) for the first thing in the request that is refused, or None."""
    page = request.GET.get("page", "")
    if page.strip().lstrip("-").isdigit() and abs(int(page)) > MAX_PAGE:
        return "page", _("Enter a page number from 1 to %(max)s") % {"max": MAX_PAGE}
    for key, values in request.GET.lists():
        if CONTROL.search(key) or any(CONTROL.search(v) for v in values):
            return key, _("Remove the control character (such as a null byte) from this value")
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        content_type = request.content_type or ""
        api = request.path.startswith("/api/")
        if not api and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for key, values in request.POST.lists():
                if CONTROL.search(key) or any(CONTROL.search(v) for v in values):
                    return key, _(
                        "Remove the control character (such as a null byte) from this value"
                    )
        elif content_type.endswith("json") and request.body:
            try:
                data = json.loads(request.body, object_pairs_hook=_no_duplicates)
            except DuplicateKey as exc:
                return exc.key, _("This key is sent more than once. Send each key once.")
            except ValueError:
                return None  # not JSON: the API answers that itself (400)
            field = _control_in(data)
            if field is not None:
                return field, _(
                    "Remove the control character (such as a null byte) from this value"
                )
            field = _too_big(data)
            if field is not None:
                return field, _("Enter a smaller number")
    return None


class HostileInputMiddleware:
    """Refuses a request carrying a control character or a JSON key twice (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        try:
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                raise RequestDataTooBig
            found = problem(request)
        except RequestDataTooBig:
            return self._refuse(
                request,
                status=413,
                code="too_large",
                field="",
                message=_("The data sent is larger than %(size)s MB: send a smaller file.")
                % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)},
            )
        if found is None:
            return self.get_response(request)
        field, message = found
        return self._refuse(
            request, status=422, code="validation_failed", field=field, message=message
        )

    def _refuse(self, request, *, status: int, code: str, field: str, message: str):
        if request.path.startswith("/api/"):
            from vigil.core.api import error_body

            if status == 422:
                body = error_body(
                    code,
                    _("Some of the data sent is not valid."),
                    [{"field": field, "message": message}],
                )
            else:
                body = error_body(code, message)
            return JsonResponse(body, status=status)
        return render(
            request,
            "errors/400.html",
            {"field": field, "message": message},
            status=400 if status == 422 else status,
        )
