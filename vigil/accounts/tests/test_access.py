import pytest

from vigil.accounts import access
from vigil.accounts.choices import Rank, Role, Scope
from vigil.core.testing import make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rank", "needed", "expected"),
    [
        (Rank.SERGEANT, Rank.INSPECTOR, False),
        (Rank.INSPECTOR, Rank.INSPECTOR, True),
        (Rank.CHIEF_INSPECTOR, Rank.INSPECTOR, True),
        (Rank.STAFF_MANAGER, Rank.INSPECTOR, True),
        (Rank.STAFF, Rank.SERGEANT, False),
        (Rank.EXTERNAL, Rank.CONSTABLE, False),
        (Rank.CHIEF_OFFICER, Rank.SUPERINTENDENT, True),
    ],
)
def test_rank_sets_the_authorisation_level(rank, needed, expected):
    assert access.rank_at_least(make_user(rank=rank), needed) is expected


def test_scope_reaches_the_team_or_the_whole_force(force):
    polit = make_team(force, name="POLIT")
    mosovo = make_team(force, name="MOSOVO", kind="mosovo")
    team_officer = make_user(Role.OFFICER, polit)
    force_manager = make_user(Role.MANAGER, mosovo, scope=Scope.FORCE)
    assert access.team_scope(team_officer, [Role.OFFICER]) == ({polit.pk}, set())
    assert access.team_scope(force_manager, [Role.MANAGER]) == (set(), {force.pk})
    assert access.team_scope(force_manager, [Role.OFFICER]) == (set(), set())
    assert access.is_aggregates_only(make_user(Role.ASSURANCE, polit))
    assert not access.is_aggregates_only(force_manager)
    assert access.primary_team(team_officer) == polit


def test_memberships_are_read_once_per_request(django_assert_num_queries):
    user = make_user(Role.SUPERVISOR)
    with django_assert_num_queries(1):
        access.is_supervisor(user)
        access.has_role(user, Role.OFFICER)
        access.team_scope(user, [Role.SUPERVISOR])


def test_team_and_force_names_follow_the_page_language():
    from django.utils import translation

    from vigil.core.testing import make_force, make_team

    force = make_force()
    team = make_team(force, name="MOSOVO East")
    team.name_cy = "MOSOVO Dwyrain"
    team.save(update_fields=["name_cy"])
    with translation.override("cy"):
        assert team.localised_name == "MOSOVO Dwyrain"
        assert force.localised_name == "Heddlu Dyfed-Powys"
    with translation.override("en"):
        assert team.localised_name == "MOSOVO East"
        assert force.localised_name == "Dyfed-Powys Police"
