"""The generator's training records: a bilingual catalogue, five years of sessions and
completions with history-true timestamps, some lapsed, and point S measurable today and
one and two years ago."""

import pytest
from dateutil.relativedelta import relativedelta

from vigil.assurance.metrics import compute, metrics_for_point, window_for
from vigil.core import clock
from vigil.synthetic.generator import Scale, generate
from vigil.workforce.models import Course, TrainingCompletion, TrainingSession

pytestmark = pytest.mark.django_db
TINY = Scale(forces=1, nominals_per_force=30, suspects_per_force=20, officers_per_team=4)


@pytest.fixture(autouse=True)
def _frozen():  # the generator writes history up to the real now
    yield


def test_the_generator_gives_training_with_history_and_s_is_measurable():
    generate(scale=TINY, seed=3)
    today = clock.today()
    assert Course.objects.filter(trauma_informed=True).exclude(title_cy="").count() >= 3
    assert Course.objects.exclude(title_cy__in=Course.objects.values("title")).count() == 5
    assert TrainingSession.objects.filter(knowledge_sharing=True).count() >= 12
    oldest = TrainingSession.objects.order_by("held_on").first().held_on
    assert (today - oldest).days > 4 * 365
    # History-true: each completion recorded a few days after its session, not at generation.
    for row in TrainingCompletion.objects.select_related("session")[:200]:
        assert 0 < (row.created_at.date() - row.session.held_on).days <= 7
    assert TrainingCompletion.objects.filter(expires_on__lt=today).exists()  # some expired
    for years in (0, 1, 2):
        as_of = today - relativedelta(years=years)
        w = window_for(as_of)
        for metric in metrics_for_point("S"):
            result = compute(metric, w)
            assert result.measurable and result.denominator, (years, metric.key, result)
    # Some in-scope supervisors are without in-date trauma-informed training today.
    trained = compute(metrics_for_point("S")[0], window_for(today))
    assert 0 < trained.numerator < trained.denominator, trained
