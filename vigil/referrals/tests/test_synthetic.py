import datetime as dt
import random

import pytest

from vigil.accounts.choices import Role, TeamKind
from vigil.core.testing import make_team, make_user
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.referrals import duty_kinds
from vigil.referrals.choices import Status
from vigil.referrals.models import Referral
from vigil.referrals.synthetic import generate_referrals
from vigil.referrals.tests.helpers import make_person

pytestmark = pytest.mark.django_db
KINDS = [
    duty_kinds.ASSESSMENT,
    duty_kinds.SIGN_OFF,
    duty_kinds.ACTION_TARGET,
    duty_kinds.RSO_NOTICE,
]


def test_it_generates_a_realistic_flow_that_obeys_the_rules(polit, force, other_team):
    cid = make_team(force, name="CID", kind=TeamKind.OTHER)
    make_person(other_team, make_user(Role.OFFICER, other_team), register_reference="01/000001")
    counts = generate_referrals(
        rng=random.Random(3),
        force=force,
        polit_team=polit.team,
        other_teams=[cid, other_team],
        officers=[polit.officer],
        supervisors=[polit.supervisor, polit.second],
        today=dt.date.today(),
        per_week=6,
        years=2,
    )
    total = Referral.objects.count()
    assert counts["referrals"] == total and 450 < total < 800
    # Earlier years have fewer referrals than the latest.
    first_year = Referral.objects.filter(
        received_at__lt=Referral.objects.order_by("received_at").first().received_at
        + dt.timedelta(days=365)
    ).count()
    assert first_year < total - first_year
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {Status.ALLOCATED, Status.CLOSED} <= statuses
    assert counts.get("actioned_late", 0) > 0
    # Missed targets in the history are completed late; the open ones are in the ledger.
    assert Duty.objects.filter(kind=duty_kinds.ACTION_TARGET).exists()
    assert duties_check(kinds=KINDS) == []
    again = generate_referrals(
        rng=random.Random(3),
        force=force,
        polit_team=polit.team,
        other_teams=[cid],
        officers=[polit.officer],
        supervisors=[polit.supervisor, polit.second],
        today=dt.date.today(),
        per_week=1,
        years=1,
    )
    assert again["referrals"] > 0
