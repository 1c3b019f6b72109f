"""The synthetic history: deterministic for a seed, through the services, obeying the rules."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from vigil.accounts.choices import Rank, Role
from vigil.core import clock
from vigil.core.testing import make_user
from vigil.duties.checks import duties_check
from vigil.investigations.models import EnforcementDecision, Investigation, Transition
from vigil.investigations.synthetic import generate_investigation_history
from vigil.investigations.tests.helpers import make_investigation

pytestmark = pytest.mark.django_db


def _build(team, unit, seed):
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
    inspector = make_user(Role.MANAGER, team, rank=Rank.INSPECTOR)
    officers = [make_user(Role.OFFICER, team) for _ in range(3)] + [make_user(Role.OFFICER, unit)]
    rng = random.Random(seed)
    start = timezone.now() - dt.timedelta(days=400)
    investigations = []
    for i in range(25):
        officer = officers[i % len(officers)]
        with clock.replay(start + dt.timedelta(days=i * 9)):
            investigations.append(
                make_investigation(
                    team,
                    allocated_team=unit if officer.memberships.get().team == unit else team,
                    officer=officer,
                    actor=sergeant,
                )
            )
    result = generate_investigation_history(
        rng=rng,
        investigations=investigations,
        supervisors=[sergeant],
        inspectors=[inspector],
        today=clock.today(),
    )
    return result


def test_it_drives_realistic_lifecycles_that_obey_the_rules(team, unit):
    result = _build(team, unit, seed=3)
    assert result.decisions > 10 and result.reassessments > 20 and result.transitions > 10
    states = set(Investigation.objects.values_list("state", flat=True))
    assert len(states) >= 4
    assert not Transition.objects.filter(at__gt=timezone.now()).exists()
    # Every RUI has its exceptional rationale and authorisation (point E's second metric).
    assert not EnforcementDecision.objects.filter(kind="rui", authorised_by=None).exists()
    # Some enforcement without a recent reassessment (an imperfection), overridden.
    assert result.skipped == 0
    # Imperfections: some enforcement without a recent reassessment (overridden), most with.
    assert EnforcementDecision.objects.filter(override_by__isnull=False).exists()
    assert EnforcementDecision.objects.filter(reassessed_in_window=True).count() > 5
    # Bail with checks, and realistic gaps: some ended periods were never checked.
    from vigil.investigations.models import Bail, FamilySupportOffer
    from vigil.investigations.selectors import bail_check_metric, family_support_metric

    assert Bail.objects.exists() and result.bail_checks > 0
    metric = bail_check_metric()
    assert metric["ended"] > 0 and 0 < metric["checked"] <= metric["ended"]
    # Every arrest and voluntary attendance recorded the welfare prompt.
    assert not EnforcementDecision.objects.filter(
        kind__in=["arrest", "voluntary_attendance"], welfare_assessment=""
    ).exists()
    # Support offers: most recorded, some missing.
    offers = FamilySupportOffer.objects.count()
    enforced = Investigation.objects.filter(first_enforcement_at__isnull=False).count()
    assert 0 < offers < enforced and result.support_offers == offers
    assert family_support_metric()["due"] > 0


def test_it_is_deterministic_for_a_seed(team, unit):
    from vigil.accounts.choices import TeamKind
    from vigil.core.testing import make_force, make_team

    first = _build(team, unit, seed=7)
    force = make_force("gwent", "Gwent Police")
    second = _build(
        make_team(force, name="POLIT Gwent"),
        make_team(force, name="CID Newport", kind=TeamKind.OTHER),
        seed=7,
    )
    assert first == second
    assert [d for d in duties_check() if d.kind.startswith("investigations.")] == []
