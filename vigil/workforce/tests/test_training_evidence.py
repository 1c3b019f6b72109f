"""The S metrics, worked out by hand for a small force, today and at past dates: in-date
trauma-informed training of in-scope supervisors (history-true), their attendance at
knowledge-sharing sessions, and the sessions held with attendance."""

import pytest
import time_machine

from vigil.assurance.metrics import compute, gap_queryset, get_metric, metrics_for_point
from vigil.assurance.metrics import window_for as _window
from vigil.workforce.choices import StaffRole
from vigil.workforce.services import training as services
from vigil.workforce.tests import helpers
from vigil.workforce.tests import training_helpers as th

pytestmark = pytest.mark.django_db


def fig(key, as_of):
    result = compute(get_metric(key), _window(th.day(as_of)))
    return result.numerator, result.denominator


@pytest.fixture
def scene(force, east, manager):
    """Supervisors A, B, C, E (in scope) and officer D (not), all in post since 2024:

    - A: two-year course completed 10 Jan 2025, recorded 12 Jan 2025 (to Jan 2027);
    - B: one-year course completed 1 Jul 2024 (expired 1 Jul 2025);
    - C: none; attended knowledge sharing on 1 Mar 2026;
    - D: officer, the two-year course in 2025 (not in the denominator);
    - E: the two-year course on 5 Jan 2026, withdrawn on 1 Oct 2026 (wrong person).
    """
    with time_machine.travel("2024-05-01 10:00:00+00:00", tick=False):
        sup = {
            k: helpers.staff(
                east, actor=manager, role=StaffRole.SUPERVISOR, started_on=th.day("2024-05-01")
            )
            for k in "ABCE"
        }
        sup["D"] = helpers.staff(east, actor=manager, started_on=th.day("2024-05-01"))
        two = th.course(force, actor=manager, title="Trauma-informed supervision", months=24)
        one = th.course(force, actor=manager, title="Vicarious trauma", months=12)
        s_one = th.session(east, actor=manager, course=one, held_on=th.day("2024-07-01"))
        s_two = th.session(east, actor=manager, course=two, held_on=th.day("2025-01-10"))
        s_e = th.session(east, actor=manager, course=two, held_on=th.day("2026-01-05"))
    th.attended(s_one, [sup["B"]], actor=manager, recorded_at="2024-07-02 10:00:00+00:00")
    th.attended(s_two, [sup["A"], sup["D"]], actor=manager, recorded_at="2025-01-12 10:00:00+00:00")
    (wrong,) = th.attended(s_e, [sup["E"]], actor=manager, recorded_at="2026-01-06 10:00:00+00:00")
    with time_machine.travel("2026-01-20 10:00:00+00:00", tick=False):
        ks1 = th.session(
            east, actor=manager, held_on=th.day("2026-03-01"), knowledge_sharing=True, topic="Apps"
        )
        th.session(
            east, actor=manager, held_on=th.day("2026-09-01"), knowledge_sharing=True, topic="MAPPA"
        )
    th.attended(ks1, [sup["A"], sup["C"]], actor=manager, recorded_at="2026-03-02 10:00:00+00:00")
    with time_machine.travel("2026-10-01 10:00:00+00:00", tick=False):
        services.completion_withdraw(actor=manager, completion=wrong, reason="Wrong person")
    return sup


def test_in_date_trauma_informed_training_today_and_in_the_past(scene):
    key = "supervisors_trauma_training_in_date"
    # Today (2 Nov 2026): A only; B expired, C none, E withdrawn.
    assert fig(key, "2026-11-02") == (1, 4)
    # 11 Jan 2025: A's course was done on the 10th but recorded on the 12th: B only.
    assert fig(key, "2025-01-11") == (1, 4)
    # 30 Jun 2025: A and B (B's expires on 1 July).
    assert fig(key, "2025-06-30") == (2, 4)
    assert fig(key, "2025-07-01") == (1, 4)
    # 30 Jun 2026: A and E (E's record was withdrawn only in October).
    assert fig(key, "2026-06-30") == (2, 4)
    # Before anyone was recorded in post.
    assert fig(key, "2024-04-01") == (0, 0)


def test_knowledge_sharing_attendance_in_the_period(scene):
    key = "supervisors_attended_knowledge_sharing"
    assert fig(key, "2026-11-02") == (2, 4)  # A and C, on 1 March 2026
    assert fig(key, "2026-03-01") == (0, 4)  # held that day, recorded the next
    assert fig(key, "2025-06-30") == (0, 4)
    sessions = "knowledge_sharing_sessions_attended"
    assert fig(sessions, "2026-11-02") == (1, 2)  # 1 March attended, 1 September not
    assert fig(sessions, "2026-06-30") == (1, 1)
    assert fig(sessions, "2025-06-30") == (0, 0)


def test_the_drill_down_lists_the_supervisors_without_it(scene, manager):
    metric = get_metric("supervisors_trauma_training_in_date")
    gaps = list(gap_queryset(metric, _window(th.day("2026-11-02")), user=manager))
    names = sorted(g["gap_name"] for g in gaps)
    assert names == sorted(scene[k].user.full_name for k in "BCE")


def test_s_is_measurable(scene):
    assert all(m.measurable for m in metrics_for_point("S"))
    assert len(metrics_for_point("S")) == 3
