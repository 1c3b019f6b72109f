import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from vigil.accounts.choices import Role, Scope
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.testing import make_team, make_user
from vigil.duties import messages, services
from vigil.duties.models import Duty, Notification
from vigil.duties.tests.helpers import NOON, REVIEW, Subject, open_duty

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def test_it_opens_a_duty_once_and_audits_it(team):
    officer = make_user(Role.OFFICER, team)
    subject = Subject()
    first = open_duty(team=team, assignee=officer, subject=subject, days_overdue=-3)
    second = open_duty(team=team, assignee=officer, subject=subject, days_overdue=-10)
    assert first.pk == second.pk
    assert Duty.objects.count() == 1
    assert first.due_at.date() == dt.date(2026, 1, 17)
    event = AuditEvent.objects.get(action="duty.open")
    assert event.target_id == str(first.uuid)
    assert event.changes["assignee"] == officer.email
    # The assignee is told, once.
    assert Notification.objects.filter(user=officer, message_key=messages.ASSIGNED).count() == 1


def test_it_refuses_an_undeclared_kind(team):
    with pytest.raises(ValueError, match="Unknown duty kind"):
        open_duty(team=team, kind="nobody.declared_this")
    assert not Duty.objects.exists()


def test_it_rejects_a_bad_risk_level_and_changes_nothing(team):
    with pytest.raises(ValidationFailed) as exc:
        open_duty(team=team, risk="extreme")
    assert exc.value.errors[0][0] == "risk_level"
    assert not Duty.objects.exists() and not AuditEvent.objects.exists()


def test_it_opens_a_new_duty_after_the_last_was_completed(team):
    subject = Subject()
    first = open_duty(team=team, subject=subject)
    services.duty_complete(actor=None, kind=REVIEW, subject=subject)
    second = open_duty(team=team, subject=subject)
    assert first.pk != second.pk
    assert Duty.objects.filter(completed_at__isnull=True).count() == 1


def test_it_completes_the_open_duty_and_audits_it(team):
    officer = make_user(Role.OFFICER, team)
    subject = Subject()
    duty = open_duty(team=team, subject=subject, assignee=officer)
    done = services.duty_complete(actor=officer, kind=REVIEW, subject=subject)
    duty.refresh_from_db()
    assert done.pk == duty.pk
    assert duty.completed_at == NOON and duty.completed_by == officer
    event = AuditEvent.objects.get(action="duty.complete")
    assert event.actor_email == officer.email and event.target_id == str(duty.uuid)


def test_it_completes_nothing_when_no_duty_is_open(team):
    assert services.duty_complete(actor=None, kind=REVIEW, subject=Subject()) is None
    assert not AuditEvent.objects.filter(action="duty.complete").exists()


def test_it_completes_by_id_once(team):
    duty = open_duty(team=team)
    services.duty_complete_by_id(actor=None, duty_id=duty.uuid)
    services.duty_complete_by_id(actor=None, duty_id=duty.uuid)
    assert AuditEvent.objects.filter(action="duty.complete").count() == 1
    with pytest.raises(NotFound):
        services.duty_complete_by_id(actor=None, duty_id=Subject().uuid)


def test_it_lets_the_teams_supervisor_reassign_and_audits_it(team):
    supervisor = make_user(Role.SUPERVISOR, team, rank="sergeant")
    first, second = make_user(Role.OFFICER, team), make_user(Role.OFFICER, team)
    duty = open_duty(team=team, assignee=first)
    services.duty_reassign(actor=supervisor, duty=duty, assignee=second)
    duty.refresh_from_db()
    assert duty.assignee == second
    event = AuditEvent.objects.get(action="duty.reassign")
    assert event.actor_email == supervisor.email
    assert event.changes == {"assignee": [first.email, second.email]}
    assert Notification.objects.filter(
        user=second, duty=duty, message_key=messages.ASSIGNED
    ).exists()


def test_it_lets_a_force_wide_manager_reassign(team, other_team):
    manager = make_user(Role.MANAGER, other_team, scope=Scope.FORCE)
    officer = make_user(Role.OFFICER, team)
    duty = open_duty(team=team)
    services.duty_reassign(actor=manager, duty=duty, assignee=officer)
    assert Duty.objects.get(pk=duty.pk).assignee == officer


def test_it_refuses_reassignment_by_an_officer(team):
    officer, other = make_user(Role.OFFICER, team), make_user(Role.OFFICER, team)
    duty = open_duty(team=team, assignee=officer)
    with pytest.raises(PermissionDenied):
        services.duty_reassign(actor=officer, duty=duty, assignee=other)
    assert Duty.objects.get(pk=duty.pk).assignee == officer
    assert not AuditEvent.objects.filter(action="duty.reassign").exists()


def test_it_hides_another_teams_duty_from_a_supervisor(team, other_team):
    outsider = make_user(Role.SUPERVISOR, other_team)
    officer = make_user(Role.OFFICER, team)
    duty = open_duty(team=team)
    with pytest.raises(NotFound):
        services.duty_reassign(actor=outsider, duty=duty, assignee=officer)
    assert Duty.objects.get(pk=duty.pk).assignee is None


