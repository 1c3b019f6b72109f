"""Notification e-mails that could not be sent are tried again by the sweep, a bounded
number of times, never twice at once."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection

from vigil.accounts.choices import Role
from vigil.core.policy_registry import Source, get_policy
from vigil.core.services import policy_override_create
from vigil.core.testing import at_once, make_user
from vigil.duties import messages, services
from vigil.duties.models import Notification
from vigil.duties.tests.helpers import NOON, open_duty

FAILING = "vigil.duties.tests.test_email_retry.FailingBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"
MINUTE = dt.timedelta(minutes=1)


class FailingBackend(BaseEmailBackend):
    """An e-mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server is down")


def _state(notification):
    n = Notification.objects.get(pk=notification.pk)
    return n.emailed_at, n.email_attempts, n.email_attempted_at


@pytest.fixture
def officer(team):
    return make_user(Role.OFFICER, team)


@pytest.mark.django_db
def test_a_failed_email_is_recorded_and_sent_by_a_later_sweep(
    team, officer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    with time_machine.travel(NOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            open_duty(team=team, assignee=officer, days_overdue=-5)
        notification = Notification.objects.get(user=officer, message_key=messages.ASSIGNED)
        assert _state(notification) == (None, 1, NOON)
        # Not again at once: the policy's wait (10 minutes) has not passed.
        result = services.sweep()
        assert (result.emails_sent, result.emails_failed) == (0, 0)
        assert _state(notification) == (None, 1, NOON)
    with time_machine.travel(NOON + 11 * MINUTE, tick=False):
        result = services.sweep()
        assert (result.emails_sent, result.emails_failed) == (0, 1)
        assert _state(notification) == (None, 2, NOON + 11 * MINUTE)
    assert mail.outbox == []
    settings.EMAIL_BACKEND = WORKING
    later = NOON + 22 * MINUTE
    with time_machine.travel(later, tick=False):
        result = services.sweep()
        assert (result.emails_sent, result.emails_failed) == (1, 0)
        assert _state(notification) == (later, 3, later)
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert "Test review" in mail.outbox[0].subject
    with time_machine.travel(later + dt.timedelta(hours=5), tick=False):
        assert services.sweep().emails_sent == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_gives_up_after_the_policys_attempts(
    team, officer, settings, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOON, tick=False):
        policy_override_create(
            actor=make_user(Role.ADMIN, team),
            key="duties.email_max_attempts",
            value=2,
            effective_from=None,
            reason="Two tries are enough",
        )
    settings.EMAIL_BACKEND = FAILING
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        open_duty(team=team, assignee=officer, days_overdue=-5)
    notification = Notification.objects.get(user=officer)
    with time_machine.travel(NOON + 11 * MINUTE, tick=False):
        assert services.sweep().emails_failed == 1
    settings.EMAIL_BACKEND = WORKING
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        result = services.sweep()
    assert (result.emails_sent, result.emails_failed) == (0, 0)
    assert _state(notification) == (None, 2, NOON + 11 * MINUTE)
    assert mail.outbox == []
    # The notification is still there to read in Vigil.
    assert Notification.objects.filter(user=officer, read_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_it_sends_one_never_tried_but_not_to_an_inactive_user(team, officer):
    # No on-commit callback runs here: as if the process stopped before the first attempt.
    gone = make_user(Role.OFFICER, team)
    with time_machine.travel(NOON, tick=False):
        open_duty(team=team, assignee=officer, days_overdue=-5)
        open_duty(team=team, assignee=gone, days_overdue=-5)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    with time_machine.travel(NOON + 5 * MINUTE, tick=False):
        assert services.sweep().emails_sent == 0  # the first attempt may still be on its way
    with time_machine.travel(NOON + 11 * MINUTE, tick=False):
        assert services.sweep().emails_sent == 1
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert _state(Notification.objects.get(user=gone)) == (None, 0, None)


@pytest.mark.django_db
def test_the_command_reports_the_emails_it_sent_again(team, officer, capsys):
    with time_machine.travel(NOON, tick=False):
        open_duty(team=team, assignee=officer, days_overdue=-5)
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        call_command("sweep")
    assert "1 e-mails sent again, 0 still failing" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_email_policies_are_vigil_defaults():
    attempts = get_policy("duties.email_max_attempts")
    wait = get_policy("duties.email_retry_after_minutes")
    assert (attempts.default, attempts.source) == (5, Source.VIGIL)
    assert (wait.default, wait.source) == (10, Source.VIGIL)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_email_once(team, settings):
    settings.EMAIL_BACKEND = FAILING
    officers = [make_user(Role.OFFICER, team) for _ in range(12)]
    with time_machine.travel(NOON, tick=False):
        for officer in officers:
            open_duty(team=team, assignee=officer, days_overdue=-5)  # first attempt fails
    assert Notification.objects.filter(email_attempts=1, emailed_at__isnull=True).count() == 12
    settings.EMAIL_BACKEND = WORKING
    later = NOON + dt.timedelta(hours=1)
    results = at_once(lambda: services.retry_notification_emails(now=later, batch_size=2))
    assert sum(sent for sent, _failed in results) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in officers)
    assert Notification.objects.filter(emailed_at__isnull=False, email_attempts=2).count() == 12
