"""Nobody signed in reaches anything but the sign-in page, on any page or API operation.

Walks every URL pattern and every operation of the API schema, so a page or endpoint
added later is covered without anyone remembering to add it here.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages open to everyone, and why.
PUBLIC = {
    "account/sign-in/": "signing in",
    "health": "the load balancer's health check (says nothing but 'ok')",
    "language/<str:code>/": "choosing English or Cymraeg before signing in",
}
SAMPLE = {"uuid": str(uuid.uuid4()), "str": "a", "int": "1", "path": "a", "slug": "a"}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _page_routes() -> list[str]:
    return sorted(
        route
        for route in set(_patterns(get_resolver()))
        if not route.startswith(("api/", "static/", "^static")) and route not in PUBLIC
    )


def _concrete(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)


@pytest.mark.parametrize("route", _page_routes())
def test_every_page_sends_someone_not_signed_in_to_sign_in(route):
    url = _concrete(route)
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        if response.status_code == 405:  # the other method only: refused before anything
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        assert response["Location"].startswith("/account/sign-in/"), (method, url)


def test_the_page_walk_covers_every_part_of_vigil():
    routes = _page_routes()
    assert len(routes) > 100
    for part in ("people/", "work/", "referrals/", "nominals/", "register/", "assurance/"):
        assert any(r.startswith(part) for r in routes), part


def _api_operations() -> list[tuple[str, str]]:
    from vigil.config.api import api

    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    )


def test_every_api_operation_refuses_someone_not_signed_in():
    operations = _api_operations()
    assert len(operations) > 100
    refused = []
    for method, path in operations:
        if path == "/api/v1/openapi.json":
            continue
        url = re.sub(
            r"\{(\w+)\}", lambda m: "1" if m.group(1) == "version" else SAMPLE["uuid"], path
        )
        response = Client().generic(method, url, data="{}", content_type="application/json")
        body = response.json() if response["Content-Type"].startswith("application/json") else {}
        if response.status_code != 401 or "error" not in body:
            refused.append((method, path, response.status_code))
    assert not refused, refused
