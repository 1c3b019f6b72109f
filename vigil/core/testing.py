"""Helpers shared by every app's tests: the force structure, users in each role, and
clients that are signed in past the second factor."""

from __future__ import annotations

import itertools
import threading

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.accounts.models import Force, Membership, Team, User

PASSWORD = "correct-horse-battery-staple-42"
_counter = itertools.count(1)


def make_force(code: str = "dyfed-powys", name: str = "Dyfed-Powys Police") -> Force:
    force, _ = Force.objects.get_or_create(
        code=code, defaults={"name": name, "name_cy": "Heddlu Dyfed-Powys"}
    )
    return force


def make_team(
    force: Force | None = None, *, name: str = "POLIT West", kind: str = TeamKind.POLIT
) -> Team:
    force = force or make_force()
    team, _ = Team.objects.get_or_create(force=force, name=name, defaults={"kind": kind})
    return team


def make_user(
    role: str | None = Role.OFFICER,
    team: Team | None = None,
    *,
    scope: str = Scope.TEAM,
    rank: str = Rank.CONSTABLE,
    email: str | None = None,
    full_name: str | None = None,
) -> User:
    n = next(_counter)
    user = User.objects.create_user(
        email or f"user{n}@example.police.uk",
        PASSWORD,
        full_name=full_name or f"Test User {n}",
        rank=rank,
    )
    if role is not None:
        Membership.objects.create(user=user, team=team or make_team(), role=role, scope=scope)
    return user


def verified_client(user: User) -> Client:
    """A test client signed in as `user` who has given the second factor."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def at_once(job, times: int = 2) -> list:
    """Run `job()` in `times` threads released together, each on its own database
    connection (for tests of concurrent work on PostgreSQL); their results, in the order
    they finished. Any exception in a thread fails the caller."""
    from django.db import connection

    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(job())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [], errors
    assert len(results) == times, "a thread did not finish"
    return results
