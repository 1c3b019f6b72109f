"""Every evidence metric on a constructed scenario: the expected numerator and denominator
are worked out by hand in each test (period edges, as-of before and after a completion,
policy changes, zero denominators).

The default period for an as-of date of 28 November 2026 is 29 November 2025 to
28 November 2026 inclusive (Europe/London days). "Now" is 15 December 2026.
"""

from __future__ import annotations

import datetime as dt

from vigil.assurance import metrics
from vigil.assurance.choices import Rag
from vigil.assurance.tests.factories import at
from vigil.core.models import PolicyOverride

AS_OF = dt.date(2026, 11, 28)
LATER = dt.date(2026, 12, 2)


def fig(key, as_of=AS_OF):
    metric = metrics.get_metric(key)
    result = metrics.compute(metric, metrics.window_for(as_of))
    return result.numerator, result.denominator


def override(key, value, effective_from, user):
    return PolicyOverride.objects.create(
        key=key, value=value, effective_from=effective_from, reason="Test.", created_by=user
    )


# --- the window -----------------------------------------------------------------------


def test_it_defaults_to_the_twelve_months_to_the_as_of_date(frozen):
    w = metrics.window_for(AS_OF)
    assert (w.start, w.as_of) == (dt.date(2025, 11, 29), AS_OF)
    assert w.period_start == at(2025, 11, 29, 0)
    assert w.period_end == at(2026, 11, 29, 0)
    assert w.moment == w.period_end - dt.timedelta(microseconds=1)


def test_it_takes_the_figures_now_when_the_as_of_day_is_today(frozen):
    w = metrics.window_for(dt.date(2026, 12, 15))
    assert w.moment == at(2026, 12, 15, 9)


def test_it_uses_the_period_policy_in_force_at_the_as_of_date(world):
    override("assurance.period_months", 6, at(2026, 10, 1, 0), world.sergeant)
    assert metrics.window_for(AS_OF).start == dt.date(2026, 5, 29)
    assert metrics.window_for(dt.date(2026, 9, 1)).start == dt.date(2025, 9, 2)


# --- RAG ------------------------------------------------------------------------------


def test_it_rates_at_the_threshold_edges_without_rounding():
    t = metrics.Thresholds(green=95, amber=85)
    assert metrics.rag(95, 100, t) == Rag.GREEN
    assert metrics.rag(94, 100, t) == Rag.AMBER
    assert metrics.rag(85, 100, t) == Rag.AMBER
    assert metrics.rag(84, 100, t) == Rag.RED
    assert metrics.rag(0, 0, t) == Rag.NO_CASES
    assert metrics.rag(None, None, t) == Rag.NOT_MEASURABLE


def test_it_uses_the_thresholds_in_force_at_the_as_of_date(world):
    # 9 of 10 visits compliant: 90%. Green from 1 June 2026 is 90% (was 95%).
    override("assurance.green_percent", 90, at(2026, 6, 1, 0), world.sergeant)
    nominal = world.nominal(created_at=at(2025, 1, 1))
    for day in range(1, 10):
        world.visit(nominal, at(2025, 12, day))
    world.visit(nominal, at(2025, 12, 20), announced=True)
    metric = metrics.get_metric("visits_unannounced_in_pairs")
    before = metrics.compute(metric, metrics.window_for(dt.date(2026, 5, 31)))
    after = metrics.compute(metric, metrics.window_for(dt.date(2026, 6, 30)))
    assert (before.numerator, before.denominator, before.status) == (9, 10, Rag.AMBER)
    assert (after.numerator, after.denominator, after.status) == (9, 10, Rag.GREEN)
    assert after.value == 0.9


def test_a_point_takes_the_worst_status_of_its_metrics():
    assert metrics.worst([Rag.GREEN, Rag.RED, Rag.AMBER]) == Rag.RED
    assert metrics.worst([Rag.GREEN, Rag.NO_CASES]) == Rag.GREEN
    assert metrics.worst([Rag.NO_CASES, Rag.NOT_MEASURABLE]) == Rag.NO_CASES
    assert metrics.worst([Rag.NOT_MEASURABLE]) == Rag.NOT_MEASURABLE


