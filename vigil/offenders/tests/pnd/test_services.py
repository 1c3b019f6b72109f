"""PND checks (point Q): recorded, assessed, due every 12 months and before each home
visit for high and very high risk, kept as a duty; the metric for any date."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.testing import make_team, make_user
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import selectors, services
from vigil.offenders.models import Nominal, PndCheck
from vigil.offenders.tests.helpers import approved_arms, make_nominal, make_plan

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def _duty(nominal):
    return Duty.objects.filter(
        kind=kinds.PND_CHECK, subject_id=nominal.uuid, completed_at__isnull=True
    ).first()


def _check(nominal, actor, day, result="no_trace", summary=""):
    return services.pnd_check_record(
        actor=actor, nominal=nominal, checked_on=day, result=result, summary=summary
    )


@time_machine.travel(NOW, tick=False)
def test_registration_opens_the_first_check(mteam, officer):
    nominal = make_nominal(mteam, manager=officer)
    duty = _duty(nominal)
    assert duty.due_at == end_of_day(dt.date(2026, 4, 7))
    assert duty.assignee == officer


@time_machine.travel(NOW, tick=False)
def test_a_check_is_due_for_assessment_then_met_by_it(nominal, officer, colleague):
    first = _duty(nominal)
    check = _check(nominal, officer, dt.date(2026, 3, 9))
    moved = _duty(nominal)
    assert moved.pk == first.pk and moved.due_at == end_of_day(dt.date(2026, 3, 17))
    event = AuditEvent.objects.get(action="nominal.pnd_check_record")
    assert event.changes["result"] == "no_trace"
    services.pnd_check_assess(actor=colleague, check=check, action_taken="Nothing needed.")
    check.refresh_from_db()
    assert check.assessed_by == colleague and check.assessed_at == NOW
    first.refresh_from_db()
    assert first.completed_at == NOW and first.completed_by == colleague
    assert _duty(nominal).due_at == end_of_day(dt.date(2027, 3, 9))
    assert AuditEvent.objects.filter(action="nominal.pnd_check_assess").exists()
    with pytest.raises(Conflict):
        services.pnd_check_assess(actor=officer, check=check, action_taken="Again.")
    assert duties_check() == []


@time_machine.travel(NOW, tick=False)
def test_it_validates_a_check(nominal, officer, force):
    with pytest.raises(ValidationFailed) as exc:
        _check(nominal, officer, dt.date(2026, 3, 11), result="information")
    assert {f for f, _m in exc.value.errors} == {"checked_on", "summary"}
    outsider = make_user("officer", make_team(force, name="MOSOVO West", kind="mosovo"))
    with pytest.raises(ValidationFailed) as exc:
        services.pnd_check_record(
            actor=officer,
            nominal=nominal,
            checked_on=dt.date(2026, 3, 9),
            result="no_trace",
            officer=outsider,
        )
    assert exc.value.errors[0][0] == "officer"
    check = _check(nominal, officer, dt.date(2026, 3, 9))
    with pytest.raises(ValidationFailed):
        services.pnd_check_assess(actor=officer, check=check, action_taken=" ")
    assert PndCheck.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_high_risk_needs_a_check_before_each_visit(nominal, officer, colleague, sergeant):
    approved_arms(nominal, officer, sergeant, "high")
    make_plan(nominal, officer, months=3)
    check = _check(nominal, officer, dt.date(2026, 3, 10))
    services.pnd_check_assess(actor=officer, check=check, action_taken="None.")
    # the check is fresh for the next visit: a year away
    assert _duty(nominal).due_at == end_of_day(dt.date(2027, 3, 10))
    services.visit_record(
        actor=officer,
        nominal=nominal,
        visited_at=NOW - dt.timedelta(hours=1),
        location="home",
        announced=False,
        officers=[officer, colleague],
        access_result="gained",
        outcome="Seen.",
    )
    # the visit used it: the next is due before the next visit (in 3 months)
    assert _duty(nominal).due_at == end_of_day(dt.date(2026, 6, 10))
    assert duties_check() == []


@time_machine.travel(NOW, tick=False)
def test_low_risk_visits_do_not_bring_the_check_forward(nominal, officer, colleague, sergeant):
    approved_arms(nominal, officer, sergeant, "low")
    make_plan(nominal, officer, months=12)
    check = _check(nominal, officer, dt.date(2026, 3, 9))
    services.pnd_check_assess(actor=officer, check=check, action_taken="None.")
    services.visit_record(
        actor=officer,
        nominal=nominal,
        visited_at=NOW - dt.timedelta(hours=1),
        location="home",
        announced=False,
        officers=[officer, colleague],
        access_result="gained",
        outcome="Seen.",
    )
    assert _duty(nominal).due_at == end_of_day(dt.date(2027, 3, 9))


@time_machine.travel(NOW, tick=False)
def test_the_duty_follows_the_status(nominal, officer):
    services.nominal_update(actor=officer, nominal=nominal, status="custody")
    assert _duty(nominal) is None
    services.nominal_update(actor=officer, nominal=nominal, status="active")
    assert _duty(nominal) is not None
    assert duties_check() == []


def test_the_metric_counts_in_date_assessed_checks_for_any_date(mteam, officer):
    with time_machine.travel(dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        nominal = make_nominal(mteam, manager=officer)
        check = _check(nominal, officer, dt.date(2025, 3, 10))
    with time_machine.travel(dt.datetime(2025, 3, 12, 12, 0, tzinfo=dt.UTC), tick=False):
        services.pnd_check_assess(actor=officer, check=check, action_taken="None.")

    def in_date(day):
        (row,) = selectors.pnd_compliance(as_of=day, queryset=Nominal.objects.all())
        return row["pnd_in_date"]

    assert not in_date(dt.date(2025, 3, 11))  # not yet assessed
    assert in_date(dt.date(2025, 3, 12))
    assert in_date(dt.date(2026, 3, 9))
    assert not in_date(dt.date(2026, 3, 10))  # twelve months on: lapsed
    # a nominal registered later is not counted for the earlier date
    assert selectors.pnd_compliance(as_of=timezone.localdate(nominal.created_at)).count() == 1
    assert selectors.pnd_compliance(as_of=dt.date(2020, 1, 1)).count() == 0
