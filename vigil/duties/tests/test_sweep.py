import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from vigil.accounts.choices import Role, Scope
from vigil.audit.models import AuditEvent
from vigil.audit.services import verify_chain
from vigil.core.policy_registry import Source, get_policy
from vigil.core.services import policy_override_create
from vigil.core.testing import at_once, make_force, make_team, make_user
from vigil.duties import messages, services
from vigil.duties.choices import EscalationLevel
from vigil.duties.models import Duty, Escalation, Notification
from vigil.duties.tests.helpers import NOON, VISIT, open_duty


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def staff(team, other_team):
    return {
        "officer": make_user(Role.OFFICER, team),
        "supervisor": make_user(Role.SUPERVISOR, team, rank="sergeant"),
        "manager": make_user(Role.MANAGER, other_team, scope=Scope.FORCE, rank="inspector"),
        "other_supervisor": make_user(Role.SUPERVISOR, other_team, rank="sergeant"),
    }


def _levels(duty):
    return sorted(Escalation.objects.filter(duty=duty).values_list("level", flat=True))


@pytest.mark.django_db
def test_it_escalates_on_the_default_thresholds(frozen, team, staff):
    six = open_duty(team=team, assignee=staff["officer"], days_overdue=6)
    seven = open_duty(team=team, assignee=staff["officer"], days_overdue=7)
    twenty_seven = open_duty(team=team, assignee=staff["officer"], days_overdue=27)
    twenty_eight = open_duty(team=team, assignee=staff["officer"], days_overdue=28)
    result = services.sweep()
    assert (result.escalated_to_supervisor, result.escalated_to_manager) == (3, 1)
    assert _levels(six) == []
    assert _levels(seven) == [EscalationLevel.SUPERVISOR]
    assert _levels(twenty_seven) == [EscalationLevel.SUPERVISOR]
    assert _levels(twenty_eight) == [EscalationLevel.SUPERVISOR, EscalationLevel.MANAGER]
    assert Duty.objects.get(pk=twenty_eight.pk).escalation_level == EscalationLevel.MANAGER
    assert Duty.objects.get(pk=seven.pk).escalation_level == EscalationLevel.SUPERVISOR


@pytest.mark.django_db
def test_it_tells_the_supervisors_and_managers_who_reach_the_team(frozen, team, staff):
    duty = open_duty(team=team, assignee=staff["officer"], days_overdue=30)
    services.sweep()
    told = Notification.objects.filter(duty=duty).exclude(
        message_key__in=[messages.ASSIGNED, messages.OVERDUE]
    )
    assert sorted(told.values_list("user__email", "message_key")) == sorted(
        [
            (staff["supervisor"].email, messages.ESCALATED_SUPERVISOR),
            (staff["manager"].email, messages.ESCALATED_MANAGER),
        ]
    )
    assert Escalation.objects.get(duty=duty, level=1).notified == staff["supervisor"]
    events = AuditEvent.objects.filter(action="duty.escalate", target_id=str(duty.uuid))
    assert events.count() == 2


@pytest.mark.django_db
def test_it_uses_each_kinds_own_thresholds(frozen, team, staff):
    # The test visit kind escalates to supervisors as soon as it is overdue at all.
    earlier_today = open_duty(team=team, kind=VISIT, days_overdue=0, hour=9)
    later_today = open_duty(team=team, kind=VISIT, days_overdue=0, hour=15)
    thirteen = open_duty(team=team, kind=VISIT, days_overdue=13)
    fourteen = open_duty(team=team, kind=VISIT, days_overdue=14)
    services.sweep()
    assert _levels(earlier_today) == [1]
    assert _levels(later_today) == []
    assert _levels(thirteen) == [1]
    assert _levels(fourteen) == [1, 2]


@pytest.mark.django_db
def test_it_follows_a_policy_override_from_its_date(frozen, team, staff):
    admin = make_user(Role.ADMIN, team)
    two = open_duty(team=team, days_overdue=2)
    policy_override_create(
        actor=admin,
        key="duties.duties_test.review.escalate_supervisor_days",
        value="2",
        effective_from=NOON + dt.timedelta(days=1),
        reason="Force decision 12/2026",
    )
    assert services.sweep().escalated_to_supervisor == 0  # not in force yet
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        assert services.sweep().escalated_to_supervisor == 1
    assert _levels(two) == [1]