# --- A --------------------------------------------------------------------------------


def test_a_referrals_assessed_before_allocation(world):
    r1 = world.referral(
        at(2025, 11, 29, 0, 30),
        priority="high",
        graded_at=at(2025, 11, 30),
        allocated_at=at(2025, 12, 1),
    )
    world.referral(at(2025, 11, 28, 23, 30), priority="high", graded_at=at(2025, 11, 29))
    world.referral(at(2026, 11, 28, 23, 0))  # last hour of the as-of day, not graded
    world.referral(at(2026, 11, 29, 0, 10))  # after the as-of day
    world.referral(at(2026, 6, 1), priority="low", graded_at=at(2026, 12, 1))  # graded later
    world.referral(at(2026, 5, 1), linked_to=r1, linked_at=at(2026, 5, 1))  # not counted
    world.referral(at(2026, 5, 1), created_at=at(2026, 11, 30))  # recorded later
    world.referral(
        at(2026, 3, 1), priority="low", graded_at=at(2026, 3, 5), allocated_at=at(2026, 3, 2)
    )
    # In: r1 (graded), 28 Nov (not), 1 June (graded after the as-of date), 1 March
    # (allocated before grading).
    assert fig("referrals_assessed_before_allocation") == (1, 4)
    # As of 2 December: r1 has left the period; 29 Nov and the late-recorded one come in;
    # 1 June is now graded.
    assert fig("referrals_assessed_before_allocation", LATER) == (1, 5)


def test_a_referrals_actioned_within_target(world):
    def graded(target, **kw):
        return world.referral(
            target - dt.timedelta(days=10),
            priority="high",
            graded_at=target - dt.timedelta(days=7),
            target_at=target,
            **kw,
        )

    graded(at(2026, 1, 8), actioned_at=at(2026, 1, 7))  # in time
    graded(at(2026, 2, 8), actioned_at=at(2026, 2, 10))  # late
    graded(at(2026, 11, 28, 20))  # target passed on the as-of day, not actioned
    graded(at(2026, 11, 29, 10))  # target after the as-of date
    graded(at(2026, 3, 1), closed_at=at(2026, 2, 25))  # closed before its target
    graded(at(2026, 12, 1, 23), actioned_at=at(2026, 12, 1, 10))
    assert fig("referrals_actioned_within_target") == (1, 3)
    # As of 2 December: the 29 Nov target (missed) and the 1 Dec one (met) come in.
    assert fig("referrals_actioned_within_target", LATER) == (2, 5)


# --- B --------------------------------------------------------------------------------


def test_b_enforcement_preceded_by_reassessment(world):
    inv = world.investigation(at(2025, 6, 1))
    world.decision(inv, "arrest", at(2026, 2, 1), reassessed_in_window=True)
    world.decision(inv, "voluntary_attendance", at(2026, 3, 1), reassessed_in_window=False)
    world.decision(inv, "pre_charge_bail", at(2026, 3, 2))  # not an enforcement action
    world.decision(inv, "arrest", at(2025, 11, 28, 23), reassessed_in_window=True)  # before
    world.decision(inv, "arrest", at(2026, 11, 28, 23, 59), reassessed_in_window=True)
    assert fig("enforcement_preceded_by_reassessment") == (2, 3)
    assert fig("enforcement_preceded_by_reassessment", dt.date(2024, 1, 1)) == (0, 0)


