"""The effective-dated history of a nominal's record: a row per change, read as of a moment."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from vigil.offenders import completeness
from vigil.offenders.choices import NominalStatus
from vigil.offenders.history import NominalState, in_force_at, state_q, state_record
from vigil.offenders.models import Nominal
from vigil.people.models import Person

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2026, 1, 5, 10, 0))


def _at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def test_a_change_ends_the_row_in_force_and_opens_the_next(nominal):
    NominalState.objects.filter(nominal=nominal).delete()
    first = state_record(nominal, at=_at(0))
    assert state_record(nominal, at=_at(1)) is None  # nothing changed: no new row
    Nominal.objects.filter(pk=nominal.pk).update(status=NominalStatus.CUSTODY)
    second = state_record(nominal, at=_at(10))  # it reads the values the database holds
    first.refresh_from_db()
    assert (first.valid_from, first.valid_to) == (_at(0), _at(10))
    assert (second.status, second.valid_from, second.valid_to) == ("custody", _at(10), None)
    assert list(in_force_at(_at(5)).values_list("status", flat=True)) == ["active"]
    assert list(in_force_at(_at(10)).values_list("status", flat=True)) == ["custody"]
    assert not in_force_at(_at(-1)).exists()  # not yet recorded
    active_then = Nominal.objects.filter(state_q(_at(5), status="active"))
    assert list(active_then) == [nominal]
    assert not Nominal.objects.filter(state_q(_at(20), status="active")).exists()


def test_the_person_fields_the_completeness_rules_read_are_kept(nominal):
    NominalState.objects.filter(nominal=nominal).delete()
    state_record(nominal, at=_at(0))
    Person.objects.filter(pk=nominal.person_id).update(register_reference="")
    state_record(nominal, at=_at(30))
    rule = next(r for r in completeness.RULES if r.code == "register_reference")
    met = Nominal.objects.filter(rule.condition_at(_at(10), _at(10).date()))
    assert list(met) == [nominal]
    assert not Nominal.objects.filter(rule.condition_at(_at(40), _at(40).date())).exists()


def test_records_made_later_do_not_complete_a_record_as_it_was(nominal, officer):
    from vigil.offenders.tests.helpers import make_plan

    NominalState.objects.filter(nominal=nominal).delete()
    state_record(nominal, at=_at(0))
    rule = next(r for r in completeness.RULES if r.code == "plan")
    with time_machine.travel(_at(20), tick=False):
        make_plan(nominal, officer, months=1)
    assert not Nominal.objects.filter(rule.condition_at(_at(10), _at(10).date())).exists()
    assert Nominal.objects.filter(rule.condition_at(_at(25), _at(25).date())).exists()
