"""The partnership's pages: who opens them, what they show, the forms, fixed query counts,
the CSV export, and the audit of every view."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Role, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.partners.choices import RequestState
from vigil.partners.models import Review
from vigil.partners.services import requests as services
from vigil.partners.tests.helpers import Partnership

pytestmark = pytest.mark.django_db


def _raise(world, nominal, actor, kind="information"):
    return services.request_raise(
        actor=actor,
        agreement=world.agreement,
        kind=kind,
        register_reference=world.reference(nominal),
        details="Please share the latest.",
    )


@pytest.fixture
def both(world, nominal):
    to_probation = _raise(world, nominal, world.officer)
    to_police = _raise(world, nominal, world.practitioner, kind="joint_visit")
    return to_probation, to_police


def _pages(world, req):
    return [
        "/partners/",
        "/partners/sent/",
        "/partners/dashboard/",
        "/partners/agreements/",
        f"/partners/agreements/{world.agreement.uuid}/",
        f"/partners/requests/{req.uuid}/",
        "/partners/requests/new/",
    ]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSURANCE, Role.WELLBEING, Role.ANALYST])
def test_other_roles_get_404_from_every_page(world, both, role):
    client = verified_client(make_user(role, make_team(world.force, kind=TeamKind.OTHER)))
    for url in _pages(world, both[0]):
        assert client.get(url).status_code == 404, url


def test_a_probation_role_without_a_region_gets_404(world, both):
    # A probation-partner membership of a police team ties the user to no region.
    client = verified_client(make_user(Role.PROBATION, world.mosovo.team))
    for url in _pages(world, both[0]):
        assert client.get(url).status_code == 404, url


def test_out_of_scope_requests_and_agreements_are_404(world, both):
    other = Partnership(make_force("gwent", "Gwent Police"), name="Gwent region")
    for user in (other.practitioner, other.officer, other.inspector):
        client = verified_client(user)
        assert client.get(f"/partners/requests/{both[0].uuid}/").status_code == 404
        assert client.get(f"/partners/agreements/{world.agreement.uuid}/").status_code == 404
        page = client.get("/partners/").content.decode()
        assert both[1].reference not in page and both[0].reference not in page


def test_the_inbox_and_sent_list_hold_each_sides_requests(world, both):
    to_probation, to_police = both
    practitioner = verified_client(world.practitioner)
    inbox = practitioner.get("/partners/").content.decode()
    assert to_probation.reference in inbox and to_police.reference not in inbox
    sent = practitioner.get("/partners/sent/").content.decode()
    assert to_police.reference in sent and to_probation.reference not in sent
    police = verified_client(world.officer).get("/partners/").content.decode()
    assert to_police.reference in police and to_probation.reference not in police
    event = AuditEvent.objects.filter(action="partners.requests_list").last()
    assert event.changes == {"box": "inbox"}


def test_the_filters_narrow_the_list(world, both, nominal):
    client = verified_client(world.practitioner)
    page = client.get("/partners/?kind=risk_update").content.decode()
    assert both[0].reference not in page
    page = client.get("/partners/?kind=information&state=raised").content.decode()
    assert both[0].reference in page
    assert both[0].reference not in client.get("/partners/?overdue=on").content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_query_counts_do_not_grow_with_rows(world, nominal):
    client = verified_client(world.practitioner)
    _raise(world, nominal, world.officer)
    _raise(world, nominal, world.practitioner)
    _count(client, "/partners/")  # the first page of a session does its sign-in checks
    counts = [_count(client, "/partners/"), _count(client, "/partners/sent/")]
    other = world.nominal()
    for _ in range(4):
        _raise(world, other, world.sergeant)
        _raise(world, other, world.practitioner2)
    assert [_count(client, "/partners/"), _count(client, "/partners/sent/")] == counts
    assert _count(client, "/partners/dashboard/") == _count(client, "/partners/dashboard/")


def test_the_csv_export_is_scoped_and_audited(world, both):
    response = verified_client(world.practitioner).get("/partners/requests.csv?box=inbox")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Reference"
    assert [r[0] for r in rows[1:]] == [both[0].reference]
    event = AuditEvent.objects.get(action="partners.requests_export")
    assert event.changes["filters"] == {"box": "inbox"}


def test_the_request_page_is_audited_and_shows_the_timeline(world, both):
    client = verified_client(world.practitioner)
    page = client.get(f"/partners/requests/{both[0].uuid}/").content.decode()
    assert "moj-timeline" in page and "Request raised" in page
    assert "Send the response" in page
    assert (
        AuditEvent.objects.filter(
            action="partners.request_view", target_id=str(both[0].pk)
        ).exists()
        or AuditEvent.objects.filter(action="partners.request_view").count() == 1
    )


def test_respond_decline_and_rate_through_the_pages(world, both):
    to_probation, to_police = both
    practitioner = verified_client(world.practitioner)
    url = f"/partners/requests/{to_probation.uuid}/"
    response = practitioner.post(url + "respond/", {"response": ""})
    assert response.status_code == 422
    assert "Enter the response" in response.content.decode()
    assert practitioner.post(url + "acknowledge/").status_code == 302
    response = practitioner.post(url + "respond/", {"response": "Lives at the same address."})
    assert response.status_code == 302
    to_probation.refresh_from_db()
    assert to_probation.state == RequestState.RESPONDED
    # The police rate it; Probation may not.
    assert practitioner.post(url + "rate/", {"rating": "5"}).status_code == 403
    officer = verified_client(world.officer)
    assert officer.post(url + "rate/", {"rating": "4", "feedback": "Thanks"}).status_code == 302
    to_probation.refresh_from_db()
    assert to_probation.rating == 4
    # The police decline Probation's request; Probation may not answer its own.
    url = f"/partners/requests/{to_police.uuid}/"
    assert practitioner.post(url + "decline/", {"reason": "x"}).status_code == 403
    assert officer.post(url + "decline/", {"reason": "Not lawful to share."}).status_code == 302
    to_police.refresh_from_db()
    assert (to_police.state, to_police.answered_by) == (RequestState.DECLINED, world.officer)


def test_raise_through_the_page(world, nominal):
    client = verified_client(world.practitioner)
    assert client.get("/partners/requests/new/").status_code == 200
    response = client.post(
        "/partners/requests/new/",
        {
            "agreement": world.agreement.pk,
            "kind": "mappa_referral",
            "register_reference": "no-such-ref",
            "details": "Referral for level 2.",
        },
    )
    assert response.status_code == 422
    assert "no nominal with that register reference" in response.content.decode()
    response = client.post(
        "/partners/requests/new/",
        {
            "agreement": world.agreement.pk,
            "kind": "mappa_referral",
            "register_reference": world.reference(nominal),
            "details": "Referral for level 2.",
            "urgent": "on",
        },
    )
    assert response.status_code == 302
    created = world.agreement.requests.get()
    assert created.urgent and created.raised_by == world.practitioner


def test_the_agreement_page_and_a_review(world, both):
    client = verified_client(world.practitioner)
    url = f"/partners/agreements/{world.agreement.uuid}/"
    page = client.get(url).content.decode()
    assert "Version 1" in page and "Record a review" in page
    assert AuditEvent.objects.filter(action="partners.agreement_view").count() == 1
    response = client.post(
        url + "reviews/",
        {
            "held_on": "2026-10-30",
            "period_start": "2026-08-01",
            "period_end": "2026-10-31",
            "actions": "x",
        },
    )
    assert response.status_code == 422
    assert not Review.objects.exists()
    response = client.post(
        url + "reviews/",
        {
            "held_on": "2026-10-30",
            "period_start": "2026-08-01",
            "period_end": "2026-10-29",
            "probation_notes": "Joint visits were late.",
            "actions": "Name a contact for joint visits.",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.recorded_by == world.practitioner
    assert AuditEvent.objects.filter(action="partners.review_record").count() == 1


def test_the_dashboard_counts_each_direction(world, both):
    import time_machine

    with time_machine.travel("2026-11-20 10:00:00+00:00", tick=False):
        services.request_respond(actor=world.practitioner, request=both[0], response="Late.")
        page = verified_client(world.inspector).get("/partners/dashboard/").content.decode()
    # Police to Probation: one due (16 November), answered late; Probation to police: one
    # due and overdue now.
    assert "Overdue now" in page
    rows = page.split("<tbody")[1]
    assert rows.count('govuk-table__cell--numeric">1<') >= 1
