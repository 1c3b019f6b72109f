"""Where forces share an installation, a force's auditor reads their own force's events
only: on the search page, its export, an event's page and the API."""

import pytest
from django.urls import reverse

from vigil import audit
from vigil.accounts.choices import Role
from vigil.accounts.tests.helpers import two_forces
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    w = two_forces()
    ours = audit.record(w.officer, "person.view", changes={"note": "ours"})
    theirs = audit.record(w.outsider, "person.view", changes={"note": "theirs"})
    by_nobody = audit.record(None, "duty.escalate", changes={"note": "sweep"})
    return w, ours, theirs, by_nobody


def test_an_auditor_reads_only_their_own_forces_events(events):
    w, ours, theirs, by_nobody = events
    auditor = make_user(Role.AUDITOR, w.team)
    client = verified_client(auditor)
    listed = {e.pk for e in client.get(reverse("audit:search")).context["page_obj"]}
    assert ours.pk in listed
    assert theirs.pk not in listed and by_nobody.pk not in listed
    api = client.get("/api/v1/audit/events").json()
    ids = {row["id"] for row in api["items"]}
    assert ours.pk in ids and theirs.pk not in ids and by_nobody.pk not in ids
    response = client.get(reverse("audit:event", args=[theirs.pk]))
    assert response.status_code == 404
    assert "theirs" not in response.content.decode()
    # Searching the other force's actor finds nothing.
    page = client.get(reverse("audit:search"), {"actor": w.outsider.email})
    assert list(page.context["page_obj"]) == []
    export = client.get(reverse("audit:export"), {"actor": ""}).content.decode()
    assert "theirs" not in export and w.outsider.email not in export
    # Reading the log is itself audited, and nothing of the other force's events changed.
    assert AuditEvent.objects.filter(pk=theirs.pk, changes={"note": "theirs"}).exists()


def test_the_system_administrator_reads_every_event(events):
    w, ours, theirs, by_nobody = events
    page = verified_client(w.system_admin).get(reverse("audit:search"))
    assert page.status_code in (200, 403)
    from vigil.audit.selectors import audit_event_search

    assert {ours.pk, theirs.pk, by_nobody.pk} <= set(
        audit_event_search(user=w.system_admin).values_list("pk", flat=True)
    )


def test_with_one_force_the_auditor_also_reads_vigils_own_events():
    from vigil.core.testing import make_team

    team = make_team()
    auditor = make_user(Role.AUDITOR, team)
    event = audit.record(None, "duty.escalate", changes={"note": "sweep"})
    client = verified_client(auditor)
    listed = {e.pk for e in client.get(reverse("audit:search")).context["page_obj"]}
    assert event.pk in listed
