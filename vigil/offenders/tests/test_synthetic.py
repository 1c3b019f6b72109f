"""The synthetic nominals: deterministic for a seed, the national risk mix, five years of
history through the services, a consistent duty ledger and an unbroken audit chain."""

import datetime as dt
import random

import pytest
import time_machine

from vigil.accounts.choices import Rank, Role, Scope
from vigil.audit.services import verify_chain
from vigil.core.testing import make_user
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import selectors
from vigil.offenders.models import (
    Arms,
    Nominal,
    Plan,
    PndCheck,
    Review,
    Visit,
    VisitAuthorisation,
)
from vigil.offenders.synthetic import generate_nominals
from vigil.offenders.tests.helpers import make_person, mosovo_team
from vigil.people import services as people_services

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _world(force, n_people, *, restricted=0):
    teams = [mosovo_team(force, "MOSOVO East"), mosovo_team(force, "MOSOVO West")]
    managers, supervisors, people = {}, {}, []
    for team in teams:
        supervisors[team.pk] = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
        managers[team.pk] = [make_user(Role.OFFICER, team, rank=Rank.CONSTABLE) for _ in range(3)]
    make_user(Role.MANAGER, teams[0], scope=Scope.FORCE, rank=Rank.INSPECTOR)
    for i in range(n_people):
        team = teams[i % 2]
        person = make_person(team, actor=supervisors[team.pk])
        if i < restricted:
            people_services.person_restrict(
                actor=supervisors[team.pk], person=person, users=[], reason="Public figure"
            )
        people.append(person)
    return people, managers, supervisors


def _generate(world, seed=7, years=5):
    people, managers, supervisors = world
    with time_machine.travel(NOW, tick=False):
        return generate_nominals(
            rng=random.Random(seed),
            people=people,
            managers=managers,
            supervisors=supervisors,
            today=NOW.date(),
            years=years,
        )


def _shape(world):
    """What the data look like, person by person, without the random UUIDs and names."""
    people, managers, _supervisors = world
    by_person = {
        n.person_id: n for n in Nominal.objects.filter(person__in=people).select_related("team")
    }
    shape = []
    for person in people:
        n = by_person.get(person.pk)
        if n is None:
            shape.append(None)
            continue
        shape.append(
            (
                n.risk_level,
                n.status,
                [m.pk for m in managers[n.team_id]].index(n.offender_manager_id),
                sorted((v.visited_at, v.compliant, v.officer_count) for v in n.visits.all()),
                n.arms.count(),
                n.plans.count(),
            )
        )
    return shape


def test_it_builds_five_years_of_history_with_a_consistent_ledger(force):
    world = _world(force, 40, restricted=2)
    counts = _generate(world)
    assert counts["nominals"] == Nominal.objects.count() == 40
    assert counts["visits"] == Visit.objects.count() > 150
    assert counts["arms"] == Arms.objects.count()
    assert counts["plans"] == Plan.objects.count()
    assert counts["reviews"] == Review.objects.filter(reviewed_at__isnull=False).count()
    assert counts["authorisations"] == VisitAuthorisation.objects.count() > 0
    # five years of history, nothing in the future
    first = Visit.objects.order_by("visited_at").first().visited_at
    assert first < NOW - dt.timedelta(days=4 * 365)
    assert not Visit.objects.filter(visited_at__gt=NOW).exists()
    # realistic imperfections
    assert Visit.objects.filter(compliant=False).exists()
    assert Visit.objects.filter(compliant=False, authorisation__isnull=True).exists()
    assert VisitAuthorisation.objects.filter(in_time=False).exists()
    assert VisitAuthorisation.objects.filter(authorised_at__lt=models_f_visited()).exists()
    assert counts["reviews_late"] > 0
    with time_machine.travel(NOW, tick=False):
        overdue_visits = Duty.objects.filter(
            kind=kinds.VISIT, completed_at__isnull=True, due_at__lt=NOW
        )
        assert overdue_visits.exists()
        assert duties_check() == []
        # PND checks (Q): most active nominals in date, some lapsed, a few unassessed
        pnd = list(selectors.pnd_compliance())
        in_date = sum(r["pnd_in_date"] for r in pnd)
        assert len(pnd) * 0.6 <= in_date < len(pnd)
        assert counts["pnd_checks"] == PndCheck.objects.count()
        assert PndCheck.objects.filter(assessed_at__isnull=True).exists()
        # reactive management (P): some low-risk nominals, all of them low
        reactive = Nominal.objects.filter(management_mode="reactive")
        assert counts["reactive"] > 0 and reactive.exists()
        assert set(reactive.values_list("risk_level", flat=True)) == {"low"}
        assert not Duty.objects.filter(
            kind=kinds.VISIT, subject_id__in=reactive.values("uuid"), completed_at__isnull=True
        ).exists()
        metric = selectors.reactive_compliance()
        assert metric["total"] == reactive.count() and metric["meeting"] >= metric["total"] / 2
    assert verify_chain().ok


def models_f_visited():
    from django.db.models import F

    return F("visit__visited_at")


def test_it_follows_the_national_risk_mix(force):
    world = _world(force, 300)
    counts = _generate(world, seed=3, years=1)
    total = counts["nominals"]
    share = {level: counts.get(f"risk_{level}", 0) / total for level in kinds_levels()}
    assert 0.35 <= share["low"] <= 0.65
    assert 0.18 <= share["medium"] <= 0.42
    assert 0.08 <= share["high"] <= 0.28
    assert share["very_high"] <= 0.06
    assert Nominal.objects.filter(risk_level="").count() < total * 0.15


def kinds_levels():
    return ["very_high", "high", "medium", "low"]


def test_it_gives_the_same_data_for_the_same_seed(force):
    from vigil.core.testing import make_force

    first_world = _world(force, 20)
    second_world = _world(make_force("gwent", "Gwent Police"), 20)
    first = _generate(first_world, seed=11, years=2)
    second = _generate(second_world, seed=11, years=2)
    assert first == second
    assert _shape(first_world) == _shape(second_world)
    assert _generate(_world(make_force("dyfed", "Dyfed"), 20), seed=12, years=2) != first
