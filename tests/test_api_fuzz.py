"""Property-based tests of the whole JSON API from its own OpenAPI schema (schemathesis).

Every operation gets generated input, valid and invalid (positive and negative modes,
and schemathesis's coverage phase of boundary values), sent as a signed-in user of each
main role (officer, supervisor, manager, administrator, assurance) with an API token, on
a small data set made through the services. Whatever is sent, Vigil must answer without
a server error, with a status code the schema documents, in the documented shape (the
one error shape for every error).

In the suite each operation gets a few examples (VIGIL_FUZZ_EXAMPLES, default 3);
`make fuzz` runs many more (docs/security.md).
"""

import datetime as dt
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from vigil.config.wsgi import application

EXAMPLES = int(os.environ.get("VIGIL_FUZZ_EXAMPLES", "3"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
# Schemathesis's coverage phase (every boundary value of every parameter) takes minutes
# per operation: `make fuzz` runs it, the suite does not.
PHASES = ["examples", "fuzzing"]
if os.environ.get("VIGIL_FUZZ_COVERAGE") == "1":
    PHASES.append("coverage")
schema.config.phases.update(phases=PHASES)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def _keep_test_connection():
    # As Django's test client does: the test database connection must outlive requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, _keep_test_connection):
    """An API token for each main role, and a few records for them to find."""
    from vigil.accounts.choices import Rank, Role, Scope, TeamKind
    from vigil.accounts.services import api_token_create
    from vigil.core.testing import make_team, make_user
    from vigil.people import services as people

    team = make_team()
    admin = make_user(Role.ADMIN, team)
    users = {
        "officer": make_user(Role.OFFICER, team),
        "supervisor": make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT),
        "manager": make_user(Role.MANAGER, team, scope=Scope.FORCE, rank=Rank.INSPECTOR),
        "admin": admin,
        "assurance": make_user(Role.ASSURANCE, make_team(name="PCC office", kind=TeamKind.OTHER)),
    }
    for i, (given, family) in enumerate([("Siân", "Rowlands"), ("Eira", "Morgan")]):
        person = people.person_create(
            actor=users["supervisor"],
            team=team,
            given_name=given,
            family_name=family,
            date_of_birth=dt.date(1970 + i, 1, 1),
            confirm_not_duplicate=True,
        )
        people.alias_add(
            actor=users["supervisor"], person=person, given_name=given, family_name="Jones"
        )
    return {
        role: api_token_create(actor=admin, user=user, name=f"fuzz {role}")[1]
        for role, user in users.items()
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
def test_the_api_answers_anything_as_its_schema_says(case, tokens):
    for role, token in tokens.items():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=CHECKS)
        if response.status_code >= 400:
            headers = {k.lower(): v for k, v in response.headers.items()}
            kind = headers.get("content-type", [""])
            kind = kind[0] if isinstance(kind, list) else kind
            assert kind.startswith("application/json"), (
                role,
                case.method,
                case.formatted_path,
                response.status_code,
                response.text[:300],
            )
            body = response.json()
            assert set(body) == {"error"}, (role, body)
            assert {"code", "message", "fields"} <= set(body["error"]), (role, body)
