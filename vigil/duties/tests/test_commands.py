import pytest
from django.core.management import CommandError, call_command

from vigil.core.testing import make_team
from vigil.duties import services
from vigil.duties.checks import MISSING, UNEXPECTED, duties_check
from vigil.duties.tests.helpers import CHECKED

pytestmark = pytest.mark.django_db


def _open_check(team, subject):
    from vigil.core import clock

    return services.duty_open(
        actor=None, kind=CHECKED, subject=subject, team=team, due_at=clock.now()
    )


def test_it_passes_when_open_duties_match_domain_state(force, team, capsys):
    needing = make_team(force, name="Needs check A")
    _open_check(team, needing)
    assert duties_check(kinds=[CHECKED]) == []
    call_command("duties", "check", "--kind", CHECKED)
    assert "Duties match domain state" in capsys.readouterr().out


def test_it_reports_missing_and_unexpected_duties(force, team, capsys):
    missing = make_team(force, name="Needs check B")
    unexpected = make_team(force, name="Fine already")
    _open_check(team, unexpected)
    differences = duties_check(kinds=[CHECKED])
    assert [(d.subject_id, d.problem) for d in differences] == sorted(
        [(str(missing.uuid), MISSING), (str(unexpected.uuid), UNEXPECTED)]
    )
    with pytest.raises(CommandError, match="2 difference"):
        call_command("duties", "check", "--kind", CHECKED)
    out = capsys.readouterr().out
    assert f"accounts.team:{missing.uuid}\tmissing" in out
    assert f"accounts.team:{unexpected.uuid}\tunexpected" in out


def test_it_ignores_completed_duties(force, team):
    done = make_team(force, name="Fine now")
    _open_check(team, done)
    services.duty_complete(actor=None, kind=CHECKED, subject=done)
    assert duties_check(kinds=[CHECKED]) == []


def test_it_checks_every_kind_by_default(force, team):
    make_team(force, name="Needs check C")
    with pytest.raises(CommandError):
        call_command("duties", "check")


def test_it_refuses_an_unknown_kind():
    with pytest.raises(CommandError, match="Unknown duty kind"):
        call_command("duties", "check", "--kind", "nobody.declared_this")


def test_it_reports_open_duties_whose_assignee_is_inactive_or_left_the_team(
    force, team, other_team, capsys
):
    from vigil.accounts.choices import Role, Scope
    from vigil.accounts.models import Membership
    from vigil.core.testing import make_force, make_user
    from vigil.duties.checks import ASSIGNEE_INACTIVE, ASSIGNEE_NOT_IN_TEAM
    from vigil.duties.tests.helpers import REVIEW, open_duty

    stays = make_user(Role.OFFICER, team)
    force_wide = make_user(Role.OFFICER, other_team, scope=Scope.FORCE)
    inactive = make_user(Role.OFFICER, team)
    moved = make_user(Role.OFFICER, team)
    elsewhere = make_user(Role.OFFICER, make_team(make_force("gwent", "Gwent Police")))
    fine = [open_duty(team=team, assignee=u) for u in (stays, force_wide)]
    fine.append(open_duty(team=team))  # team work, nobody assigned
    gone = open_duty(team=team, assignee=inactive)
    left = open_duty(team=team, assignee=moved)
    outside = open_duty(team=team, assignee=elsewhere)
    done = open_duty(team=team, assignee=moved)
    services.duty_complete_by_id(actor=None, duty_id=done.uuid)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    Membership.objects.filter(user=moved).update(team=other_team)  # moved to MOSOVO North
    differences = duties_check()
    assert sorted((d.duty_id, d.problem) for d in differences) == sorted(
        [
            (str(gone.uuid), ASSIGNEE_INACTIVE),
            (str(left.uuid), ASSIGNEE_NOT_IN_TEAM),
            (str(outside.uuid), ASSIGNEE_NOT_IN_TEAM),
        ]
    )
    assert {d.kind for d in differences} == {REVIEW}
    assert duties_check(kinds=[CHECKED]) == []  # only the kinds asked for
    with pytest.raises(CommandError, match="3 difference"):
        call_command("duties", "check")
    out = capsys.readouterr().out
    assert f"assigned to an inactive user (reassign it)\tduty {gone.uuid}" in out
    assert f"assigned to a user no longer in its team (reassign it)\tduty {left.uuid}" in out
    # Once reassigned, the difference is gone (and nothing else changed).
    supervisor = make_user(Role.SUPERVISOR, team)
    for duty in (gone, left, outside):
        services.duty_reassign(actor=supervisor, duty=duty, assignee=stays)
    assert duties_check() == []