@pytest.mark.django_db
def test_it_does_nothing_the_second_time(frozen, team, staff):
    open_duty(team=team, assignee=staff["officer"], days_overdue=40)
    open_duty(team=team, assignee=staff["officer"], days_overdue=8)
    first = services.sweep()
    counts = (Escalation.objects.count(), Notification.objects.count(), AuditEvent.objects.count())
    second = services.sweep()
    assert (first.escalated_to_supervisor, first.escalated_to_manager, first.overdue_notices) == (
        2,
        1,
        2,
    )
    assert (
        second.escalated_to_supervisor,
        second.escalated_to_manager,
        second.overdue_notices,
    ) == (0, 0, 0)
    assert (
        Escalation.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_it_tells_the_assignee_once_that_a_duty_is_overdue(frozen, team, staff):
    officer = staff["officer"]
    due_today = open_duty(team=team, assignee=officer, days_overdue=0, hour=9)
    one_day = open_duty(team=team, assignee=officer, days_overdue=1)
    unassigned = open_duty(team=team, days_overdue=3)
    services.sweep()
    services.sweep()
    overdue = Notification.objects.filter(message_key=messages.OVERDUE)
    assert list(overdue.values_list("duty_id", "user_id")) == [(one_day.pk, officer.pk)]
    assert overdue.get().params["days"] == 1
    assert Duty.objects.get(pk=one_day.pk).overdue_notice_at == NOON
    assert Duty.objects.get(pk=due_today.pk).overdue_notice_at is None
    assert Duty.objects.get(pk=unassigned.pk).overdue_notice_at is None
    # The next day the duty due this morning is a day overdue, and its assignee is told.
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        assert services.sweep().overdue_notices == 1


@pytest.mark.django_db
def test_it_leaves_completed_duties_alone(frozen, team, staff):
    duty = open_duty(team=team, assignee=staff["officer"], days_overdue=60)
    services.duty_complete_by_id(actor=None, duty_id=duty.uuid)
    result = services.sweep()
    assert (
        result.escalated_to_supervisor,
        result.escalated_to_manager,
        result.overdue_notices,
    ) == (0, 0, 0)
    assert not Escalation.objects.exists()


@pytest.mark.django_db
def test_it_emails_escalations_after_commit(
    frozen, team, staff, django_capture_on_commit_callbacks
):
    open_duty(team=team, days_overdue=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep()
    assert [m.to for m in mail.outbox] == [[staff["supervisor"].email]]


@pytest.mark.django_db
def test_the_command_runs_one_pass(frozen, team, staff, capsys):
    open_duty(team=team, days_overdue=10)
    call_command("sweep")
    assert "1 escalated to supervisors" in capsys.readouterr().out
    assert Escalation.objects.count() == 1


@pytest.mark.django_db
def test_the_command_loops_with_every_until_stopped(frozen, team, staff, monkeypatch, capsys):
    calls = []

    def fake_sleep(seconds):
        calls.append(seconds)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("vigil.duties.management.commands.sweep.time.sleep", fake_sleep)
    call_command("sweep", "--every", "60")
    assert calls == [60, 60]
    out = capsys.readouterr().out
    assert out.count("Sweep:") == 2 and "Sweep stopped." in out


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_duty_exactly_once(team, staff):
    with time_machine.travel(NOON, tick=False):
        duties = [
            open_duty(team=team, assignee=staff["officer"], days_overdue=30 + i) for i in range(24)
        ]
    results = at_once(lambda: services.sweep(now=NOON, batch_size=3))
    assert sum(r.escalated_to_supervisor for r in results) == len(duties)
    assert sum(r.escalated_to_manager for r in results) == len(duties)
    assert sum(r.overdue_notices for r in results) == len(duties)
    assert Escalation.objects.count() == 2 * len(duties)
    for duty in duties:
        assert _levels(duty) == [1, 2]
    assert Notification.objects.filter(message_key=messages.ESCALATED_SUPERVISOR).count() == len(
        duties
    )
    assert Notification.objects.filter(message_key=messages.ESCALATED_MANAGER).count() == len(
        duties
    )
    assert Notification.objects.filter(message_key=messages.OVERDUE).count() == len(duties)
    # Each escalation is audited exactly once, and the chain written by both sweeps at once
    # still verifies.
    for duty in duties:
        events = AuditEvent.objects.filter(action="duty.escalate", target_id=str(duty.uuid))
        assert sorted(e.changes["escalation_level"][1] for e in events) == [1, 2]
    assert AuditEvent.objects.filter(action="duty.escalate").count() == 2 * len(duties)
    result = verify_chain()
    assert result.ok, result


@pytest.fixture
def lone_team():
    """A team in another force with a supervisor and an officer but no manager in reach."""
    force = make_force("gwent", "Gwent Police")
    team = make_team(force, name="POLIT Gwent")
    return {
        "team": team,
        "officer": make_user(Role.OFFICER, team),
        "supervisor": make_user(Role.SUPERVISOR, team, rank="sergeant"),
    }


@pytest.mark.django_db
def test_with_no_manager_in_reach_it_tells_the_supervisors_instead(frozen, staff, lone_team):
    duty = open_duty(team=lone_team["team"], assignee=lone_team["officer"], days_overdue=30)
    result = services.sweep()
    assert (result.escalated_to_supervisor, result.escalated_to_manager) == (1, 1)
    supervisor = lone_team["supervisor"]
    told = Notification.objects.filter(duty=duty, user=supervisor).order_by("message_key")
    assert list(told.values_list("message_key", flat=True)) == [
        messages.ESCALATED_NO_MANAGER,
        messages.ESCALATED_SUPERVISOR,
    ]
    # Nobody in the other force (the force-wide manager of Dyfed-Powys) is told.
    assert (
        not Notification.objects.filter(duty=duty)
        .exclude(user=supervisor)
        .exclude(message_key__in=[messages.ASSIGNED, messages.OVERDUE])
    )
    assert Escalation.objects.get(duty=duty, level=EscalationLevel.MANAGER).notified == supervisor
    event = AuditEvent.objects.get(
        action="duty.escalate", target_id=str(duty.uuid), changes__escalation_level=[1, 2]
    )
    assert event.changes["notified"] == [supervisor.email]
    assert event.changes["notified_role"] == "supervisor"
    title, body = messages.render(
        messages.ESCALATED_NO_MANAGER, told.first().params, team=lone_team["team"]
    )
    assert title == "No manager to escalate to: Test review"
    assert "no active manager reaches POLIT Gwent" in body


@pytest.mark.django_db
def test_where_a_manager_reaches_the_team_only_the_manager_is_told(frozen, team, staff):
    duty = open_duty(team=team, assignee=staff["officer"], days_overdue=30)
    services.sweep()
    assert not Notification.objects.filter(message_key=messages.ESCALATED_NO_MANAGER).exists()
    event = AuditEvent.objects.get(
        action="duty.escalate", target_id=str(duty.uuid), changes__escalation_level=[1, 2]
    )
    assert event.changes["notified"] == [staff["manager"].email]
    assert "notified_role" not in event.changes


@pytest.mark.django_db
def test_with_nobody_in_reach_it_records_the_escalation_and_says_so(frozen, caplog):
    lonely = make_team(make_force("gwent", "Gwent Police"), name="Nobody's team")
    duty = open_duty(team=lonely, days_overdue=30)
    services.sweep()
    assert _levels(duty) == [1, 2]
    assert not Notification.objects.filter(duty=duty).exists()
    assert "escalations are recorded but nobody is told" in caplog.text


@pytest.mark.django_db
def test_it_tells_the_assignee_after_the_policys_days(frozen, team, staff):
    officer = staff["officer"]
    one = open_duty(team=team, assignee=officer, days_overdue=1)
    three = open_duty(team=team, assignee=officer, days_overdue=3)
    earlier_today = open_duty(team=team, assignee=officer, days_overdue=0, hour=9)
    policy_override_create(
        actor=make_user(Role.ADMIN, team),
        key="duties.notify_assignee_after_days",
        value=3,
        effective_from=None,
        reason="Force decision",
    )
    assert services.sweep().overdue_notices == 1
    told = Notification.objects.filter(message_key=messages.OVERDUE)
    assert list(told.values_list("duty_id", flat=True)) == [three.pk]
    assert Duty.objects.get(pk=one.pk).overdue_notice_at is None
    policy_override_create(
        actor=make_user(Role.ADMIN, team),
        key="duties.notify_assignee_after_days",
        value=0,
        effective_from=None,
        reason="As soon as it is overdue",
    )
    assert services.sweep().overdue_notices == 2
    assert set(told.values_list("duty_id", flat=True)) == {one.pk, three.pk, earlier_today.pk}


@pytest.mark.django_db
def test_the_assignee_policy_is_a_vigil_default_of_one_day():
    policy = get_policy("duties.notify_assignee_after_days")
    assert (policy.default, policy.source, str(policy.unit)) == (1, Source.VIGIL, "days")
