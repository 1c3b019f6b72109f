""" "Mark all notifications read" through the API: the caller's own notifications only."""

import pytest
from django.test import Client

from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.duties.models import Notification
from vigil.duties.services import notify

pytestmark = pytest.mark.django_db
URL = "/api/v1/duties/notifications/read-all"


def _three(user):
    for _ in range(3):
        notify(user=user, duty=None, message_key="api_token_created", params={"name": "X"})


def test_anonymous_callers_are_refused(team):
    user = make_user(team=team)
    _three(user)
    response = Client().post(URL, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 3


def test_it_marks_only_the_callers_notifications_read(team, other_team):
    user = make_user(team=team)
    someone_else = make_user(team=other_team)  # another team's user keeps theirs
    _three(user)
    _three(someone_else)
    client = verified_client(user)
    response = client.post(URL, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"count": 3}
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=someone_else, read_at__isnull=True).count() == 3
    event = AuditEvent.objects.get(action="notification.read_all")
    assert event.actor_id == user.pk and event.changes == {"count": 3}
    again = client.post(URL, content_type="application/json")
    assert again.json() == {"count": 0}
    assert AuditEvent.objects.filter(action="notification.read_all").count() == 1
