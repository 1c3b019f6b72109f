"""Each role starts where its work is: after signing in, and at "/".

`vigil.core.context_processors.landing_url_name` maps a user's roles to the page; these
tests hold each role to its page, through the real sign-in (password and second factor)
and through "/" for a user already signed in, and check that the page it sends them to
opens for them (a landing page they could not open would be no start at all).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.context_processors import landing_url_name
from vigil.core.testing import PASSWORD, make_force, make_team, make_user, verified_client

pytestmark = pytest.mark.django_db

# (role, team kind, scope, rank) → the page the role lands on.
CASES = [
    (
        "polit investigator",
        Role.OFFICER,
        TeamKind.POLIT,
        Scope.TEAM,
        Rank.CONSTABLE,
        "duties:my-work",
    ),
    (
        "polit sergeant",
        Role.SUPERVISOR,
        TeamKind.POLIT,
        Scope.TEAM,
        Rank.SERGEANT,
        "duties:team-work",
    ),
    (
        "polit inspector",
        Role.MANAGER,
        TeamKind.POLIT,
        Scope.TEAM,
        Rank.INSPECTOR,
        "duties:outstanding",
    ),
    (
        "offender manager",
        Role.OFFICER,
        TeamKind.MOSOVO,
        Scope.TEAM,
        Rank.CONSTABLE,
        "duties:my-work",
    ),
    (
        "mosovo sergeant",
        Role.SUPERVISOR,
        TeamKind.MOSOVO,
        Scope.TEAM,
        Rank.SERGEANT,
        "offenders:review-queue",
    ),
    (
        "mosovo inspector",
        Role.MANAGER,
        TeamKind.MOSOVO,
        Scope.FORCE,
        Rank.INSPECTOR,
        "duties:outstanding",
    ),
    ("analyst", Role.ANALYST, TeamKind.OTHER, Scope.FORCE, Rank.STAFF, "demand:list"),
    (
        "pcc office",
        Role.ASSURANCE,
        TeamKind.OTHER,
        Scope.FORCE,
        Rank.STAFF_SENIOR,
        "assurance:dashboard",
    ),
    ("auditor", Role.AUDITOR, TeamKind.OTHER, Scope.FORCE, Rank.STAFF_MANAGER, "audit:search"),
    ("wellbeing", Role.WELLBEING, TeamKind.OTHER, Scope.FORCE, Rank.STAFF, "workforce:screening"),
    ("probation", Role.PROBATION, TeamKind.OTHER, Scope.TEAM, Rank.EXTERNAL, "partners:inbox"),
    (
        "administrator",
        Role.ADMIN,
        TeamKind.OTHER,
        Scope.FORCE,
        Rank.STAFF_MANAGER,
        "accounts:users",
    ),
]
IDS = [case[0] for case in CASES]


def _user(role, kind, scope, rank):
    force = make_force()
    if role == Role.PROBATION:
        # A practitioner belongs to a probation region's team, which the partnership makes.
        from vigil.partners.services import agreements

        admin = make_user(
            Role.ADMIN, make_team(force, name="Admin", kind=TeamKind.OTHER), scope=Scope.FORCE
        )
        team = agreements.region_create(
            actor=admin, force=force, name="Wales", name_cy="Cymru"
        ).team
        return make_user(role, team, scope=scope, rank=rank)
    team = make_team(force, name=f"{kind} team", kind=kind)
    return make_user(role, team, scope=scope, rank=rank)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


@pytest.mark.parametrize(("label", "role", "kind", "scope", "rank", "expected"), CASES, ids=IDS)
def test_home_sends_each_role_to_where_its_work_is(label, role, kind, scope, rank, expected):
    user = _user(role, kind, scope, rank)
    assert landing_url_name(user) == expected
    client = verified_client(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse(expected)
    # The landing page opens for them, and reading it is recorded like any other page.
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(("label", "role", "kind", "scope", "rank", "expected"), CASES, ids=IDS)
def test_signing_in_ends_on_the_roles_landing_page(label, role, kind, scope, rank, expected):
    user = _user(role, kind, scope, rank)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    response = client.post(reverse("accounts:two-factor"), {"code": _code(device)}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(expected)
    assert AuditEvent.objects.filter(action="auth.sign_in", actor_id=user.pk).exists()


def test_a_user_with_several_roles_starts_with_the_supervisory_work():
    polit = make_team(make_force(), name="POLIT", kind=TeamKind.POLIT)
    user = make_user(Role.OFFICER, polit)
    assert landing_url_name(user) == "duties:my-work"
    from vigil.accounts.models import Membership

    Membership.objects.create(user=user, team=polit, role=Role.SUPERVISOR, scope=Scope.TEAM)
    user = type(user).objects.get(pk=user.pk)  # memberships are cached per user object
    assert landing_url_name(user) == "duties:team-work"
    assert verified_client(user).get("/")["Location"] == reverse("duties:team-work")


def test_a_user_with_no_role_lands_on_the_policies():
    user = make_user(None)
    assert verified_client(user).get("/")["Location"] == reverse("core:policies")


def test_anonymous_users_are_sent_to_sign_in_not_to_a_landing_page():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
