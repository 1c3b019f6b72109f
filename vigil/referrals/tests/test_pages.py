import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.accounts.choices import Role, Scope, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.investigations.models import Investigation
from vigil.referrals.choices import Status
from vigil.referrals.models import ImportBatch, Referral
from vigil.referrals.tests.helpers import LOW_ANSWERS, graded, make_person, receive

pytestmark = pytest.mark.django_db


def _pages(referral):
    base = f"/referrals/{referral.uuid}"
    return [
        "/referrals/",
        "/referrals/export.csv",
        "/referrals/new/",
        f"{base}/",
        f"{base}/assess/",
        f"{base}/grade/",
        f"{base}/allocate/",
        f"{base}/close/",
    ]


def test_it_sends_anonymous_users_to_sign_in(polit):
    referral = receive(polit.officer, polit.team)
    client = Client()
    for url in [*_pages(referral), "/referrals/import/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response.url, url
    response = client.post(f"/referrals/{referral.uuid}/sign-off/")
    assert response.status_code == 302


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSURANCE, Role.WELLBEING])
def test_it_refuses_roles_without_casework(polit, role):
    referral = receive(polit.officer, polit.team)
    client = verified_client(make_user(role, polit.team))
    for url in [*_pages(referral), "/referrals/import/"]:
        assert client.get(url).status_code == 403, url


def test_it_hides_referrals_from_officers_out_of_scope(polit, other_team):
    referral = receive(polit.officer, polit.team)
    mosovo = make_user(Role.OFFICER, other_team)
    gwent = make_user(
        Role.MANAGER,
        make_team(make_force("gwent", "Gwent Police"), name="POLIT Gwent"),
        scope=Scope.FORCE,
    )
    for outsider in (mosovo, gwent):
        client = verified_client(outsider)
        for url in _pages(referral)[3:]:
            assert client.get(url).status_code == 404, url
        assert client.post(f"/referrals/{referral.uuid}/sign-off/").status_code == 404
        assert referral.source_reference not in client.get("/referrals/").content.decode()


def test_a_restricted_suspect_hides_the_referral(polit):
    from vigil.people import services as people

    suspect = make_person(polit.team, polit.officer)
    people.person_restrict(
        actor=polit.supervisor, person=suspect, users=[polit.supervisor], reason="Staff member"
    )
    referral = receive(polit.supervisor, polit.team, suspect=suspect)
    assert verified_client(polit.officer).get(f"/referrals/{referral.uuid}/").status_code == 404
    assert verified_client(polit.supervisor).get(f"/referrals/{referral.uuid}/").status_code == 200


def test_the_queue_orders_awaiting_assessment_first_then_priority(polit):
    from vigil.referrals.tests.helpers import HIGH_ANSWERS

    low = graded(polit.officer, polit.team)
    high = graded(polit.officer, polit.team, answers=HIGH_ANSWERS)
    waiting = receive(polit.officer, polit.team)
    closed = receive(polit.officer, polit.team)
    from vigil.referrals import services

    services.referral_close(actor=polit.officer, referral=closed, reason="Duplicate")
    response = verified_client(polit.officer).get("/referrals/")
    page = response.content.decode()
    positions = [page.index(r.source_reference) for r in (waiting, high, low)]
    assert positions == sorted(positions)
    assert closed.source_reference not in page
    filtered = verified_client(polit.officer).get("/referrals/?priority=high").content.decode()
    assert high.source_reference in filtered and low.source_reference not in filtered


def test_the_queue_sorts_by_a_column_and_keeps_filters(polit):
    from vigil.referrals.tests.helpers import HIGH_ANSWERS

    low = graded(polit.officer, polit.team)
    high = graded(polit.officer, polit.team, answers=HIGH_ANSWERS)
    waiting = receive(polit.officer, polit.team)
    client = verified_client(polit.officer)

    def order(url):
        page = client.get(url).content.decode()
        refs = [r.source_reference for r in (low, high, waiting)]
        return sorted((r for r in refs if r in page), key=page.index)

    # Received: oldest first, then newest first.
    assert order("/referrals/?sort=received") == [
        low.source_reference,
        high.source_reference,
        waiting.source_reference,
    ]
    assert order("/referrals/?sort=-received")[0] == waiting.source_reference
    # Priority, highest first; the ungraded referral last.
    assert order("/referrals/?sort=priority")[:2] == [high.source_reference, low.source_reference]
    # A filter keeps the sort (and the header links keep the filter); a bad sort is ignored.
    page = client.get("/referrals/?sort=-received&priority=high").content.decode()
    assert 'name="sort" value="-received"' in page and "priority=high" in page
    assert client.get("/referrals/?sort=drop+table").status_code == 200
    # The API takes the same sort.
    api = client.get("/api/v1/referrals?sort=-received").json()
    assert api["items"][0]["source_reference"] == waiting.source_reference


def test_the_queue_costs_the_same_queries_whatever_its_length(polit):
    client = verified_client(polit.officer)
    receive(polit.officer, polit.team)
    graded(polit.officer, polit.team)
    client.get("/referrals/")
    with CaptureQueriesContext(connection) as few:
        client.get("/referrals/")
    for _ in range(6):
        graded(polit.officer, polit.team)
        receive(polit.officer, polit.team, suspect=make_person(polit.team, polit.officer))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/referrals/").status_code == 200
    assert len(many) == len(few)


