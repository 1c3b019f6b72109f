"""The data migration that gives existing installations a history: one row for each
nominal that has none, in force from when it was recorded, marked incomplete while an
order without its terms had been recorded."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps

from vigil.offenders import services
from vigil.offenders.history import NominalState, current_mismatches
from vigil.offenders.models import Order

pytestmark = pytest.mark.django_db

backfill = import_module(
    "vigil.offenders.migrations.0005_nominal_history_order_terms_and_backfill"
).backfill


def test_it_gives_a_nominal_without_history_one_row_from_when_it_was_recorded(
    nominal, officer, mteam
):
    from vigil.offenders.tests.helpers import make_nominal

    kept = make_nominal(mteam, manager=officer)  # has its history: left alone
    kept_rows = list(NominalState.objects.filter(nominal=kept).values())
    services.order_add(actor=officer, nominal=nominal, kind="sro", start_date=dt.date(2026, 1, 1))
    NominalState.objects.filter(nominal=nominal).delete()  # as before the history was kept
    assert list(current_mismatches()) == [nominal]

    backfill(apps, None)

    row = NominalState.objects.get(nominal=nominal)
    assert (row.valid_from, row.valid_to) == (nominal.created_at, None)
    assert (row.status, row.team_id, row.offender_manager_id) == ("active", mteam.pk, officer.pk)
    assert row.register_reference == nominal.person.register_reference
    assert row.orders_complete is False  # the SRO has neither prohibitions nor requirements
    assert list(NominalState.objects.filter(nominal=kept).values()) == kept_rows
    assert not current_mismatches().exists()
    backfill(apps, None)  # run again: nothing more
    assert NominalState.objects.filter(nominal=nominal).count() == 1
    assert Order.objects.filter(nominal=nominal).count() == 1
