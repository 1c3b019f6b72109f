"""Test set-up shared by every app."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _patch_flush_for_audit_triggers():
    """Browser tests empty the database between tests; the audit table refuses DELETE and
    TRUNCATE, so the test flush lifts its triggers for the flush and puts them back."""
    from django.db.backends.postgresql import base as postgres_base
    from django.db.backends.sqlite3 import base as sqlite_base

    from vigil.audit.triggers import create_statements, drop_statements

    for cls in (sqlite_base.DatabaseOperations, postgres_base.DatabaseOperations):
        original = cls.sql_flush

        def sql_flush(self, style, tables, *, _original=original, **kwargs):
            sql = _original(self, style, tables, **kwargs)
            if "audit_auditevent" not in tables or not sql:
                return sql
            vendor = self.connection.vendor
            return [*drop_statements(vendor), *sql, *create_statements(vendor)]

        cls.sql_flush = sql_flush


_patch_flush_for_audit_triggers()


@pytest.fixture
def force(db):
    from vigil.core.testing import make_force

    return make_force()


@pytest.fixture
def team(force):
    from vigil.core.testing import make_team

    return make_team(force)


@pytest.fixture
def other_team(force):
    from vigil.accounts.choices import TeamKind
    from vigil.core.testing import make_team

    return make_team(force, name="MOSOVO North", kind=TeamKind.MOSOVO)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at production strength costs a third of a second per user; tests make many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """Each test starts in English: a Welsh request in an earlier test must not leave the
    thread's language set for the next one."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: counts kept there (failed sign-ins from one
    network address) must not carry from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def seeded_register(request):
    """The recommendation register as its data migration seeds it (for every test that
    uses the database: reports and exports outside the assurance app read it too). Browser tests empty the
    database between tests (seeded rows included), so put it back when it is missing."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from importlib import import_module

    from django.apps import apps

    from vigil.assurance.models import Point

    if not Point.objects.exists():
        import_module("vigil.assurance.migrations.0002_seed_recommendations_and_points").seed(
            apps, None
        )
