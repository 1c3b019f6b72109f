"""The generator's workforce records: every team member has a staff record, and D, K and
R have cases, with history-true timestamps."""

import datetime as dt

import pytest

from vigil.assurance.metrics import compute, metrics_for_point, window_for
from vigil.core import clock
from vigil.synthetic.generator import Scale, generate
from vigil.workforce.models import Abstraction, ScreeningAppointment, StaffRecord

pytestmark = pytest.mark.django_db
TINY = Scale(forces=1, nominals_per_force=30, suspects_per_force=20, officers_per_team=4)


@pytest.fixture(autouse=True)
def _frozen():  # the generator writes history up to the real now
    yield


def test_the_generator_gives_staff_abstractions_and_screening():
    from vigil.accounts.models import Membership

    generate(scale=TINY, seed=3)
    members = Membership.objects.filter(
        team__kind__in=["polit", "mosovo"], role__in=["officer", "supervisor", "manager"]
    )
    assert StaffRecord.objects.count() == members.values("user", "team").distinct().count()
    assert Abstraction.objects.filter(reviewed_at__isnull=True).exists()
    assert Abstraction.objects.filter(reviewed_at__isnull=False).exists()
    assert ScreeningAppointment.objects.filter(attendance="attended").exists()
    # History-true: records were made when they happened, not at generation.
    oldest = StaffRecord.objects.order_by("created_at").first().created_at
    assert (clock.now() - oldest).days > 365
    assert Abstraction.objects.filter(created_at__lt=clock.now() - dt.timedelta(days=60)).exists()
    w = window_for(clock.today())
    for point in ("D", "K", "R"):
        for metric in metrics_for_point(point):
            result = compute(metric, w)
            assert result.measurable and result.denominator, (metric.key, result)
