"""Assurance pages, the API and the command: every page and endpoint as anonymous, wrong
role, out of scope and permitted; drill-down for supervisors within scope and 404 for the
assurance/PCC office; no personal data on any assurance page; Welsh output."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from vigil.accounts.choices import Role, Scope, TeamKind
from vigil.assurance import metrics
from vigil.assurance.models import NarrativeUpdate, Point
from vigil.assurance.tests.factories import at
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_team, make_user, verified_client
from vigil.referrals.models import Referral

AS_OF = "2026-11-28"
SUSPECT = "Zebedee"


@pytest.fixture
def scene(world):
    """An ungraded referral of POLIT West (a gap in point A) about a named suspect."""
    suspect = world.person(given_name=SUSPECT, family_name="Quarrington")
    world.referral(at(2026, 6, 1), suspect=suspect, source_reference="NCA-GAP-1")
    world.referral(
        at(2026, 6, 2), priority="high", graded_at=at(2026, 6, 2, 15), source_reference="NCA-OK-1"
    )
    return world


@pytest.fixture
def office(scene):
    return make_user(Role.ASSURANCE, make_team(scene.force, name="PCC office", kind=TeamKind.OTHER))


@pytest.fixture
def other_sergeant(scene):
    return make_user(Role.SUPERVISOR, make_team(scene.force, name="POLIT East"))


PAGES = [
    ("assurance:dashboard", []),
    ("assurance:point", ["A"]),
    ("assurance:report", []),
]


def _who(scene, office, name):
    return {
        "office": office,
        "sergeant": scene.sergeant,
        "manager": make_user(Role.MANAGER, scene.polit, scope=Scope.FORCE),
        "officer": scene.officer,
    }[name]


@pytest.mark.parametrize("name,args", PAGES)
def test_pages_send_anonymous_users_to_sign_in(client, scene, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert "/account/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("name,args", PAGES)
def test_pages_refuse_roles_without_assurance_access(scene, name, args):
    response = verified_client(scene.officer).get(reverse(name, args=args))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["office", "sergeant", "manager"])
@pytest.mark.parametrize("name,args", PAGES)
def test_pages_show_figures_and_no_personal_data(scene, office, who, name, args):
    response = verified_client(_who(scene, office, who)).get(
        reverse(name, args=args), {"as_of": AS_OF}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert SUSPECT not in html and "Quarrington" not in html and "NCA-GAP-1" not in html


def test_the_dashboard_shows_each_point_with_its_figures(scene, office, point_not_measurable):
    response = verified_client(office).get(reverse("assurance:dashboard"), {"as_of": AS_OF})
    html = response.content.decode()
    for letter in "ABCDEFGHIJKLMNOPQRST":
        assert reverse("assurance:point", args=[letter]) in html
    assert "50.0% (1 of 2)" in html  # A: one of the two referrals graded
    assert "Not yet measurable" in html


def test_the_dashboard_filters_by_recommendation_and_status(scene, office):
    client = verified_client(office)
    html = client.get(reverse("assurance:dashboard"), {"recommendation": 15}).content.decode()
    assert reverse("assurance:point", args=["R"]) in html
    assert reverse("assurance:point", args=["A"]) not in html
    html = client.get(
        reverse("assurance:dashboard"), {"status": "red", "as_of": AS_OF}
    ).content.decode()
    assert reverse("assurance:point", args=["A"]) in html
    assert reverse("assurance:point", args=["D"]) not in html


def test_a_bad_as_of_date_is_an_error_on_the_form(scene, office):
    response = verified_client(office).get(reverse("assurance:dashboard"), {"as_of": "31/02/2026"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_an_unknown_point_is_404(scene, office):
    assert verified_client(office).get(reverse("assurance:point", args=["Z"])).status_code == 404


# --- drill-down -----------------------------------------------------------------------


def _gap_url():
    return reverse("assurance:gap", args=["referrals_assessed_before_allocation"])


def test_drill_down_is_404_for_the_assurance_office(scene, office):
    assert verified_client(office).get(_gap_url(), {"as_of": AS_OF}).status_code == 404


def test_drill_down_needs_a_reading_role(client, scene):
    assert client.get(_gap_url()).status_code == 302
    assert verified_client(scene.officer).get(_gap_url()).status_code == 403


def test_drill_down_lists_the_gap_within_the_supervisors_scope(scene):
    response = verified_client(scene.sergeant).get(_gap_url(), {"as_of": AS_OF})
    assert response.status_code == 200
    html = response.content.decode()
    assert "NCA-GAP-1" in html  # the ungraded referral
    assert "NCA-OK-1" not in html  # in the numerator: not a gap
    assert SUSPECT not in html  # references and dates, never a name
    gap = Referral.objects.get(source_reference="NCA-GAP-1")
    assert gap.get_status_display() in html and f">{gap.status}<" not in html  # labels
    event = AuditEvent.objects.filter(action="assurance.drill_down").latest("pk")
    assert event.changes["metric"] == "referrals_assessed_before_allocation"


def test_drill_down_shows_nothing_out_of_scope(scene, other_sergeant):
    response = verified_client(other_sergeant).get(_gap_url(), {"as_of": AS_OF})
    assert response.status_code == 200
    assert "NCA-GAP-1" not in response.content.decode()


def test_drill_down_of_a_point_not_yet_measurable_is_404(scene, point_not_measurable):
    # Whichever point Vigil does not measure yet (they become measurable as modules land).
    key = next(m.key for m in metrics.all_metrics() if not m.measurable)
    url = reverse("assurance:gap", args=[key])
    assert verified_client(scene.sergeant).get(url).status_code == 404


def test_drill_down_costs_a_fixed_number_of_queries(scene, django_assert_max_num_queries):
    client = verified_client(scene.sergeant)
    client.get(_gap_url(), {"as_of": AS_OF})
    for day in range(3, 20):
        scene.referral(at(2026, 6, day))
    with django_assert_max_num_queries(14):
        response = client.get(_gap_url(), {"as_of": AS_OF})
    assert response.status_code == 200


# --- editing the register --------------------------------------------------------------


def test_the_office_changes_a_point_on_its_page(scene, office):
    client = verified_client(office)
    url = reverse("assurance:point-edit", args=["C"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "implemented", "owner_en": "DCC", "owner_cy": "DPG"})
    assert response.status_code == 302
    assert Point.objects.get(letter="C").status == "implemented"
    assert AuditEvent.objects.filter(action="assurance.point_update").exists()


def test_the_change_form_shows_errors(scene, office):
    response = verified_client(office).post(
        reverse("assurance:point-edit", args=["C"]), {"status": "", "owner_en": ""}
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert Point.objects.get(letter="C").status == "in_progress"


def test_the_office_adds_an_update_and_it_shows_on_the_point(scene, office):
    client = verified_client(office)
    response = client.post(
        reverse("assurance:narrative-add", args=["E"]),
        {"text": "Decision audit completed.", "written_on": "2026-12-01"},
    )
    assert response.status_code == 302
    update = NarrativeUpdate.objects.get()
    assert (update.point.letter, update.author) == ("E", office)
    html = client.get(reverse("assurance:point", args=["E"])).content.decode()
    assert "Decision audit completed." in html


@pytest.mark.parametrize("who", ["sergeant", "officer"])
def test_others_cannot_edit_the_register(scene, office, who):
    client = verified_client(_who(scene, office, who))
    for name in ("assurance:point-edit", "assurance:narrative-add"):
        assert client.post(reverse(name, args=["E"]), {"text": "x"}).status_code == 403
    assert not NarrativeUpdate.objects.exists()


# --- Welsh ----------------------------------------------------------------------------


def test_pages_show_the_welsh_text_in_welsh(scene, office):
    client = verified_client(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = client.get(reverse("assurance:point", args=["A"])).content.decode()
    assert "Adolygu arferion presennol" in html
    assert "Grŵp Cyflawni" in html
    html = client.get(reverse("assurance:dashboard")).content.decode()
    assert "Adolygu arferion presennol" in html


# --- machine-readable ------------------------------------------------------------------


def _command(*args):
    out = io.StringIO()
    call_command("assurance", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_and_the_api_give_the_same_document(scene, office, point_not_measurable):
    from_command = _command("--json", "--as-of", AS_OF, "--force", scene.force.code)
    response = verified_client(office).get("/api/v1/assurance", {"as_of": AS_OF})
    assert response.status_code == 200
    assert response.json() == from_command
    assert from_command["as_of"] == AS_OF
    assert from_command["force"] == scene.force.code
    assert from_command["period"] == {"from": "2025-11-29", "to": AS_OF}
    a = from_command["points"][0]
    assert set(a) == {"id", "recommendation", "deadline", "status", "metrics"}
    assert (a["id"], a["recommendation"], a["deadline"]) == ("A", 1, "2026-10-31")
    first = a["metrics"][0]
    assert set(first) == {
        "key",
        "label",
        "numerator",
        "denominator",
        "value",
        "status",
        "measurable",
    }
    assert first["key"] == "referrals_assessed_before_allocation"
    assert (first["numerator"], first["denominator"], first["value"]) == (1, 2, 0.5)
    assert (first["status"], first["measurable"]) == ("red", True)
    assert a["status"] == "red"
    letter = next(
        m.point
        for m in metrics.all_metrics()
        if not any(x.measurable for x in metrics.metrics_for_point(m.point))
    )
    d = next(p for p in from_command["points"] if p["id"] == letter)
    assert d["status"] == "not_measurable"
    assert d["metrics"][0]["numerator"] is None and d["metrics"][0]["measurable"] is False
    assert [p["id"] for p in from_command["points"]] == list("ABCDEFGHIJKLMNOPQRST")


def test_the_command_defaults_to_today_and_refuses_a_bad_date(scene):
    assert _command("--json")["as_of"] == "2026-12-15"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("assurance", "--json", "--as-of", "28/11/2026", stdout=io.StringIO())


def test_the_api_refuses_anonymous_and_wrong_roles(client, scene):
    assert client.get("/api/v1/assurance").status_code == 401
    assert verified_client(scene.officer).get("/api/v1/assurance").status_code == 403


def test_the_api_rejects_a_bad_date(scene, office):
    response = verified_client(office).get("/api/v1/assurance", {"as_of": "2026-13-01"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


def test_the_api_changes_the_register_for_the_office_only(scene, office):
    client = verified_client(office)
    response = client.patch(
        "/api/v1/assurance/points/G",
        data=json.dumps({"status": "verified", "owner_en": "PPU"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["progress"] == "verified"
    response = client.post(
        "/api/v1/assurance/points/G/updates",
        data=json.dumps({"text": "Leaflets in both languages.", "written_on": "2026-12-01"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert NarrativeUpdate.objects.get().point.letter == "G"
    bad = client.patch(
        "/api/v1/assurance/points/G",
        data=json.dumps({"status": "finished", "owner_en": ""}),
        content_type="application/json",
    )
    assert bad.status_code == 400 or bad.status_code == 422
    assert Point.objects.get(letter="G").status == "verified"
    assert (
        client.patch(
            "/api/v1/assurance/points/Z",
            data=json.dumps({"status": "verified", "owner_en": "PPU"}),
            content_type="application/json",
        ).status_code
        == 404
    )
    sergeant = verified_client(scene.sergeant)
    assert sergeant.get("/api/v1/assurance/points").status_code == 200
    assert (
        sergeant.patch(
            "/api/v1/assurance/points/G",
            data=json.dumps({"status": "in_progress", "owner_en": "PPU"}),
            content_type="application/json",
        ).status_code
        == 403
    )


def test_the_navigation_offers_assurance_to_its_readers(scene, office):
    href = reverse("assurance:dashboard")
    assert href in verified_client(office).get(reverse("assurance:report")).content.decode()
    html = verified_client(scene.officer).get(reverse("home")).content.decode()
    assert f'href="{href}"' not in html


def test_the_dashboard_costs_the_same_queries_however_many_records(
    scene, office, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(office)
    client.get(reverse("assurance:dashboard"), {"as_of": AS_OF})  # the session settles
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("assurance:dashboard"), {"as_of": AS_OF})
    for day in range(3, 20):
        scene.referral(at(2026, 6, day))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("assurance:dashboard"), {"as_of": AS_OF})


def test_a_future_as_of_date_is_refused_everywhere(scene, office):
    from django.core.management.base import CommandError

    client = verified_client(office)
    response = client.get("/api/v1/assurance", {"as_of": "2027-01-01"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "as_of"
    with pytest.raises(CommandError):
        call_command("assurance", "--json", "--as-of", "2027-01-01", stdout=io.StringIO())
    html = client.get(reverse("assurance:dashboard"), {"as_of": "2027-01-01"}).content.decode()
    assert "The as-of date must be today or in the past" in html


def test_supervisors_get_a_link_from_the_figure_to_its_gap(scene, office):
    url = reverse("assurance:point", args=["A"])
    html = verified_client(scene.sergeant).get(url, {"as_of": AS_OF}).content.decode()
    assert "See the 1 record that does not meet the standard" in html
    assert _gap_url() in html
    html = verified_client(office).get(url, {"as_of": AS_OF}).content.decode()
    assert _gap_url() not in html