def test_b_open_investigations_with_no_overdue_reassessment(world):
    kind = "investigations.reassessment"
    made = at(2026, 1, 1)

    def opened(**kw):
        inv = world.investigation(made, **kw)
        world.transition(inv, "research", made)
        return inv

    i1 = opened()
    world.duty(kind, i1, at(2026, 11, 20), created_at=made)  # overdue
    i2 = opened()
    world.duty(kind, i2, at(2026, 12, 5), created_at=made)  # not yet due
    i3 = opened()
    world.transition(i3, "nfa", at(2026, 6, 1), "research")  # ended
    world.duty(kind, i3, at(2026, 11, 20), created_at=made)
    i4 = opened()
    world.duty(kind, i4, at(2026, 11, 20), created_at=made, completed_at=at(2026, 11, 25))
    world.investigation(at(2026, 12, 1))  # opened after the as-of date
    i6 = opened()
    world.transition(i6, "charged", at(2026, 12, 1), "research")  # ended after it
    world.duty(kind, i6, at(2026, 11, 27), created_at=made, completed_at=at(2026, 12, 1))
    # Open on 28 Nov: i1, i2, i4, i6. Overdue then: i1, i6 (i4 done on the 25th).
    assert fig("open_investigations_reassessment_in_date") == (2, 4)
    # On 22 Nov: i1 and i4 overdue (due the 20th), i6 not yet due.
    assert fig("open_investigations_reassessment_in_date", dt.date(2026, 11, 22)) == (2, 4)


# --- C --------------------------------------------------------------------------------


def test_c_external_investigations_reviewed_in_time(world):
    kind = "investigations.oversight_review"
    inv = world.investigation(at(2025, 12, 1), allocated_team=world.unit)
    # First cycle: reviewed on the 20th, before it was due; the next duty opened then.
    world.duty(kind, inv, at(2026, 1, 29), created_at=at(2026, 1, 1), completed_at=at(2026, 1, 20))
    world.oversight_review(inv, at(2026, 1, 20))
    # Second cycle: due 17 Feb, reviewed late on 10 March.
    world.duty(kind, inv, at(2026, 2, 17), created_at=at(2026, 1, 20), completed_at=at(2026, 3, 10))
    world.oversight_review(inv, at(2026, 3, 10))
    other = world.investigation(at(2025, 12, 1), allocated_team=world.unit)
    # Brought back to the team before the review fell due: nothing owed.
    world.duty(
        kind, other, at(2026, 4, 29), created_at=at(2026, 4, 1), completed_at=at(2026, 4, 10)
    )
    # Due after the as-of date.
    world.duty(kind, other, at(2026, 11, 29, 10), created_at=at(2026, 11, 1))
    third = world.investigation(at(2025, 12, 1), allocated_team=world.unit)
    world.duty(kind, third, at(2026, 10, 29), created_at=at(2026, 10, 1))  # missed, still open
    # The requirement counts investigations: inv (one cycle late) and third (missed) were
    # owed reviews in the period, neither reviewed in time every time; other owed nothing.
    assert fig("external_investigations_reviewed_in_time") == (0, 2)
    # Vigil's earlier figure counts the cycles: inv's first met, its second and third's missed.
    assert fig("oversight_review_cycles_in_time") == (1, 3)
    # A fourth investigation reviewed in time in both its cycles counts once, as met.
    fourth = world.investigation(at(2025, 12, 1), allocated_team=world.unit)
    world.duty(
        kind, fourth, at(2026, 5, 29), created_at=at(2026, 5, 1), completed_at=at(2026, 5, 20)
    )
    world.oversight_review(fourth, at(2026, 5, 20))
    world.duty(
        kind, fourth, at(2026, 6, 17), created_at=at(2026, 5, 20), completed_at=at(2026, 6, 10)
    )
    world.oversight_review(fourth, at(2026, 6, 10))
    assert fig("external_investigations_reviewed_in_time") == (1, 3)
    assert fig("oversight_review_cycles_in_time") == (3, 5)


def test_c_escalations_resolved_in_time(world):
    inv = world.investigation(at(2025, 12, 1))
    world.escalation(
        inv, at(2026, 1, 1), at(2026, 1, 15), resolved_at=at(2026, 1, 10), outcome="Done."
    )
    world.escalation(
        inv,
        at(2026, 2, 1),
        at(2026, 2, 15),
        resolved_at=at(2026, 2, 20),
        outcome="Late.",
        trigger="band_raised",
    )
    world.escalation(inv, at(2026, 11, 14), at(2026, 11, 28, 10), trigger="decision_overdue")
    world.escalation(inv, at(2026, 11, 17), at(2026, 12, 1), trigger="bail_expiring")
    assert fig("escalations_resolved_in_time") == (1, 3)


