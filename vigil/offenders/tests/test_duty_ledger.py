"""How offender management uses the duty ledger: due dates are moved (one duty, audited
reschedules) unless the obligation was met, and risk changes go through the ledger."""

import datetime as dt

import pytest
import time_machine

from vigil.audit.models import AuditEvent
from vigil.core.calendar import end_of_day
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import services
from vigil.offenders.tests.helpers import make_nominal, make_plan, record_arms

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def _duties(kind, subject):
    return list(Duty.objects.filter(kind=kind, subject_id=subject.uuid).order_by("pk"))


def _visit(nominal, officers, when, announced=False):
    return services.visit_record(
        actor=officers[0],
        nominal=nominal,
        visited_at=when,
        location="home",
        announced=announced,
        officers=officers,
        access_result="gained",
        outcome="Seen at home.",
    )


@time_machine.travel(NOW, tick=False)
def test_it_moves_the_arms_duty_on_a_trigger_without_closing_it(nominal, officer, sergeant):
    arms = record_arms(nominal, officer)
    services.review_record(actor=sergeant, review=arms.review, outcome="approved")
    before = _duties(kinds.ARMS, nominal)
    scheduled = [d for d in before if d.completed_at is None]
    assert len(scheduled) == 1
    assert scheduled[0].due_at == end_of_day(dt.date(2027, 3, 10))
    services.arms_trigger(actor=officer, nominal=nominal, trigger="circumstances", note="Moved")
    after = _duties(kinds.ARMS, nominal)
    assert len(after) == len(before)  # the same duty, moved: no new row
    moved = [d for d in after if d.completed_at is None]
    assert [d.pk for d in moved] == [scheduled[0].pk]
    assert moved[0].due_at == end_of_day(dt.date(2026, 4, 7))
    event = AuditEvent.objects.filter(action="duty.reschedule").order_by("-pk").first()
    assert event.changes["kind"] == kinds.ARMS
    assert event.reason == "circumstances"


@time_machine.travel(NOW, tick=False)
def test_it_does_not_push_a_sooner_arms_back_on_a_trigger(mteam, officer):
    nominal = make_nominal(mteam, manager=officer)
    with time_machine.travel(NOW + dt.timedelta(days=5), tick=False):
        services.arms_trigger(actor=officer, nominal=nominal, trigger="breach")
    (first,) = _duties(kinds.ARMS, nominal)
    assert first.completed_at is None
    assert first.due_at == end_of_day(dt.date(2026, 4, 7))
    assert not AuditEvent.objects.filter(action="duty.reschedule").exists()


@time_machine.travel(NOW, tick=False)
def test_it_moves_the_visit_duty_for_a_new_plan_and_completes_it_for_a_visit(
    nominal, officer, colleague, sergeant
):
    arms = record_arms(nominal, officer, level="medium")
    services.review_record(actor=sergeant, review=arms.review, outcome="approved")
    make_plan(nominal, officer, months=3)
    (opened,) = _duties(kinds.VISIT, nominal)
    make_plan(nominal, officer, months=1)
    (moved,) = _duties(kinds.VISIT, nominal)
    assert moved.pk == opened.pk and moved.completed_at is None
    assert moved.due_at == end_of_day(dt.date(2026, 4, 10))
    visit = _visit(nominal, [officer, colleague], NOW - dt.timedelta(hours=1))
    rows = _duties(kinds.VISIT, nominal)
    assert len(rows) == 2
    assert rows[0].completed_at is not None and rows[0].completed_by == officer
    assert rows[1].completed_at is None
    assert rows[1].due_at == end_of_day(dt.date(2026, 4, 10))
    # A visit recorded late, older than the last one, did not meet the current duty.
    _visit(nominal, [officer, colleague], NOW - dt.timedelta(days=20))
    rows = _duties(kinds.VISIT, nominal)
    assert len(rows) == 2 and rows[1].completed_at is None
    assert visit.nominal_id == nominal.pk


@time_machine.travel(NOW, tick=False)
def test_it_moves_the_returned_plan_review_and_keeps_the_duty(nominal, officer, sergeant):
    plan = make_plan(nominal, officer, months=1, review_due=dt.date(2026, 9, 1))
    (opened,) = _duties(kinds.PLAN_REVIEW, plan)
    services.review_record(
        actor=sergeant, review=plan.review, outcome="returned", actions="Add a curfew action."
    )
    (moved,) = _duties(kinds.PLAN_REVIEW, plan)
    assert moved.pk == opened.pk and moved.completed_at is None
    assert moved.due_at == end_of_day(dt.date(2026, 4, 7))


@time_machine.travel(NOW, tick=False)
def test_it_sets_the_risk_level_of_open_duties_through_the_ledger(
    nominal, officer, colleague, sergeant
):
    make_plan(nominal, officer, months=1)
    single = _visit(nominal, [officer], NOW - dt.timedelta(hours=1))
    arms = record_arms(nominal, officer, level="high")
    services.review_record(actor=sergeant, review=arms.review, outcome="approved")
    open_duties = Duty.objects.filter(person=nominal.person, completed_at__isnull=True)
    assert {d.risk_level for d in open_duties} == {"high"}
    assert open_duties.filter(kind=kinds.VISIT_AUTHORISATION, subject_id=single.uuid).exists()
    event = AuditEvent.objects.get(action="duty.risk_level")
    assert event.changes["risk_level"] == "high"
    assert event.changes["duties"] == open_duties.count()
    assert set(event.changes["kinds"]) == set(kinds.ALL_KINDS)
    # closed duties keep the level they had: not yet assessed (never counted as low)
    assert (
        Duty.objects.filter(person=nominal.person, completed_at__isnull=False)
        .exclude(risk_level="unassessed")
        .count()
        == 0
    )
