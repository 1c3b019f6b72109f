"""The probation practitioner sees only what is shared with them.

Walks every page and every API operation as a practitioner (as tests/test_anonymous.py
does for someone not signed in), with the ids of real records of the force where a
pattern takes one, and asserts that nothing opens but the partnership's pages, their own
account's pages and the pages every signed-in user has (which hold no personal data)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from vigil.core.testing import verified_client
from vigil.partners.services import requests as services

pytestmark = pytest.mark.django_db

# Pages a practitioner may open, and why.
OPEN_TO_PRACTITIONERS = {
    "partners/": "the partnership (scoped to their region)",
    "account/": "their own account: password, second factor, language, sign out",
    "language/": "choosing English or Cymraeg",
    "health": "the load balancer's check",
    "policies/": "the force's policy values (no personal data), linked for everyone",
    "work/notifications": "their own notifications (of their own duties)",
    "workforce/screening/mine/": "their own wellbeing screening appointments",
    "workforce/training/mine/": "their own training record (empty unless they hold a staff record)",
}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _routes() -> list[str]:
    return sorted(
        r
        for r in set(_patterns(get_resolver()))
        if not r.startswith(("api/", "static/", "^static"))
    )


def _concrete(route: str, ids: list[str]) -> list[str]:
    if not re.search(r"<(?:(\w+):)?\w+>", route):
        return ["/" + route]
    urls = []
    for value in ids:
        sample = {"uuid": value, "str": "a", "int": "1", "path": "a", "slug": "a"}
        urls.append("/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: sample[m.group(1) or "str"], route))
    return urls


@pytest.fixture
def shared(world, nominal):
    """A request each way about the nominal, and the ids of records of the force: the
    nominal, its person, the duties and the audit events."""
    from vigil.duties.models import Duty

    to_probation = services.request_raise(
        actor=world.officer,
        agreement=world.agreement,
        kind="information",
        register_reference=world.reference(nominal),
        details="Address?",
    )
    services.request_raise(
        actor=world.practitioner,
        agreement=world.agreement,
        kind="risk_update",
        register_reference=world.reference(nominal),
        details="Risk?",
    )
    ids = {
        str(nominal.uuid),
        str(nominal.person.uuid),
        str(world.mosovo.team.uuid),
        str(world.region.team.uuid),
        str(world.officer.uuid),
        *(str(u) for u in Duty.objects.values_list("uuid", flat=True)),
        str(uuid.uuid4()),
    }
    return to_probation, sorted(ids)


def test_a_practitioner_opens_nothing_but_what_is_shared(world, shared):
    _request, ids = shared
    client = verified_client(world.practitioner)
    opened = []
    for route in _routes():
        if route.startswith(tuple(OPEN_TO_PRACTITIONERS)) or route == "":
            continue
        for url in _concrete(route, ids):
            response = client.get(url)
            if response.status_code == 200:
                opened.append(url)
            # A redirect may only go to the partnership or the sign-in.
            if response.status_code == 302:
                assert (
                    response["Location"].startswith(("/partners/", "/account/", "/?", "/policies/"))
                    or response["Location"] == "/"
                ), (url, response["Location"])
    assert opened == []


# API operations a practitioner may call, and why.
API_OPEN_TO_PRACTITIONERS = {
    "/api/v1/me": "their own account",
    "/api/v1/policies": "the force's policy values (no personal data)",
    "/api/v1/accounts/teams": "teams are not personal data (every signed-in user)",
    "/api/v1/duties/notifications": "their own notifications",
    "/api/v1/workforce/screening/mine": "their own wellbeing screening",
    "/api/v1/workforce/training/mine": "their own training record",
}


def test_every_api_operation_but_the_partnerships_refuses_a_practitioner(world, shared):
    from vigil.config.api import api

    _request, ids = shared
    client = verified_client(world.practitioner)
    schema = api.get_openapi_schema()
    opened = []
    for path, operations in schema["paths"].items():
        if "get" not in operations or path.startswith("/api/v1/partners"):
            continue
        for value in ids if "{" in path else [None]:
            url = re.sub(r"\{\w+\}", value or "", path)
            response = client.get(url)
            if response.status_code == 200 and path not in API_OPEN_TO_PRACTITIONERS:
                opened.append(url)
    assert opened == [], opened


def test_the_home_page_takes_a_practitioner_to_their_inbox(world):
    response = verified_client(world.practitioner).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/partners/"


def test_the_request_shows_only_the_shared_details_of_the_nominal(world, shared, nominal):
    request, _ids = shared
    client = verified_client(world.practitioner)
    page = client.get(f"/partners/requests/{request.uuid}/").content.decode()
    assert nominal.person.full_name in page
    assert world.officer.full_name in page  # the managing officer
    # Nothing links to the police's own records of the nominal.
    assert f"/nominals/{nominal.uuid}" not in page
    assert f"/people/{nominal.person.uuid}" not in page
    api = client.get(f"/api/v1/partners/requests/{request.uuid}").json()
    assert set(api["nominal"]) == {
        "name",
        "date_of_birth",
        "risk_level",
        "mappa_category",
        "mappa_level",
        "managing_officer",
    }
