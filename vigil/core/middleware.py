"""Security headers and request ids."""

from __future__ import annotations

import uuid

from django.conf import settings

from vigil.audit.context import request_id


class ContentSecurityPolicyMiddleware:
    """Adds Vigil's content security policy (no inline script, no third-party origins)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.VIGIL_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Personal data: neither the browser nor a proxy keeps a copy (ASVS 8.2.1).
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response


class RequestIdMiddleware:
    """Gives each request an id (or keeps a trusted proxy's X-Request-ID) for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = (
            incoming
            if incoming and len(incoming) <= 64 and incoming.isprintable()
            else uuid.uuid4().hex
        )
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response.headers["X-Request-ID"] = rid
        return response
