"""The generated history is true to its dates: records, audit events and duties carry the
moments they happened in the story, so figures as of past dates have cases."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import F

from vigil.accounts.models import Force, User
from vigil.assurance import selectors
from vigil.audit.models import AuditEvent
from vigil.audit.services import verify_chain
from vigil.core import clock
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.offenders.models import Nominal, Visit
from vigil.people.models import Person
from vigil.referrals.models import Referral
from vigil.synthetic.generator import Scale, generate
from vigil.synthetic.models import PendingAuditEvent

pytestmark = pytest.mark.django_db

SMALL = Scale(
    forces=1,
    nominals_per_force=16,
    suspects_per_force=3,
    officers_per_team=2,
    referrals_per_week=2,
    referral_years=3,
)


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """One generated history for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(scale=SMALL, seed=3)
        transaction.set_rollback(True)


def _years_ago(years: int) -> dt.date:
    return clock.today() - dt.timedelta(days=365 * years)


def test_records_carry_the_moments_they_happened(history):
    now = clock.now()
    began = now - dt.timedelta(days=5 * 365)
    # The force's staff and people were recorded when it began using Vigil; nominals,
    # visits, referrals and duties over the years after.
    assert Force.objects.get().created_at < began
    assert not User.objects.filter(created_at__gt=began).exists()
    assert not Person.objects.filter(created_at__gt=began, team__kind="mosovo").exists()
    for model in (Nominal, Visit, Referral, Duty):
        stamps = list(model.objects.values_list("created_at", flat=True))
        assert min(stamps) < now - dt.timedelta(days=2 * 365), model
        # Sixteen nominals spread over the years: the newest may be over a year old.
        recent = dt.timedelta(days=2 * 365 if model is Nominal else 365)
        assert max(stamps) > now - recent, model
    # A visit's record was made when the visit was recorded, not when the data set was.
    assert not Visit.objects.filter(created_at__lt=F("visited_at")).exists()
    assert Visit.objects.filter(created_at__lt=now - dt.timedelta(days=365)).count() > 10


def test_audit_events_are_chained_in_time_order_and_the_chain_verifies(history):
    times = list(AuditEvent.objects.order_by("id").values_list("at", flat=True))
    assert len(times) > 1000
    assert all(a <= b for a, b in zip(times, times[1:], strict=False))
    assert times[0] < clock.now() - dt.timedelta(days=5 * 365)
    assert verify_chain().ok
    assert duties_check() == []
    assert not PendingAuditEvent.objects.exists()


# The points whose records this generator writes through the offenders, referrals,
# investigations and register apps (the workforce, demand and partners modules bring
# their own synthetic records for D, J, K, R, S and T).
GENERATED = set("ABCEFGHILMNOPQ")


@pytest.mark.parametrize("years", [1, 2])
def test_every_measurable_point_has_cases_as_of_past_dates(history, years):
    document = selectors.document(_years_ago(years))
    metrics = [
        (point["id"], m)
        for point in document["points"]
        if point["id"] in GENERATED
        for m in point["metrics"]
        if m["measurable"]
    ]
    assert {p for p, _m in metrics} == GENERATED
    # Every point has cases, and on both sides: work done in time and work not.
    for point in GENERATED:
        figures = [(m["numerator"], m["denominator"]) for p, m in metrics if p == point]
        assert any(d for _n, d in figures), (point, figures)
        assert any(n for n, _d in figures), (point, figures)
    assert any(n < d for _p, m in metrics for n, d in [(m["numerator"], m["denominator"])])


def test_each_nominals_history_is_true_to_its_dates(history):
    """The services kept each nominal's history as its story went: rows begin when the
    nominal was registered and change at the story's dates (risk levels approved, status
    changes), and the row in force now is the record (`vigil offenders check-history`)."""
    from vigil.offenders.history import NominalState, current_mismatches

    assert not current_mismatches().exists()
    first = {
        s["nominal_id"]: s["valid_from"]
        for s in NominalState.objects.order_by("nominal_id", "-valid_from").values(
            "nominal_id", "valid_from"
        )
    }
    registered = dict(Nominal.objects.values_list("pk", "created_at"))
    assert first == registered
    ended = NominalState.objects.filter(valid_to__isnull=False)
    assert ended.filter(valid_to__lt=clock.now() - dt.timedelta(days=365)).exists()
    assert ended.exclude(risk_level="").exists()  # risk levels changed over the years
