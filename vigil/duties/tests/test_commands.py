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