# --- E --------------------------------------------------------------------------------


def test_e_decision_recorded_before_and_after_the_completion(world):
    inv = world.investigation(at(2025, 12, 1))
    world.decision_point(inv, at(2026, 11, 1), decided_at=at(2026, 11, 20))
    world.decision_point(inv, at(2026, 5, 1), withdrawn_at=at(2026, 4, 20))
    other = world.investigation(at(2025, 12, 1))
    world.decision_point(other, at(2026, 5, 1), withdrawn_at=at(2026, 12, 1))
    # 10 Nov: both due points undecided; 28 Nov: the first decided on the 20th.
    assert fig("suspects_decision_recorded", dt.date(2026, 11, 10)) == (0, 2)
    assert fig("suspects_decision_recorded") == (1, 2)
    assert fig("decision_points_decided") == (1, 2)


def test_e_counts_suspects_not_decision_points(world):
    # One suspect with two points due (one decided, one not), one with a point decided.
    inv = world.investigation(at(2025, 12, 1))
    world.decision_point(inv, at(2026, 6, 1), decided_at=at(2026, 5, 30))
    world.decision_point(inv, at(2026, 9, 1))
    other = world.investigation(at(2025, 12, 1))
    world.decision_point(other, at(2026, 7, 1), decided_at=at(2026, 7, 1))
    # The requirement: suspects with a decision recorded for every point due: other only.
    assert fig("suspects_decision_recorded") == (1, 2)
    # Vigil's earlier figure: two of the three decision points.
    assert fig("decision_points_decided") == (2, 3)


def test_e_rui_with_exceptional_rationale(world):
    inv = world.investigation(at(2025, 12, 1))
    world.decision(inv, "rui", at(2026, 3, 1))
    world.decision(inv, "rui", at(2025, 3, 1))  # before the period
    assert fig("rui_with_exceptional_rationale") == (1, 1)
    result = metrics.compute(
        metrics.get_metric("rui_with_exceptional_rationale"),
        metrics.window_for(dt.date(2025, 1, 1)),
    )
    assert (result.numerator, result.denominator, result.status) == (0, 0, Rag.NO_CASES)
    assert result.value is None


# --- F --------------------------------------------------------------------------------


def test_f_bail_periods_with_a_condition_check(world):
    def period(start, end, **kw):
        return world.bail(world.investigation(start - dt.timedelta(days=30)), start, end, **kw)

    b1 = period(at(2026, 1, 1), at(2026, 4, 1))
    world.bail_check(b1, at(2026, 2, 15))
    period(at(2026, 5, 1), at(2026, 8, 1))  # never checked
    period(at(2026, 6, 1), at(2026, 12, 1))  # ends after the as-of date, never checked
    b4 = period(at(2026, 7, 1), at(2026, 10, 1))
    world.bail_check(b4, at(2026, 9, 1), created_at=at(2026, 12, 1))  # recorded later
    b5 = period(at(2026, 3, 1), at(2026, 6, 1), ended_early_at=at(2026, 4, 1))
    world.bail_check(b5, at(2026, 4, 15))  # after the bail ended
    assert fig("bail_periods_with_condition_check") == (1, 4)
    # 2 Dec: the 1 Dec period comes in (unchecked); b4's check has been recorded.
    assert fig("bail_periods_with_condition_check", LATER) == (2, 5)


# --- G --------------------------------------------------------------------------------


