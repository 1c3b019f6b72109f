"""'Who has viewed this person': every audited read of the person's record or of a record
about them, with what was viewed, for the supervisors of the person's team."""

import dataclasses
import re
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil import audit
from vigil.accounts.choices import Role
from vigil.audit.actions import VIEW_ACTIONS
from vigil.audit.selectors import person_viewers
from vigil.core.testing import make_user, verified_client
from vigil.investigations import selectors as investigations
from vigil.investigations.tests.helpers import make_investigation
from vigil.people import selectors as people
from vigil.referrals import selectors as referrals

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class _Person:
    """Another person: the audit log keeps only the person's uuid."""

    uuid: uuid.UUID


# A quoted action name with "view" as a word of its verb: person.view, person.view_denied,
# referral.rso_notice_view (not "review" nor bail.victim_views, which is a write).
VIEW_ACTION = re.compile(r"[\"']([a-z_]+\.(?:[a-z_]+_)?view(?:_[a-z_]+)?)[\"']")
# Views that concern no person on Vigil's books (an auditor reading an audit event; staff
# records, workloads and screening are about the force's own people, not its subjects).
NOT_ABOUT_A_PERSON = {
    "audit.event_view",
    "workforce.staff_view",
    "workforce.screening_view",
    "workforce.workload_view",
    "partners.agreement_view",
    "partners.dashboard_view",
    "partners.setup_view",
    "partners.region_view",
    "partners.agreement_setup_view",
    "workforce.training_view",  # a member of staff's training record, not a person record
}


def test_every_view_action_recorded_in_vigil_is_counted():
    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts or path.name == "actions.py":
            continue
        found |= set(VIEW_ACTION.findall(path.read_text(encoding="utf-8")))
    assert "nominal.view" in found and "referral.rso_notice_view" in found  # the scan works
    assert found - NOT_ABOUT_A_PERSON == set(VIEW_ACTIONS)


def test_it_counts_views_of_records_about_the_person_with_what_was_viewed(team):
    supervisor = make_user(Role.SUPERVISOR, team, email="sarjant@example.police.uk")
    officer = make_user(Role.OFFICER, team, email="swyddog@example.police.uk")
    investigation = make_investigation(team, officer=officer)
    suspect = investigation.suspect
    people.get_person_for_user(officer, suspect.uuid)
    people.get_person_for_user(officer, suspect.uuid)
    investigations.get_investigation_for_user(officer, investigation.uuid)
    referrals.get_referral_for_user(supervisor, investigation.referral.uuid, audit_view=True)
    for action in ("nominal.view", "assessment.view", "referral.rso_notice_view"):
        audit.record(supervisor, action, None, person=suspect)
    # Neither a change nor a write named like a view, nor another person's view, counts.
    audit.record(supervisor, "person.update", suspect)
    audit.record(supervisor, "bail.victim_views", None, person=suspect)
    audit.record(officer, "person.view", None, person=_Person(uuid.uuid4()))
    with CaptureQueriesContext(connection) as queries:
        rows = person_viewers(person=suspect)
    assert len(queries) == 1
    got = {(r["actor_email"], r["action"]): (r["count"], str(r["label"])) for r in rows}
    assert got == {
        ("swyddog@example.police.uk", "person.view"): (2, "Viewed the person's record"),
        ("swyddog@example.police.uk", "investigation.view"): (
            1,
            "Viewed an investigation where they are the suspect",
        ),
        ("sarjant@example.police.uk", "referral.view"): (
            1,
            "Viewed a referral where they are the suspect",
        ),
        ("sarjant@example.police.uk", "nominal.view"): (
            1,
            "Viewed their offender management record",
        ),
        ("sarjant@example.police.uk", "assessment.view"): (1, "Viewed a risk assessment of them"),
        ("sarjant@example.police.uk", "referral.rso_notice_view"): (
            1,
            "Viewed the registered sex offender notice of a referral",
        ),
    }
    assert [r["last"] for r in rows] == sorted((r["last"] for r in rows), reverse=True)
    assert not any(r["refused"] for r in rows)


def test_the_panel_shows_what_was_viewed_in_a_fixed_number_of_queries(team):
    supervisor = make_user(Role.SUPERVISOR, team)
    officer = make_user(Role.OFFICER, team, email="swyddog@example.police.uk")
    investigation = make_investigation(team, officer=officer)
    suspect = investigation.suspect
    investigations.get_investigation_for_user(officer, investigation.uuid)
    client = verified_client(supervisor)
    url = reverse("people:detail", kwargs={"uuid": suspect.uuid})
    client.get(url)  # settle the session
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "Viewed an investigation where they are the suspect" in html
    assert "swyddog@example.police.uk" in html
    for n in range(6):
        viewer = make_user(Role.OFFICER, team)
        for action in VIEW_ACTIONS:
            audit.record(viewer, action, None, person=suspect)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "Viewed a risk assessment of them" in html
    assert html.count('govuk-tag govuk-tag--red">Refused: restricted') == 6
