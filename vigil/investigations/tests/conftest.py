import pytest

from vigil.accounts.choices import Rank, Role, TeamKind
from vigil.core.testing import make_team, make_user


@pytest.fixture
def unit(force):
    """A unit outside POLIT that an investigation may be allocated to."""
    return make_team(force, name="CID Aberystwyth", kind=TeamKind.OTHER)


@pytest.fixture
def officer(team):
    return make_user(Role.OFFICER, team, full_name="Ffion Rowlands")


@pytest.fixture
def sergeant(team):
    return make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT, full_name="Carys Howells")


@pytest.fixture
def inspector(team):
    return make_user(Role.MANAGER, team, rank=Rank.INSPECTOR, full_name="Owain Jenkins")


@pytest.fixture
def unit_officer(unit):
    return make_user(Role.OFFICER, unit, full_name="Rhys Pritchard")


@pytest.fixture
def unit_supervisor(unit):
    return make_user(Role.SUPERVISOR, unit, rank=Rank.SERGEANT)


@pytest.fixture
def superintendent(team):
    return make_user(Role.MANAGER, team, rank=Rank.SUPERINTENDENT, full_name="Gareth Morgan")


@pytest.fixture
def seeded_directory(db):
    """The directory as the data migration seeds it. Browser tests empty the database
    between tests (seeded rows included), so tests that rely on the seed put it back."""
    from importlib import import_module

    from django.apps import apps

    import_module("vigil.investigations.migrations.0005_seed_support_organisations").seed(
        apps, None
    )


@pytest.fixture
def gwent(db):
    """A second force in the same installation (a regional or national deployment)."""
    from vigil.accounts.models import Force

    return Force.objects.create(code="gwent", name="Gwent Police", name_cy="Heddlu Gwent")


@pytest.fixture
def gwent_team(gwent):
    return make_team(gwent, name="POLIT Gwent")


@pytest.fixture
def directory(force, gwent):
    """One entry for each of two forces and one national entry (no force)."""
    from vigil.investigations.models import SupportOrganisation

    def entry(name, entry_force):
        return SupportOrganisation.objects.create(
            force=entry_force,
            name_en=name,
            description_en=f"What {name} offers",
            website=f"https://{name.split()[0].lower()}.example.org",
        )

    return {
        "national": entry("Nationwide helpline", None),
        "dyfed": entry("Dyfed-Powys family support", force),
        "gwent": entry("Gwent family support", gwent),
    }
