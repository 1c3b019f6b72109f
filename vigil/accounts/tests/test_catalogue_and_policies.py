"""Django's password messages are in Vigil's catalogue; the removed second-factor policy
leaves nothing behind."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth import password_validation
from django.test import Client
from django.urls import reverse

from vigil.accounts import password_messages
from vigil.core.models import PolicyOverride
from vigil.core.policy_registry import all_policies
from vigil.core.testing import make_user, verified_client


def _strings(path: Path, calls: set[str]) -> list[str]:
    """The string arguments of every call to one of `calls` in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in calls:
            found += [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
    return found


def test_vigil_marks_every_django_password_message_exactly():
    django_strings = _strings(Path(password_validation.__file__), {"_", "ngettext"})
    ours = _strings(Path(password_messages.__file__), {"gettext_noop", "ngettext_lazy"})
    ours = [s for s in ours if s != "min_length"]
    assert sorted(ours) == sorted(django_strings)


@pytest.mark.django_db
def test_a_password_message_is_looked_up_in_the_pages_language(monkeypatch):
    """The validators' messages are translated when they are raised, so a Welsh msgstr in
    Vigil's catalogue (once the lead adds it) is what a Welsh page shows. Shown here with a
    msgstr stood in for the test."""
    from django.utils import translation
    from django.utils.translation import trans_real

    from vigil.accounts import services
    from vigil.core.exceptions import ValidationFailed

    user = make_user()
    welsh = "Mae’r cyfrinair hwn yn rhy gyffredin."
    catalogue = trans_real.translation("cy")
    original = catalogue.gettext
    monkeypatch.setattr(
        catalogue,
        "gettext",
        lambda m: welsh if m == "This password is too common." else original(m),
    )
    with translation.override("cy"), pytest.raises(ValidationFailed) as caught:
        services.password_change(
            user=user, current_password="correct-horse-battery-staple-42", new_password="password"
        )
    assert welsh in str(caught.value.message)


@pytest.mark.django_db
def test_the_second_factor_is_not_a_policy_and_a_stored_override_is_harmless():
    assert "accounts.require_second_factor" not in {p.key for p in all_policies()}
    admin = make_user("admin")
    PolicyOverride.objects.create(
        key="accounts.require_second_factor",
        value=False,
        effective_from="2026-01-01T00:00:00Z",
        reason="Stored before the policy was removed",
        created_by=admin,
    )
    client = verified_client(admin)
    page = client.get(reverse("core:policies"))
    assert page.status_code == 200 and b"Second factor required" not in page.content
    assert client.get("/policies/accounts.require_second_factor/").status_code == 404
    assert client.get("/api/v1/policies").status_code == 200
    # The second factor is still required.
    assert Client().get("/work/").status_code == 302
