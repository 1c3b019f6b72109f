"""Points H, I, P and Q as of a past date read a nominal's record as it was then (its
history): the figure uses the old values, recording later work (a status or risk change,
a completeness fix) leaves it unchanged, and the figure as of now uses the new values.
Everything is driven through the services with a moving clock."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Rank, Role, Scope
from vigil.assurance.tests.factories import at
from vigil.assurance.tests.test_metrics import fig, override
from vigil.core.testing import make_user
from vigil.offenders import completeness, services
from vigil.offenders.tests.helpers import approved_arms, make_nominal, make_plan, mosovo_team

pytestmark = pytest.mark.django_db

NOW = at(2026, 12, 15, 9)


@pytest.fixture
def staff(force):
    team = mosovo_team(force)
    return {
        "team": team,
        "officer": make_user(Role.OFFICER, team, rank=Rank.CONSTABLE),
        "sergeant": make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT),
        "inspector": make_user(Role.MANAGER, team, scope=Scope.FORCE, rank=Rank.INSPECTOR),
    }


def _now():
    return time_machine.travel(NOW, tick=False)


def test_h_reads_the_status_and_the_orders_as_they_were(staff):
    officer, sergeant = staff["officer"], staff["sergeant"]
    # Only the MAPPA rule and the order rule are asked for, from the start.
    for rule in completeness.RULES:
        if rule.code not in ("mappa", "order_terms"):
            override(rule.policy_key, False, at(2020, 1, 1), sergeant)
    with time_machine.travel(at(2026, 1, 10), tick=False):
        nominal = make_nominal(staff["team"], manager=officer)
    with time_machine.travel(at(2026, 2, 9), tick=False):  # an SHPO without its terms
        order = services.order_add(
            actor=officer, nominal=nominal, kind="shpo", start_date=dt.date(2026, 2, 1)
        )
    with _now():
        assert fig("rso_records_complete", dt.date(2026, 1, 20)) == (1, 1)
        assert fig("rso_records_complete", dt.date(2026, 2, 20)) == (0, 1)
    with time_machine.travel(at(2026, 3, 11), tick=False):  # the terms recorded later
        services.order_update(actor=officer, order=order, prohibitions="No internet use.")
    with time_machine.travel(at(2026, 4, 1), tick=False):  # then in custody
        services.nominal_update(actor=officer, nominal=nominal, status="custody")
    with _now():
        # (a), (b): the past figures use the record as it was, and do not move.
        assert fig("rso_records_complete", dt.date(2026, 1, 20)) == (1, 1)
        assert fig("rso_records_complete", dt.date(2026, 2, 20)) == (0, 1)
        assert fig("rso_records_complete", dt.date(2026, 3, 20)) == (1, 1)
        # (c): as of now, the nominal is in custody: not counted.
        assert fig("rso_records_complete", dt.date(2026, 12, 15)) == (0, 0)
        # The order rule, like the others, can be switched off (from 1 Dec).
        override("offenders.completeness.order_terms", False, at(2026, 12, 1, 0), sergeant)
        assert fig("rso_records_complete", dt.date(2026, 2, 20)) == (0, 1)


def test_i_reads_the_status_as_it_was(staff, force):
    from vigil.register.models import Discrepancy, Extract, ExtractForce

    officer = staff["officer"]
    with time_machine.travel(at(2026, 1, 10), tick=False):
        n1 = make_nominal(staff["team"], manager=officer)
        n2 = make_nominal(staff["team"], manager=officer)
    extract = Extract.objects.create(
        file_hash="b" * 64,
        filename="visor.csv",
        file_format="csv",
        status="complete",
        row_count=2,
        imported_by=staff["sergeant"],
        completed_at=at(2026, 2, 1),
    )
    ExtractForce.objects.create(extract=extract, force=force, rows=2)
    Discrepancy.objects.create(
        force=force,
        team=staff["team"],
        nominal=n2,
        kind="field_differs",
        field="mappa_level",
        key=f"field_differs:{n2.pk}:mappa_level",
        found_in=extract,
        last_seen_in=extract,
        status="open",
        opened_at=at(2026, 2, 1),
    )
    with _now():
        assert fig("rsos_without_register_discrepancy", dt.date(2026, 3, 1)) == (1, 2)
    with time_machine.travel(at(2026, 5, 1), tick=False):  # n1 goes abroad later
        services.nominal_update(actor=officer, nominal=n1, status="abroad")
    with _now():
        assert fig("rsos_without_register_discrepancy", dt.date(2026, 3, 1)) == (1, 2)
        assert fig("rsos_without_register_discrepancy", dt.date(2026, 12, 15)) == (0, 1)
        assert fig("forces_reconciled_recently", dt.date(2026, 3, 1)) == (1, 1)


def test_p_reads_the_status_as_it_was(staff):
    officer, sergeant, inspector = staff["officer"], staff["sergeant"], staff["inspector"]
    with time_machine.travel(at(2023, 3, 10, 9), tick=False):
        nominal = make_nominal(staff["team"], manager=officer)
        approved_arms(nominal, officer, sergeant, "low")
        make_plan(nominal, officer, months=12)
    with time_machine.travel(at(2026, 3, 20, 10), tick=False):
        decision = services.reactive_request(
            actor=officer, nominal=nominal, proposal="Low risk for years."
        )
        services.reactive_decide(
            actor=inspector, decision=decision, approve=True, rationale="Meets every condition."
        )
    with _now():
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 6, 1)) == (1, 1)
    with time_machine.travel(at(2026, 7, 1), tick=False):  # recalled to custody
        services.nominal_update(actor=officer, nominal=nominal, status="custody")
    with _now():
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 6, 1)) == (1, 1)
        # Still reactive and subject to notification, but not in the community now.
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 7, 2)) == (0, 1)
    with time_machine.travel(at(2026, 8, 1), tick=False):  # no longer subject
        services.nominal_update(actor=officer, nominal=nominal, status="ended")
    with _now():
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 6, 1)) == (1, 1)
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 7, 2)) == (0, 1)
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 12, 15)) == (0, 0)


def _visit(nominal, officers, when):
    with time_machine.travel(when, tick=False):
        return services.visit_record(
            actor=officers[0],
            nominal=nominal,
            visited_at=when,
            location="home",
            announced=False,
            officers=officers,
            access_result="gained",
            outcome="Seen at home.",
        )


def _pnd(nominal, actor, when):
    with time_machine.travel(when, tick=False):
        check = services.pnd_check_record(
            actor=actor, nominal=nominal, checked_on=when.date(), result="no_trace"
        )
        services.pnd_check_assess(actor=actor, check=check, action_taken="None needed.")
        return check


def test_q_reads_the_risk_level_and_status_as_they_were(staff, force):
    officer, sergeant = staff["officer"], staff["sergeant"]
    colleague = make_user(Role.OFFICER, staff["team"], rank=Rank.CONSTABLE)
    with time_machine.travel(at(2026, 1, 5), tick=False):
        nominal = make_nominal(staff["team"], manager=officer)
        approved_arms(nominal, officer, sergeant, "medium")
        make_plan(nominal, officer, months=3)
    _pnd(nominal, officer, at(2026, 1, 10))
    _visit(nominal, [officer, colleague], at(2026, 2, 20))  # after the check
    _visit(nominal, [officer, colleague], at(2026, 4, 20))  # no check since the last visit
    with _now():
        # Medium risk: the in-date check is enough.
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 5, 1)) == (1, 1)
    with time_machine.travel(at(2026, 5, 10), tick=False):  # risk raised to high
        approved_arms(nominal, officer, sergeant, "high")
    with _now():
        # (a), (b): as of 1 May the risk was medium, and stays so.
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 5, 1)) == (1, 1)
        # (c): high from 10 May: the April visit had no check before it.
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 5, 15)) == (0, 1)
    _pnd(nominal, officer, at(2026, 5, 20))  # a check recorded later does not mend it
    with _now():
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 5, 15)) == (0, 1)
        # The policy asks no check before visits at high risk from 1 June.
        override("offenders.pnd_before_visit.high", False, at(2026, 6, 1, 0), sergeant)
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 5, 15)) == (0, 1)
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 6, 2)) == (1, 1)
    with time_machine.travel(at(2026, 7, 1), tick=False):  # then in custody
        services.nominal_update(actor=officer, nominal=nominal, status="custody")
    with _now():
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 6, 2)) == (1, 1)
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 12, 15)) == (0, 0)


def test_q_a_check_before_each_visit_at_high_risk(staff):
    officer, sergeant = staff["officer"], staff["sergeant"]
    colleague = make_user(Role.OFFICER, staff["team"], rank=Rank.CONSTABLE)
    with time_machine.travel(at(2026, 1, 5), tick=False):
        nominal = make_nominal(staff["team"], manager=officer)
        approved_arms(nominal, officer, sergeant, "high")
        make_plan(nominal, officer, months=1)
    _pnd(nominal, officer, at(2026, 1, 10))
    _visit(nominal, [officer, colleague], at(2026, 1, 10, 15))  # the same day: before it
    _pnd(nominal, officer, at(2026, 2, 5))
    _visit(nominal, [officer, colleague], at(2026, 2, 6))
    with _now():
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 2, 10)) == (1, 1)
    _visit(nominal, [officer, colleague], at(2026, 3, 6))  # no check since 6 February
    with _now():
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 2, 10)) == (1, 1)
        assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 3, 10)) == (0, 1)
