"""Property-based tests of the whole JSON API from its own OpenAPI schema (schemathesis).

Every operation gets generated input, valid and invalid. Whatever is sent, Vigil must
answer without a server error, in the documented shape. Requests are made as a
force-wide manager with an API token, so that the operations run rather than stop at 401.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from vigil.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(scope="module")
def _keep_test_connection():
    # As Django's test client does: the test database connection must outlive requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, _keep_test_connection):
    from vigil.accounts.choices import Rank, Role, Scope
    from vigil.accounts.services import api_token_create
    from vigil.core.testing import make_team, make_user

    team = make_team()
    manager = make_user(Role.MANAGER, team, scope=Scope.FORCE, rank=Rank.INSPECTOR)
    admin = make_user(Role.ADMIN, team)
    return api_token_create(actor=admin, user=manager, name="fuzz")[1]


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_never_fails_with_a_server_error(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code}"
    )
    if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith(
        "application/json"
    ):
        body = response.json()
        assert set(body) == {"error"} and {"code", "message", "fields"} <= set(body["error"]), body
