"""Points I, P and Q: measured from the register app and the offenders app's PND checks
and management modes (the expected figures worked out by hand)."""

from __future__ import annotations

import datetime as dt

import time_machine

from vigil.accounts.choices import Rank, Role, Scope
from vigil.assurance import metrics
from vigil.assurance.tests.factories import at
from vigil.assurance.tests.test_metrics import fig, override
from vigil.core.testing import make_user

AS_OF = dt.date(2026, 11, 28)


def test_q_active_rsos_with_an_in_date_assessed_pnd_check(world):
    from vigil.offenders.models import PndCheck

    def check(nominal, checked_on, assessed_at=None):
        return PndCheck.objects.create(
            nominal=nominal,
            checked_on=checked_on,
            officer=world.om,
            result="no_trace",
            recorded_by=world.om,
            assessed_by=world.om_sergeant if assessed_at else None,
            assessed_at=assessed_at,
        )

    n1 = world.nominal(created_at=at(2025, 1, 1))
    check(n1, dt.date(2026, 6, 1), at(2026, 6, 2))  # in date, assessed
    n2 = world.nominal(created_at=at(2025, 1, 1))
    check(n2, dt.date(2026, 6, 1))  # never assessed
    n3 = world.nominal(created_at=at(2025, 1, 1))
    check(n3, dt.date(2025, 11, 28), at(2025, 11, 29))  # 12 months and a day before
    n4 = world.nominal(created_at=at(2025, 1, 1))
    check(n4, dt.date(2026, 11, 20), at(2026, 12, 1))  # assessed after the as-of date
    world.nominal(created_at=at(2025, 1, 1), status="custody")  # not active
    assert fig("active_rsos_with_in_date_pnd_check") == (1, 4)
    assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 12, 2)) == (2, 4)
    # The force checks every 24 months from 1 December: n3's check is in date again
    # (from the as-of date 2 December on).
    override("offenders.pnd_interval_months", 24, at(2026, 12, 1, 0), world.sergeant)
    assert fig("active_rsos_with_in_date_pnd_check") == (1, 4)
    assert fig("active_rsos_with_in_date_pnd_check", dt.date(2026, 12, 2)) == (3, 4)


def test_i_active_rsos_with_no_open_register_discrepancy(world):
    from vigil.register.models import Discrepancy, Extract, ExtractForce

    n1 = world.nominal(created_at=at(2025, 1, 1))
    n2 = world.nominal(created_at=at(2025, 1, 1))
    world.nominal(created_at=at(2025, 1, 1))
    # No reconciled extract yet: nothing can be shown to match the register.
    assert fig("rsos_without_register_discrepancy", dt.date(2026, 5, 1)) == (0, 3)
    extract = Extract.objects.create(
        file_hash="a" * 64,
        filename="visor.csv",
        file_format="csv",
        status="complete",
        row_count=3,
        imported_by=world.om_sergeant,
        completed_at=at(2026, 6, 1),
    )
    ExtractForce.objects.create(extract=extract, force=world.force, rows=3)

    def discrepancy(nominal, opened_at, closed_at=None):
        return Discrepancy.objects.create(
            force=world.force,
            team=world.mosovo,
            nominal=nominal,
            kind="field_differs",
            field="mappa_level",
            key=f"field_differs:{nominal.pk}:mappa_level:{opened_at:%s}",
            found_in=extract,
            last_seen_in=extract,
            status="closed" if closed_at else "open",
            opened_at=opened_at,
            closed_at=closed_at,
        )

    discrepancy(n1, at(2026, 6, 1))  # open still
    discrepancy(n2, at(2026, 6, 1), closed_at=at(2026, 11, 20))  # closed before the as-of date
    assert fig("rsos_without_register_discrepancy", dt.date(2026, 11, 1)) == (1, 3)
    assert fig("rsos_without_register_discrepancy") == (2, 3)


def test_p_reactive_nominals_meeting_every_condition(force):
    from vigil.offenders import services
    from vigil.offenders.tests.helpers import approved_arms, make_nominal, make_plan, mosovo_team

    team = mosovo_team(force)
    officer = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE)
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
    inspector = make_user(Role.MANAGER, team, scope=Scope.FORCE, rank=Rank.INSPECTOR)
    with time_machine.travel(at(2023, 3, 10, 9), tick=False):
        nominal = make_nominal(team, manager=officer)
        approved_arms(nominal, officer, sergeant, "low")
        make_plan(nominal, officer, months=12)
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        decision = services.reactive_request(
            actor=officer, nominal=nominal, proposal="Low risk for years."
        )
        services.reactive_decide(
            actor=inspector, decision=decision, approve=True, rationale="Meets every condition."
        )
    with time_machine.travel(at(2026, 12, 15, 9), tick=False):
        # Before the approval: nobody reactively managed.
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 3, 9)) == (0, 0)
        # After it: one, meeting every condition (low for three years, approved, review
        # not yet due on 1 June).
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 6, 1)) == (1, 1)
        # From 1 July the force asks for five years at low risk: no longer met.
        override("offenders.reactive_low_years", 5, at(2026, 7, 1, 0), sergeant)
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 6, 1)) == (1, 1)
        assert fig("reactive_nominals_meeting_conditions", dt.date(2026, 7, 2)) == (0, 1)
        assert metrics.get_metric("reactive_nominals_meeting_conditions").measurable


def test_i_forces_whose_latest_reconciliation_is_recent_enough(world):
    from vigil.accounts.models import Force
    from vigil.register.models import Extract, ExtractForce

    world.nominal(created_at=at(2025, 1, 1))
    Force.objects.create(code="empty", name="A force with no nominals")  # not counted
    # No reconciliation at all: the force does not meet it.
    assert fig("forces_reconciled_recently", dt.date(2026, 5, 1)) == (0, 1)
    extract = Extract.objects.create(
        file_hash="b" * 64,
        filename="visor.csv",
        file_format="csv",
        status="complete",
        row_count=1,
        imported_by=world.om_sergeant,
        completed_at=at(2026, 10, 1, 12),
    )
    ExtractForce.objects.create(extract=extract, force=world.force, rows=1)
    assert fig("forces_reconciled_recently", dt.date(2026, 9, 30)) == (0, 1)  # not yet
    assert fig("forces_reconciled_recently", dt.date(2026, 10, 1)) == (1, 1)  # that day
    assert fig("forces_reconciled_recently", dt.date(2026, 10, 31)) == (1, 1)  # 30 days on
    assert fig("forces_reconciled_recently", dt.date(2026, 11, 2)) == (0, 1)  # 32 days: stale
    # A longer interval in force from 1 November: 32 days old is recent enough again.
    override("register.reconcile_every_days", 60, at(2026, 11, 1, 0), world.om_sergeant)
    assert fig("forces_reconciled_recently", dt.date(2026, 11, 2)) == (1, 1)
    assert fig("forces_reconciled_recently", dt.date(2026, 10, 31)) == (1, 1)


def test_i_the_reconciliation_gap_lists_forces_to_a_supervisor(world):
    from django.urls import reverse

    from vigil.core.testing import verified_client

    world.nominal(created_at=at(2025, 1, 1))
    url = reverse("assurance:gap", args=["forces_reconciled_recently"])
    response = verified_client(world.om_sergeant).get(url)
    assert response.status_code == 200
    assert world.force.name in response.content.decode()
