import pytest

from vigil.accounts.choices import Role
from vigil.core.testing import make_user


@pytest.fixture
def officer(team):
    return make_user(Role.OFFICER, team)


@pytest.fixture
def supervisor(team):
    return make_user(Role.SUPERVISOR, team)
