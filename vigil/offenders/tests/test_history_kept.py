"""The consistency check of the history: after every service that creates a nominal or
changes a value the evidence reads, the row in force equals the nominal's current values
(and `vigil offenders check-history` finds nothing); each change ends the row before it
at the moment of the change."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from vigil.accounts.choices import Rank, Role, Scope
from vigil.core.testing import make_force, make_user
from vigil.offenders import services
from vigil.offenders.history import (
    KEPT_FIELDS,
    NominalState,
    current_mismatches,
    in_force_at,
)
from vigil.offenders.models import Nominal
from vigil.offenders.tests.helpers import approved_arms, make_nominal, make_plan, mosovo_team
from vigil.people import services as people_services

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2023, 3, 10, 9, 0))


def _day(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def _current_values(nominal) -> dict:
    n = Nominal.objects.select_related("person").get(pk=nominal.pk)
    values = {
        "status": n.status,
        "management_mode": n.management_mode,
        "risk_level": n.risk_level,
        "team_id": n.team_id,
        "offender_manager_id": n.offender_manager_id,
        "mappa_category": n.mappa_category,
        "mappa_level": n.mappa_level,
        "register_reference": n.person.register_reference,
        "date_of_birth": n.person.date_of_birth,
        "orders_complete": not n.orders.filter(
            kind__in=["shpo", "sro", "notification_order"], prohibitions="", requirements=""
        ).exists(),
    }
    assert set(values) == set(KEPT_FIELDS)
    return values


def _assert_kept(nominal, *, rows: int, since: dt.datetime):
    """The row in force equals the current values, began at `since`, and the rows
    before it end where the next begins."""
    states = list(NominalState.objects.filter(nominal=nominal).order_by("valid_from", "id"))
    assert len(states) == rows
    current = states[-1]
    assert current.valid_to is None and current.valid_from == since
    assert {f: getattr(current, f) for f in KEPT_FIELDS} == _current_values(nominal)
    for before, after in zip(states, states[1:], strict=False):
        assert before.valid_to == after.valid_from
    assert not current_mismatches().exists()


def test_every_service_keeps_the_row_in_force_equal_to_the_record(force):
    team = mosovo_team(force)
    officer = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE)
    colleague = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE)
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
    inspector = make_user(Role.MANAGER, team, scope=Scope.FORCE, rank=Rank.INSPECTOR)
    gwent = make_force("gwent", "Gwent Police")
    gwent_team = mosovo_team(gwent, "Gwent MOSOVO")
    gwent_sergeant = make_user(Role.SUPERVISOR, gwent_team, rank=Rank.SERGEANT)
    gwent_officer = make_user(Role.OFFICER, gwent_team, rank=Rank.CONSTABLE)

    with time_machine.travel(_day(0), tick=False):  # registration
        nominal = make_nominal(team, manager=officer)
        _assert_kept(nominal, rows=1, since=nominal.created_at)
    with time_machine.travel(_day(1), tick=False):  # ARMS approved: the risk level
        approved_arms(nominal, officer, sergeant, "low")
        _assert_kept(nominal, rows=2, since=_day(1))
        make_plan(nominal, officer, months=12)
        _assert_kept(nominal, rows=2, since=_day(1))  # a plan changes nothing kept
        assert NominalState.objects.get(nominal=nominal, valid_to__isnull=True).risk_level == "low"
    with time_machine.travel(_day(2), tick=False):  # MAPPA and the offender manager
        services.nominal_update(
            actor=sergeant, nominal=nominal, mappa_level=2, offender_manager=colleague
        )
        _assert_kept(nominal, rows=3, since=_day(2))
    with time_machine.travel(_day(3), tick=False):  # the person's register reference, DOB
        people_services.person_update(
            actor=sergeant,
            person=nominal.person,
            register_reference="01/777777",
            date_of_birth=dt.date(1975, 3, 10),
            confirm_not_duplicate=True,
        )
        _assert_kept(nominal, rows=4, since=_day(3))
        people_services.person_update(actor=sergeant, person=nominal.person, given_name="Ifan")
        _assert_kept(nominal, rows=4, since=_day(3))  # a name is not kept: no new row
    with time_machine.travel(_day(4), tick=False):  # an order without its terms
        order = services.order_add(
            actor=officer, nominal=nominal, kind="shpo", start_date=dt.date(2023, 3, 1)
        )
        _assert_kept(nominal, rows=5, since=_day(4))
    with time_machine.travel(_day(5), tick=False):  # ... and its terms recorded
        services.order_update(
            actor=officer, order=order, prohibitions="No unsupervised contact with children."
        )
        _assert_kept(nominal, rows=6, since=_day(5))
    with time_machine.travel(_day(3 * 365 + 11), tick=False):  # reactive management
        decision = services.reactive_request(
            actor=colleague, nominal=nominal, proposal="Low risk for years."
        )
        services.reactive_decide(
            actor=inspector, decision=decision, approve=True, rationale="Meets every condition."
        )
        _assert_kept(nominal, rows=7, since=_day(3 * 365 + 11))
    with time_machine.travel(_day(3 * 365 + 12), tick=False):
        services.reactive_return(actor=colleague, nominal=nominal, reason="New intelligence.")
        _assert_kept(nominal, rows=8, since=_day(3 * 365 + 12))
    with time_machine.travel(_day(3 * 365 + 13), tick=False):  # transfer to another force
        transfer = services.transfer_request(
            actor=colleague, nominal=nominal, to_force=gwent, reason="Moved to Newport."
        )
        _assert_kept(nominal, rows=8, since=_day(3 * 365 + 12))  # asked: nothing changed yet
        services.transfer_accept(
            actor=gwent_sergeant, transfer=transfer, team=gwent_team, offender_manager=gwent_officer
        )
        _assert_kept(nominal, rows=9, since=_day(3 * 365 + 13))
        nominal = Nominal.objects.get(pk=nominal.pk)
    with time_machine.travel(_day(3 * 365 + 14), tick=False):  # status: custody, then ended
        services.nominal_update(actor=gwent_officer, nominal=nominal, status="custody")
        _assert_kept(nominal, rows=10, since=_day(3 * 365 + 14))
        services.nominal_update(actor=gwent_officer, nominal=nominal, status="ended")
        _assert_kept(nominal, rows=11, since=_day(3 * 365 + 14))
    # The past as it was: managed by the first team, active, low risk, a year in.
    then = in_force_at(_day(365)).get(nominal=nominal)
    assert (then.team_id, then.status, then.risk_level, then.mappa_level) == (
        team.pk,
        "active",
        "low",
        2,
    )
    call_command("offenders", "check-history")


def test_the_check_reports_a_write_that_went_around_the_services(nominal, capsys):
    call_command("offenders", "check-history")
    assert "matches" in capsys.readouterr().out
    Nominal.objects.filter(pk=nominal.pk).update(mappa_level=None)  # not through a service
    with pytest.raises(CommandError, match="1 nominal"):
        call_command("offenders", "check-history")
    assert str(nominal.uuid) in capsys.readouterr().out
    NominalState.objects.filter(nominal=nominal).delete()  # no history at all
    assert list(current_mismatches()) == [nominal]
