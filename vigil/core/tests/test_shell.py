import os
import re
import subprocess
import sys

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db


def test_it_sends_the_security_headers():
    response = Client().get(reverse("accounts:sign-in"))
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp
        and "frame-ancestors 'none'" in csp
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_every_page_has_the_language_switch_and_welsh_works():
    client = Client()
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert 'hreflang="cy"' in page and "Cymraeg" in page
    response = client.get(
        reverse("set-language", args=["cy"]), {"next": reverse("accounts:sign-in")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign-in")
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert '<html lang="cy"' in page
    assert "Mewngofnodi" in page


def test_the_language_switch_refuses_other_sites_and_unknown_languages():
    client = Client()
    assert (
        client.get(reverse("set-language", args=["cy"]), {"next": "https://evil.example/"})[
            "Location"
        ]
        == "/"
    )
    assert client.get(reverse("set-language", args=["fr"])).status_code == 404


@override_settings(DEMO_MODE=True)
def test_demo_mode_says_so_on_every_page():
    assert b"Demonstration mode" in Client().get(reverse("accounts:sign-in")).content


def test_outside_demo_mode_there_is_no_banner():
    assert b"Demonstration mode" not in Client().get(reverse("accounts:sign-in")).content


def test_the_404_page_is_the_same_for_missing_things():
    response = verified_client(make_user()).get("/no/such/page/")
    assert response.status_code == 404 and b"Page not found" in response.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer", "/work/"), ("auditor", "/audit/"), ("assurance", "/assurance/")],
)
def test_home_sends_each_role_to_its_start(role, expected):
    assert verified_client(make_user(role)).get("/")["Location"] == expected


def test_navigation_depends_on_role():
    officer_page = (
        verified_client(make_user("officer")).get(reverse("core:policies")).content.decode()
    )
    assert 'href="/work/"' in officer_page and 'href="/audit/"' not in officer_page
    auditor_page = (
        verified_client(make_user("auditor")).get(reverse("core:policies")).content.decode()
    )
    assert 'href="/audit/"' in auditor_page and 'href="/people/"' not in auditor_page


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    # Settings as a fresh process reads them: no VIGIL_* and no DATABASE_URL (the suite's
    # own, PostgreSQL in CI, would change what demo mode allows) unless the test gives one.
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("VIGIL_") and k != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "vigil.config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key_or_hosts():
    result = _settings_in_subprocess(
        {"VIGIL_MODE": "production", "VIGIL_ALLOWED_HOSTS": "vigil.example"}
    )
    assert result.returncode != 0 and "VIGIL_SECRET_KEY" in result.stderr
    result = _settings_in_subprocess({"VIGIL_MODE": "production", "VIGIL_SECRET_KEY": "k" * 60})
    assert result.returncode != 0 and "VIGIL_ALLOWED_HOSTS" in result.stderr
    result = _settings_in_subprocess(
        {
            "VIGIL_MODE": "production",
            "VIGIL_SECRET_KEY": "k" * 60,
            "VIGIL_ALLOWED_HOSTS": "vigil.example",
        }
    )
    assert result.returncode == 0, result.stderr


def test_demo_mode_is_refused_unless_vigil_demo_switched_it_on():
    # Set by hand (manage.py, gunicorn, ASGI): refused, so no server skips the second factor.
    result = _settings_in_subprocess({"VIGIL_MODE": "demo"})
    assert result.returncode != 0 and "vigil demo" in result.stderr
    launched = {"VIGIL_MODE": "demo", "VIGIL_DEMO_LAUNCHED_BY": "vigil demo"}
    assert _settings_in_subprocess(launched).returncode == 0
    # Never on a shared database.
    result = _settings_in_subprocess(
        {**launched, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/vigil"}
    )
    assert result.returncode != 0 and "SQLite" in result.stderr


def test_the_vigil_command_sets_demo_mode_for_vigil_demo_only(monkeypatch):
    from vigil.config import cli

    ran = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line",
        lambda argv: ran.append((argv, os.environ.get("VIGIL_MODE"))),
    )
    monkeypatch.setenv("VIGIL_MODE", "demo")
    monkeypatch.setenv("VIGIL_DEMO_LAUNCHED_BY", "vigil demo")
    cli.main(["sweep"])
    assert ran[-1] == (["vigil", "sweep"], "development")
    assert "VIGIL_DEMO_LAUNCHED_BY" not in os.environ
    cli.main(["demo", "--no-serve"])
    assert ran[-1] == (["vigil", "demo", "--no-serve"], "demo")
    assert os.environ["VIGIL_DEMO_LAUNCHED_BY"] == "vigil demo"


def test_vigil_serve_refuses_to_serve_outside_production_mode():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="VIGIL_MODE=production"):
        call_command("serve")


def test_bad_settings_values_are_refused():
    result = _settings_in_subprocess({"VIGIL_MODE": "sometimes"})
    assert result.returncode != 0 and "VIGIL_MODE" in result.stderr
    result = _settings_in_subprocess({"VIGIL_DEBUG": "perhaps"})
    assert result.returncode != 0 and "VIGIL_DEBUG" in result.stderr


def test_the_500_page_renders_without_the_database_or_the_user():
    from django.test import RequestFactory

    from vigil.core.views import error_500

    response = error_500(RequestFactory().get("/"))
    assert (
        response.status_code == 500 and b"Sorry, there is a problem with Vigil" in response.content
    )


def test_the_500_page_speaks_welsh_and_shows_the_demo_banner():
    from django.test import RequestFactory
    from django.utils import translation

    from vigil.core.views import error_500

    with translation.override("cy"):
        page = error_500(RequestFactory().get("/")).content.decode()
    assert '<html lang="cy"' in page and "Sorry, there is a problem" not in page
    assert "vigil-demo-banner" not in page
    with override_settings(DEMO_MODE=True):
        page = error_500(RequestFactory().get("/")).content.decode()
    assert "vigil-demo-banner" in page and "synthetic data only" in page


def test_the_api_schema_is_served_and_lists_every_router():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for prefix in (
        "/api/v1/people",
        "/api/v1/duties",
        "/api/v1/instruments",
        "/api/v1/audit",
        "/api/v1/accounts",
        "/api/v1/policies",
    ):
        assert any(p.startswith(prefix) for p in paths), prefix
    assert {"TokenAuth", "VerifiedSessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_a_multiple_choice_field_renders_as_checkboxes_not_radios():
    from django import forms
    from django.template import Context, Template

    class Form(forms.Form):
        many = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )
        one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    html = Template("{% govuk_field form.many %}{% govuk_field form.one %}").render(
        Context({"form": Form()})
    )
    assert html.count('type="checkbox"') == 2 and html.count('type="radio"') == 2


def test_no_government_branding_is_vendored():
    from pathlib import Path

    vendor = Path(__file__).resolve().parents[2] / "static" / "vendor"
    branded = [
        p.name
        for p in vendor.rglob("*")
        if any(w in p.name.lower() for w in ("crest", "crown", "opengraph", "apple-touch"))
    ]
    assert branded == []
    for css in vendor.rglob("*.css"):
        text = css.read_text()
        assert not re.search(r"url\([^)]*(crest|crown)", text), css.name
        assert "GDS Transport" not in text, css.name
