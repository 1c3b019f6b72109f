import pytest

from vigil.accounts.choices import Rank, Role, Scope
from vigil.core.testing import make_user
from vigil.offenders.tests.helpers import make_nominal, mosovo_team


@pytest.fixture
def mteam(force):
    return mosovo_team(force)


@pytest.fixture
def officer(mteam):
    return make_user(Role.OFFICER, mteam, rank=Rank.CONSTABLE, full_name="Ffion Rowlands")


@pytest.fixture
def colleague(mteam):
    return make_user(Role.OFFICER, mteam, rank=Rank.CONSTABLE, full_name="Dafydd Jones")


@pytest.fixture
def sergeant(mteam):
    return make_user(Role.SUPERVISOR, mteam, rank=Rank.SERGEANT, full_name="Gethin Vaughan")


@pytest.fixture
def inspector(mteam):
    return make_user(Role.MANAGER, mteam, scope=Scope.FORCE, rank=Rank.INSPECTOR)


@pytest.fixture
def nominal(mteam, officer):
    return make_nominal(mteam, manager=officer)
