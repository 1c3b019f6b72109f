import pytest

from vigil.referrals.tests.helpers import polit_people


@pytest.fixture
def polit(force):
    team, officer, supervisor, second = polit_people(force)
    return type(
        "Polit", (), {"team": team, "officer": officer, "supervisor": supervisor, "second": second}
    )