def test_it_refuses_an_assignee_outside_the_team(team, other_team):
    supervisor = make_user(Role.SUPERVISOR, team)
    stranger = make_user(Role.OFFICER, other_team)
    auditor = make_user(Role.AUDITOR, team)
    duty = open_duty(team=team)
    for assignee in (stranger, auditor, None):
        with pytest.raises(ValidationFailed) as exc:
            services.duty_reassign(actor=supervisor, duty=duty, assignee=assignee)
        assert exc.value.field == "assignee"
    assert Duty.objects.get(pk=duty.pk).assignee is None


def test_it_refuses_to_reassign_a_completed_duty(team):
    supervisor = make_user(Role.SUPERVISOR, team)
    officer = make_user(Role.OFFICER, team)
    subject = Subject()
    duty = open_duty(team=team, subject=subject)
    services.duty_complete(actor=None, kind=REVIEW, subject=subject)
    with pytest.raises(Conflict):
        services.duty_reassign(actor=supervisor, duty=duty, assignee=officer)


def test_it_emails_a_notification_on_commit_in_the_recipients_language(
    team, monkeypatch, django_capture_on_commit_callbacks
):
    officer = make_user(Role.OFFICER, team)
    officer.language = "cy"
    officer.save(update_fields=["language"])
    seen = []
    real_render = messages.render

    def spy(key, params, **kwargs):
        seen.append(translation.get_language())
        return real_render(key, params, **kwargs)

    monkeypatch.setattr(messages, "render", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        open_duty(team=team, assignee=officer)
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert seen == ["cy"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert "Test review" in message.subject
    assert "/work/notifications/" in message.body
    assert Notification.objects.get(user=officer).emailed_at == NOON


def test_it_marks_only_the_users_own_notification_read(team):
    officer, other = make_user(Role.OFFICER, team), make_user(Role.OFFICER, team)
    open_duty(team=team, assignee=officer)
    notification = Notification.objects.get(user=officer)
    with pytest.raises(NotFound):
        services.notification_mark_read(actor=other, notification=notification)
    assert Notification.objects.get(pk=notification.pk).read_at is None
    services.notification_mark_read(actor=officer, notification=notification)
    assert Notification.objects.get(pk=notification.pk).read_at == NOON
    assert AuditEvent.objects.filter(action="notification.read", actor_email=officer.email).exists()


def test_it_marks_all_notifications_read(team):
    officer = make_user(Role.OFFICER, team)
    open_duty(team=team, assignee=officer)
    open_duty(team=team, assignee=officer)
    assert services.notification_mark_all_read(actor=officer) == 2
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()
    assert services.notification_mark_all_read(actor=officer) == 0


def test_it_does_not_tell_the_assignee_about_a_duty_they_opened(team):
    officer = make_user(Role.OFFICER, team)
    open_duty(team=team, assignee=officer, actor=officer)
    assert not Notification.objects.exists()


def test_it_keeps_the_other_team_out_of_scope(team):
    # A team-scope supervisor of one POLIT team does not reach another team of the force.
    sibling = make_team(team.force, name="POLIT East")
    supervisor = make_user(Role.SUPERVISOR, team)
    duty = open_duty(team=sibling)
    with pytest.raises(NotFound):
        services.duty_reassign(
            actor=supervisor, duty=duty, assignee=make_user(Role.OFFICER, sibling)
        )


def test_a_notification_names_the_team_in_the_readers_language(team, other_team):
    team.name_cy = "POLIT Gorllewin"
    team.save(update_fields=["name_cy"])
    duty = open_duty(team=team, days_overdue=3)
    params = services._duty_params(duty)
    assert (params["team"], params["team_cy"], params["team_id"]) == (
        "POLIT West",
        "POLIT Gorllewin",
        str(team.uuid),
    )

    def body(team_arg=None, language="en", p=params):
        with translation.override(language):
            return messages.render(messages.ESCALATED_SUPERVISOR, p, team=team_arg)[1]

    assert "for POLIT West," in body(team)
    assert "POLIT Gorllewin" in body(team, "cy")
    # Without the team at hand, from the names stored with the notification.
    assert "POLIT Gorllewin" in body(None, "cy") and "for POLIT West," in body(None)
    # A duty moved to another team since: the notification keeps the team it was about.
    assert "POLIT Gorllewin" in body(other_team, "cy")
    # A notification stored before the team's id was kept: matched by its English name.
    legacy = {k: v for k, v in params.items() if k not in ("team_cy", "team_id")}
    assert "POLIT Gorllewin" in body(team, "cy", legacy)
    assert "POLIT West" in body(other_team, "cy", legacy)


def test_the_reassignment_error_names_the_team_in_the_readers_language(team, other_team):
    team.name_cy = "POLIT Gorllewin"
    team.save(update_fields=["name_cy"])
    supervisor = make_user(Role.SUPERVISOR, team)
    duty = open_duty(team=team)
    with translation.override("cy"), pytest.raises(ValidationFailed) as exc:
        services.duty_reassign(
            actor=supervisor, duty=duty, assignee=make_user(Role.OFFICER, other_team)
        )
    assert "POLIT Gorllewin" in str(exc.value.message)
    assert Duty.objects.get(pk=duty.pk).assignee is None