def test_g_family_support_offered_in_time(world):
    def enforced(due, **kw):
        return world.investigation(
            at(2025, 12, 1),
            first_enforcement_at=at(due.year, due.month, due.day) - dt.timedelta(days=2),
            family_support_due_on=due,
            **kw,
        )

    g1 = enforced(dt.date(2026, 3, 3))
    world.family_offer(g1, dt.date(2026, 3, 2), at(2026, 3, 2))
    g2 = enforced(dt.date(2026, 4, 3))
    world.family_offer(g2, dt.date(2026, 4, 5), at(2026, 4, 5))
    enforced(dt.date(2026, 11, 28))  # due on the as-of day: passed by its end
    enforced(dt.date(2026, 11, 29))  # due after
    g5 = enforced(dt.date(2026, 6, 3))
    world.family_offer(g5, dt.date(2026, 6, 2), at(2026, 12, 1))  # recorded later
    assert fig("family_support_offered_in_time") == (1, 4)
    assert fig("family_support_offered_in_time", LATER) == (2, 5)


# --- H --------------------------------------------------------------------------------


def test_h_records_complete_with_a_rule_switched_off_mid_period(world):
    # Only the fields on the nominal and the person count here: the other rules are
    # switched off (from well before the period).
    for code in ("current_address", "notification_requirement", "initial_notification", "plan"):
        override(f"offenders.completeness.{code}", False, at(2025, 1, 1), world.sergeant)
    world.nominal(created_at=at(2026, 1, 1))  # complete
    world.nominal(created_at=at(2026, 1, 1), risk_level="")  # no approved ARMS
    world.nominal(created_at=at(2026, 1, 1), status="custody")  # not active
    world.nominal(created_at=at(2026, 12, 1))  # recorded after the as-of date
    world.nominal(created_at=at(2026, 1, 1), mappa_level=None)
    assert fig("rso_records_complete") == (1, 3)
    # From 30 Nov the force no longer requires the risk level.
    override("offenders.completeness.risk_level", False, at(2026, 11, 30, 0), world.sergeant)
    assert fig("rso_records_complete") == (1, 3)
    assert fig("rso_records_complete", LATER) == (3, 4)


# --- L --------------------------------------------------------------------------------


def test_l_outstanding_work_not_overdue_by_risk_level(world):
    made = at(2026, 1, 1)

    def duty(kind, risk, due, **kw):
        nominal = world.nominal(created_at=at(2025, 1, 1))
        return world.duty(
            f"offenders.{kind}",
            nominal,
            due,
            created_at=kw.pop("created_at", made),
            team=world.mosovo,
            person=nominal.person,
            risk_level=risk,
            **kw,
        )

    duty("arms", "very_high", at(2026, 11, 20))  # overdue
    duty("visit", "very_high", at(2026, 12, 10))  # not yet due
    duty("plan_review", "high", at(2026, 11, 1), completed_at=at(2026, 11, 15))
    duty("arms", "low", at(2026, 11, 28, 23))  # due on the as-of day: overdue by its end
    duty("visit", "medium", at(2026, 12, 20), created_at=at(2026, 12, 1))
    duty("notification", "low", at(2026, 1, 20))  # not ARMS, plan or visit work
    assert fig("outstanding_work_not_overdue") == (1, 3)
    assert fig("outstanding_work_not_overdue_very_high") == (1, 2)
    assert fig("outstanding_work_not_overdue_high") == (0, 0)
    assert fig("outstanding_work_not_overdue_low") == (0, 1)
    assert fig("outstanding_work_not_overdue_unassessed") == (0, 0)
    # On 10 Nov the plan review was still open and overdue; the rest were not yet due.
    assert fig("outstanding_work_not_overdue", dt.date(2026, 11, 10)) == (3, 4)
    assert fig("outstanding_work_not_overdue_high", dt.date(2026, 11, 10)) == (0, 1)


# --- M, N, O --------------------------------------------------------------------------


def test_m_supervisor_reviews_within_a_month(world):
    nominal = world.nominal(created_at=at(2025, 1, 1))
    world.review(nominal, at(2026, 2, 1), reviewed_at=at(2026, 1, 20))
    world.review(nominal, at(2026, 3, 1), reviewed_at=at(2026, 3, 5))
    world.review(nominal, at(2026, 11, 20), reviewed_at=at(2026, 12, 1))
    world.review(nominal, at(2026, 12, 5))
    assert fig("supervisor_reviews_within_month") == (1, 3)