def test_the_queue_export_is_audited(polit):
    referral = receive(polit.officer, polit.team)
    response = verified_client(polit.officer).get("/referrals/export.csv?status=all")
    body = b"".join(response.streaming_content).decode()
    assert referral.source_reference in body
    assert AuditEvent.objects.filter(action="referral.export").exists()


def test_it_receives_a_referral_through_the_matches_journey(polit):
    first = receive(polit.officer, polit.team, source="public", source_reference="P-1")
    client = verified_client(polit.officer)
    data = {
        "team": polit.team.pk,
        "source": "public",
        "source_reference": "p-1",
        "received_at": "2026-01-05T09:30",
        "summary": "Neighbour's concern",
        "suspect_age": "adult",
        "suspect_gender": "unknown",
    }
    response = client.post("/referrals/new/", data)
    assert "may already hold this referral" in response.content.decode()
    response = client.post("/referrals/new/", data | {"stage": "matches"})
    assert "Choose what to do" in response.content.decode()
    response = client.post("/referrals/new/", data | {"decision": f"referral:{first.uuid}"})
    assert response.status_code == 302
    new = Referral.objects.exclude(pk=first.pk).get()
    assert new.status == Status.LINKED and new.linked_to == first


def test_it_shows_errors_on_the_receive_form(polit):
    response = verified_client(polit.officer).post(
        "/referrals/new/",
        {
            "team": polit.team.pk,
            "source": "nca_ceop",
            "received_at": "2026-01-05T09:30",
            "summary": "x",
            "suspect_age": "adult",
        },
    )
    assert "Enter the NCA reference" in response.content.decode()
    assert Referral.objects.count() == 0


def test_the_referral_page_shows_the_record_and_audits_the_view(polit):
    referral = graded(polit.officer, polit.team)
    response = verified_client(polit.officer).get(f"/referrals/{referral.uuid}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Priority graded" in page and "Target action times by priority" in page
    assert AuditEvent.objects.filter(action="referral.view", target_id=str(referral.uuid)).exists()


def test_an_officer_assesses_and_grades_through_the_pages(polit):
    referral = receive(polit.officer, polit.team, suspect=make_person(polit.team, polit.officer))
    client = verified_client(polit.officer)
    answers = {f"q_{k}": v for k, v in LOW_ANSWERS.items()}
    response = client.post(f"/referrals/{referral.uuid}/assess/", answers)
    assert response.status_code == 302
    response = client.post(f"/referrals/{referral.uuid}/grade/", {"override_priority": "high"})
    assert "Give the reason for overriding" in response.content.decode()
    response = client.post(f"/referrals/{referral.uuid}/grade/", {"child_in_household": "on"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.priority == "medium" and referral.status == Status.AWAITING_ALLOCATION


def test_sign_off_and_allocation_through_the_pages(polit, force):
    referral = graded(
        polit.officer, polit.team, override_priority="high", override_rationale="Intelligence"
    )
    officer_client = verified_client(polit.officer)
    assert officer_client.post(f"/referrals/{referral.uuid}/sign-off/").status_code == 403
    assert (
        verified_client(polit.supervisor).post(f"/referrals/{referral.uuid}/sign-off/").status_code
        == 302
    )
    cid = make_team(force, name="CID Llanelli", kind=TeamKind.OTHER)
    response = verified_client(polit.supervisor).post(
        f"/referrals/{referral.uuid}/allocate/", {"team": cid.pk}
    )
    assert response.status_code == 302
    assert Investigation.objects.get(referral=referral).allocated_team == cid


def test_closing_through_the_page_needs_a_reason(polit):
    referral = receive(polit.officer, polit.team)
    client = verified_client(polit.officer)
    assert (
        "Enter the reason" in client.post(f"/referrals/{referral.uuid}/close/", {}).content.decode()
    )
    client.post(f"/referrals/{referral.uuid}/close/", {"reason": "No offence"})
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED


def test_the_import_page_is_for_supervisors_and_reports_lines(polit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert verified_client(polit.officer).get("/referrals/import/").status_code == 403
    client = verified_client(polit.supervisor)
    bad = SimpleUploadedFile("r.csv", b"source,received_at,summary\npublic,,x\n")
    page = client.post("/referrals/import/", {"team": polit.team.pk, "file": bad}).content.decode()
    assert "Line" in page and "received_at must be" in page
    good = b"source,received_at,summary\npublic,2026-01-05,Concern\n"
    client.post(
        "/referrals/import/", {"team": polit.team.pk, "file": SimpleUploadedFile("r.csv", good)}
    )
    again = client.post(
        "/referrals/import/", {"team": polit.team.pk, "file": SimpleUploadedFile("r.csv", good)}
    ).content.decode()
    assert "already imported" in again
    assert ImportBatch.objects.count() == 1 and Referral.objects.count() == 1


def test_the_offender_notice_is_for_the_managing_team(polit, other_team):
    manager = make_user(Role.OFFICER, other_team)
    rso = make_person(other_team, manager, register_reference="01/000999")
    referral = receive(polit.officer, polit.team, suspect=rso)
    assert (
        verified_client(polit.officer)
        .get(f"/referrals/{referral.uuid}/offender-notice/")
        .status_code
        == 404
    )
    client = verified_client(manager)
    assert client.get(f"/referrals/{referral.uuid}/offender-notice/").status_code == 200
    assert client.get(f"/referrals/{referral.uuid}/").status_code == 404
    client.post(f"/referrals/{referral.uuid}/offender-notice/")
    referral.refresh_from_db()
    assert referral.rso_notice_acknowledged_by == manager
