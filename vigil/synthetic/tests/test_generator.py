import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from vigil.accounts.models import Force, Membership, Team, User
from vigil.assurance.models import MetricSnapshot
from vigil.audit.services import verify_chain
from vigil.duties.checks import duties_check
from vigil.people.models import Address, Person
from vigil.register.models import Discrepancy, Extract
from vigil.synthetic import generator
from vigil.synthetic.generator import DEMO_PASSWORD, Scale, generate

pytestmark = pytest.mark.django_db
TINY = Scale(forces=2, nominals_per_force=30, suspects_per_force=20, officers_per_team=2)


def _snapshot():
    return {
        "forces": list(Force.objects.order_by("code").values_list("code", "name")),
        "teams": list(
            Team.objects.order_by("force__code", "name").values_list("force__code", "name", "kind")
        ),
        "users": list(User.objects.order_by("email").values_list("email", "full_name", "rank")),
        "people": list(
            Person.objects.order_by(
                "register_reference", "family_name", "given_name", "date_of_birth"
            ).values_list(
                "given_name",
                "family_name",
                "date_of_birth",
                "pnc_id",
                "register_reference",
                "team__name",
                "is_restricted",
            )
        ),
        "addresses": sorted(Address.objects.values_list("line1", "town", "postcode", "valid_from")),
    }


def _generate_and_roll_back(seed):
    with transaction.atomic():
        generate(scale=TINY, seed=seed)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_it_is_deterministic_for_a_seed_and_differs_between_seeds():
    first = _generate_and_roll_back(7)
    assert first == _generate_and_roll_back(7)
    assert first["people"] != _generate_and_roll_back(8)["people"]


def test_it_builds_forces_teams_users_and_people_that_obey_the_rules():
    result = generate(scale=TINY, seed=1)
    assert result.forces == 2 and Force.objects.count() == 2
    # Five teams a force, and the first force's probation region (a partner team).
    assert Team.objects.count() == 11
    assert Team.objects.filter(probation_region__isnull=False).count() == 1
    assert result.people == Person.objects.count() == 2 * (30 + 20)
    assert Person.objects.filter(team__kind="mosovo").exclude(register_reference="").count() == 60
    assert all(p.addresses.filter(valid_to__isnull=True).count() == 1 for p in Person.objects.all())
    # Every demo account exists with its role, and signs in with the printed password.
    for local, _name, _team, role, _scope, _rank in generator.DEMO_ACCOUNTS:
        user = User.objects.get(email=f"{local}@{generator.DEMO_DOMAIN}")
        assert user.check_password(DEMO_PASSWORD)
        assert Membership.objects.filter(user=user, role=role).exists()
    assert verify_chain().ok
    assert duties_check() == []
    # Register extracts were reconciled over the years (point I as of past dates), the
    # last leaving its injected discrepancies to work; the trend charts have snapshots.
    assert Extract.objects.count() > 10
    assert set(Extract.objects.values_list("status", flat=True)) == {"complete"}
    assert result.discrepancies > 0
    assert Discrepancy.objects.filter(closed_at__isnull=True).count() == result.discrepancies
    assert MetricSnapshot.objects.values("as_of").distinct().count() == result.snapshots >= 53
    # Invented history e-mails no one.
    assert mail.outbox == []


@override_settings(DEMO_MODE=True, VIGIL_REQUIRE_SECOND_FACTOR=False)
def test_demo_sets_up_and_prints_the_accounts(monkeypatch):
    monkeypatch.setitem(generator.SCALES, "force", TINY)
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "polit.officer@demo.vigil.test" in text and DEMO_PASSWORD in text
    response = Client().post(
        "/account/sign-in/", {"email": "polit.officer@demo.vigil.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_demo_refuses_to_run_outside_demo_mode():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="vigil demo"):
        call_command("demo", no_serve=True)


def test_it_generates_polit_history_that_obeys_the_rules():
    from vigil.investigations.models import Investigation
    from vigil.referrals.models import Referral

    small = Scale(
        forces=1,
        nominals_per_force=5,
        suspects_per_force=5,
        officers_per_team=3,
        referrals_per_week=2,
        referral_years=1,
    )
    result = generate(scale=small, seed=4)
    assert result.referrals == Referral.objects.count() > 50
    assert result.investigations == Investigation.objects.count() > 0
    # History spans the year, and some referrals are still waiting (realistic imperfections).
    received = Referral.objects.order_by("received_at").values_list("received_at", flat=True)
    assert (received.last() - received.first()).days > 300
    assert Referral.objects.filter(graded_at__isnull=True).exists()
    assert verify_chain().ok
    assert duties_check() == []


def test_the_number_of_forces_must_be_one_the_generator_knows():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="between 1 and 43"):
        call_command("generate", "--scale", "national", "--forces", "0")
    with pytest.raises(CommandError, match="between 1 and 43"):
        call_command("generate", "--scale", "national", "--forces", "44")
    assert not Force.objects.exists()