def test_n_and_o_visits(world):
    nominal = world.nominal(created_at=at(2025, 1, 1))
    world.visit(nominal, at(2026, 1, 10))
    v2 = world.visit(nominal, at(2026, 1, 10, 15), announced=True)
    world.visit(nominal, at(2026, 2, 10), officers=1)
    world.visit(nominal, at(2025, 11, 28, 20))  # before the period
    world.visit(nominal, at(2026, 11, 28, 20))
    v6 = world.visit(nominal, at(2026, 11, 27), officers=1)
    assert fig("visits_unannounced_in_pairs") == (2, 5)

    a1 = world.authorisation(v2, at(2026, 1, 11))
    world.authorisation(v6, at(2026, 11, 27, 18), created_at=at(2026, 12, 1))
    # Non-compliant: v2 (authorised), v3 (not), v6 (authorised only after the as-of date).
    assert fig("noncompliant_visits_authorised") == (1, 3)
    assert fig("noncompliant_visits_authorised", LATER) == (2, 3)

    world.dip_check(a1, checked_at=at(2026, 2, 1))
    v7 = world.visit(nominal, at(2026, 5, 1), announced=True)
    world.dip_check(world.authorisation(v7, at(2026, 5, 1)))  # sampled, not yet checked
    assert fig("authorisations_dip_checked") == (1, 2)


def test_n_and_o_count_home_visits_only_and_late_authorisations_apart(world):
    from vigil.offenders.models import Visit, VisitAuthorisation

    nominal = world.nominal(created_at=at(2025, 1, 1))
    world.visit(nominal, at(2026, 3, 1))  # home, compliant
    elsewhere = world.visit(nominal, at(2026, 3, 2), officers=1)
    Visit.objects.filter(pk=elsewhere.pk).update(location="elsewhere")
    world.authorisation(elsewhere, at(2026, 3, 2, 13))
    in_time = world.visit(nominal, at(2026, 4, 1), announced=True)
    world.authorisation(in_time, at(2026, 4, 1, 20))
    late = world.visit(nominal, at(2026, 5, 1), officers=1)
    a_late = world.authorisation(late, at(2026, 5, 4))
    VisitAuthorisation.objects.filter(pk=a_late.pk).update(in_time=False)
    world.visit(nominal, at(2026, 6, 1), announced=True)  # never authorised
    # N: the four home visits, one compliant; the visit elsewhere is not counted.
    assert fig("visits_unannounced_in_pairs") == (1, 4)
    # O: three non-compliant home visits; one authorised in time, one late, one not at all.
    assert fig("noncompliant_visits_authorised") == (1, 3)
    assert fig("noncompliant_visits_authorised_at_all") == (2, 3)
    # The authorisation of the visit elsewhere is not in the dip-check figure either.
    assert fig("authorisations_dip_checked") == (0, 2)


# --- not yet measurable ---------------------------------------------------------------


def test_points_without_records_are_not_yet_measurable(frozen, point_not_measurable):
    for metric in metrics.metrics_for_point(point_not_measurable):
        result = metrics.compute(metric, metrics.window_for(AS_OF))
        assert result.status == Rag.NOT_MEASURABLE
        assert (result.numerator, result.denominator, result.value) == (None, None, None)
        assert str(metric.reason)


def test_every_measurable_metric_drills_down_to_a_record_page(world):
    """Each metric's gap query runs with its scope condition, and its link reverses."""
    import uuid

    from django.urls import reverse

    from vigil.accounts.choices import Role, Scope
    from vigil.core.testing import make_user

    manager = make_user(Role.MANAGER, world.polit, scope=Scope.FORCE)
    window = metrics.window_for(AS_OF)
    measurable = [m for m in metrics.all_metrics() if m.measurable]
    assert len(measurable) >= 20
    for metric in measurable:
        assert list(metrics.gap_queryset(metric, window, user=manager)) == []
        if metric.gap_link is None:  # the gap is a force, not a record with a page
            assert [c.path for c in metric.gap_columns] == ["name"]
            continue
        url_name, _path = metric.gap_link
        assert reverse(url_name, args=[uuid.uuid4()])
