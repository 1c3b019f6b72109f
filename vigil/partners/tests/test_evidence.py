"""Point T's metrics: requests answered within the agreed time, each way, and escalations
resolved before the managers, as of a moment."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from vigil.assurance import metrics
from vigil.duties.models import Escalation, Notification
from vigil.duties.services import sweep
from vigil.partners.services import requests as services

pytestmark = pytest.mark.django_db


def _raise(world, nominal, actor, at):
    with time_machine.travel(at, tick=False):
        return services.request_raise(
            actor=actor,
            agreement=world.agreement,
            kind="information",
            register_reference=world.reference(nominal),
            details="x",
        )


def _answer(world, request, actor, at):
    with time_machine.travel(at, tick=False):
        services.request_respond(actor=actor, request=request, response="y")


def _figure(key, as_of):
    result = metrics.compute(metrics.get_metric(key), metrics.window_for(as_of, months=12))
    return result.numerator, result.denominator


def test_t_counts_each_direction_as_of_a_date(world, nominal):
    # To Probation: raised 1 June (due 15 June), answered 10 June: in time.
    a = _raise(world, nominal, world.officer, "2026-06-01 09:00:00+00:00")
    _answer(world, a, world.practitioner, "2026-06-10 09:00:00+00:00")
    # To Probation: raised 1 July (due 15 July), answered 20 July: late.
    b = _raise(world, nominal, world.officer, "2026-07-01 09:00:00+00:00")
    _answer(world, b, world.practitioner, "2026-07-20 09:00:00+00:00")
    # To Probation: raised 1 September, never answered.
    _raise(world, nominal, world.officer, "2026-09-01 09:00:00+00:00")
    # To the police: raised 1 August (due 14 August), answered 3 August.
    c = _raise(world, nominal, world.practitioner, "2026-08-03 09:00:00+00:00")
    _answer(world, c, world.officer, "2026-08-04 09:00:00+00:00")
    key = "partner_requests_answered_within_sla"
    assert _figure(key, dt.date(2026, 10, 31)) == (1, 3)
    # As of 16 July: only the first was due; the second was due but not yet answered.
    assert _figure(key, dt.date(2026, 7, 16)) == (1, 2)
    # As of 12 June: the first was not yet due.
    assert _figure(key, dt.date(2026, 6, 12)) == (0, 0)
    assert _figure("partner_requests_to_police_answered_within_sla", dt.date(2026, 10, 31)) == (
        1,
        1,
    )


def test_a_late_request_escalates_and_the_owner_is_told_at_the_top(world, nominal):
    request = _raise(world, nominal, world.officer, "2026-06-01 09:00:00+00:00")
    # Due 15 June: a day overdue escalates to the supervisors, five to the managers.
    sweep(now=dt.datetime(2026, 6, 17, 9, tzinfo=dt.UTC))
    assert list(
        Escalation.objects.filter(duty__subject_id=request.uuid).values_list("level", flat=True)
    ) == [1]
    assert _figure("partner_escalations_resolved", dt.date(2026, 6, 18)) == (0, 1)
    sweep(now=dt.datetime(2026, 6, 23, 9, tzinfo=dt.UTC))
    assert sorted(
        Escalation.objects.filter(duty__subject_id=request.uuid).values_list("level", flat=True)
    ) == [1, 2]
    told = Notification.objects.filter(user=world.practitioner, duty__subject_id=request.uuid)
    assert told.filter(message_key="duty_escalated_manager").exists()
    _answer(world, request, world.practitioner, "2026-06-24 09:00:00+00:00")
    # Answered, but only after reaching the managers.
    assert _figure("partner_escalations_resolved", dt.date(2026, 6, 30)) == (0, 1)


def test_an_escalated_request_answered_before_the_managers_counts_as_resolved(world, nominal):
    request = _raise(world, nominal, world.officer, "2026-06-01 09:00:00+00:00")
    sweep(now=dt.datetime(2026, 6, 17, 9, tzinfo=dt.UTC))
    _answer(world, request, world.practitioner, "2026-06-18 09:00:00+00:00")
    sweep(now=dt.datetime(2026, 6, 23, 9, tzinfo=dt.UTC))
    assert _figure("partner_escalations_resolved", dt.date(2026, 6, 30)) == (1, 1)
