"""Reactive management (point P): the entry conditions with their edges, the request and
its approval by rank, the duties while reactive, the triggers, the yearly review, the
return to active management, and the conditions for any past date."""

import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import reactive, selectors, services
from vigil.offenders.models import Arms, ModeDecision, Nominal
from vigil.offenders.tests.helpers import approved_arms, make_nominal, make_plan, record_arms
from vigil.people import services as people_services

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
THREE_YEARS_AGO = dt.datetime(2023, 3, 10, 9, 0, tzinfo=dt.UTC)


def _open(kind, subject):
    return Duty.objects.filter(
        kind=kind, subject_id=subject.uuid, completed_at__isnull=True
    ).first()


def _conditions(nominal, as_of=None, **kwargs):
    result = selectors.reactive_conditions(
        Nominal.objects.filter(pk=nominal.pk), as_of=as_of, **kwargs
    )[nominal.pk]
    # the database (which orders and pages the reactive list) gives the same answer
    in_sql = Nominal.objects.filter(
        reactive.all_met_q(as_of=as_of, **kwargs), pk=nominal.pk
    ).exists()
    assert in_sql == result.all_met
    return {c.code: c for c in result.conditions}


@pytest.fixture
def low(mteam, officer, sergeant):
    """A nominal assessed low three years ago (ARMS approved then), with a plan."""
    with time_machine.travel(THREE_YEARS_AGO, tick=False):
        nominal = make_nominal(mteam, manager=officer)
        approved_arms(nominal, officer, sergeant, "low")
        make_plan(nominal, officer, months=12)
    nominal.refresh_from_db()
    return nominal


def _request(nominal, actor, text="Low risk for years, fully compliant."):
    return services.reactive_request(actor=actor, nominal=nominal, proposal=text)


# --- the entry conditions -------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_medium_risk_nominal_with_every_reason(nominal, officer, sergeant):
    approved_arms(nominal, officer, sergeant, "medium")
    with pytest.raises(ValidationFailed) as exc:
        _request(nominal, officer)
    errors = dict(exc.value.errors)
    assert set(errors) == {"risk_low", "low_years"}
    assert "The current risk level is medium, not low" in errors["risk_low"]
    assert "assessed the risk as medium" in errors["low_years"]
    assert not ModeDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="nominal.reactive_request").exists()
    assert _open(kinds.REACTIVE_APPROVAL, nominal) is None


def test_it_needs_three_years_of_low_risk_to_the_day(low, officer):
    with time_machine.travel(dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC), tick=False):
        c = _conditions(low)
        assert c["risk_low"].met
        assert not c["low_years"].met
        assert "not before 10 March 2026" in c["low_years"].reason
        with pytest.raises(ValidationFailed) as exc:
            _request(low, officer)
        assert [f for f, _m in exc.value.errors] == ["low_years"]
    with time_machine.travel(dt.datetime(2026, 3, 10, 0, 30, tzinfo=dt.UTC), tick=False):
        assert _conditions(low)["low_years"].met
        decision = _request(low, officer)
    assert decision.status == "proposed"
    assert all(c["met"] for c in decision.conditions)


def test_it_follows_the_policy_years(low, officer):
    admin = make_user(Role.ADMIN, None)
    with time_machine.travel(NOW, tick=False):
        policy_override_create(
            actor=admin,
            key="offenders.reactive_low_years",
            value="4",
            effective_from=None,
            reason="Force policy",
        )
        c = _conditions(low)
    assert not c["low_years"].met
    assert c["low_years"].label == "Risk level low for at least 4 years"


def test_a_later_assessment_not_low_breaks_the_run(low, officer, sergeant):
    with time_machine.travel(dt.datetime(2025, 1, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        approved_arms(low, officer, sergeant, "medium")
    with time_machine.travel(dt.datetime(2025, 6, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        approved_arms(low, officer, sergeant, "low")
    with time_machine.travel(NOW, tick=False):
        c = _conditions(low)
    assert c["risk_low"].met
    assert not c["low_years"].met
    assert "Low only since the ARMS assessment of 10 June 2025" in c["low_years"].reason


def test_a_breach_in_the_period_is_unmet_and_one_before_it_is_not(low, officer):
    with time_machine.travel(NOW, tick=False):
        services.breach_record(
            actor=officer,
            nominal=low,
            occurred_on=dt.date(2023, 3, 10),
            summary="Before the period (the first day of it is 11 March 2023).",
        )
        assert _conditions(low)["no_breach"].met
        services.breach_record(
            actor=officer, nominal=low, occurred_on=dt.date(2023, 3, 11), summary="In it."
        )
        c = _conditions(low)
    assert not c["no_breach"].met
    assert "1 breach in that time, on 11 March 2023" in c["no_breach"].reason


@time_machine.travel(NOW, tick=False)
def test_intelligence_is_of_concern_until_reviewed_as_calling_for_nothing(low, officer):
    entry = services.intelligence_record(
        actor=officer, nominal=low, received_on=dt.date(2026, 3, 1), source="s", summary="s"
    )
    assert not _conditions(low)["no_intelligence"].met
    services.intelligence_review(
        actor=officer, entry=entry, note="Nothing in it.", arms_needed=False
    )
    assert _conditions(low)["no_intelligence"].met
    second = services.intelligence_record(
        actor=officer, nominal=low, received_on=dt.date(2026, 3, 2), source="s", summary="s"
    )
    services.intelligence_review(actor=officer, entry=second, note="Worrying.", arms_needed=True)
    c = _conditions(low)
    assert not c["no_intelligence"].met
    assert "received 2 March 2026" in c["no_intelligence"].reason


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_nominal_not_in_the_community(low, officer):
    services.nominal_update(actor=officer, nominal=low, status="custody")
    with pytest.raises(ValidationFailed) as exc:
        _request(low, officer)
    assert [f for f, _m in exc.value.errors] == ["in_community"]


# --- request, approval, duties ----------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_is_approved_by_an_inspector_and_stops_scheduled_visits(
    low, officer, sergeant, inspector
):
    assert _open(kinds.VISIT, low) is not None
    decision = _request(low, officer)
    duty = _open(kinds.REACTIVE_APPROVAL, decision)
    assert duty is not None and duty.assignee is None
    event = AuditEvent.objects.get(action="nominal.reactive_request")
    assert event.reason == "Low risk for years, fully compliant."
    with pytest.raises(PermissionDenied):
        services.reactive_decide(actor=officer, decision=decision, approve=True, rationale="x")
    with pytest.raises(PermissionDenied) as exc:
        services.reactive_decide(actor=sergeant, decision=decision, approve=True, rationale="x")
    assert "inspector rank or above" in str(exc.value.message)
    with pytest.raises(ValidationFailed) as exc:
        services.reactive_decide(actor=inspector, decision=decision, approve=True, rationale=" ")
    assert exc.value.errors[0][0] == "rationale"
    services.reactive_decide(
        actor=inspector, decision=decision, approve=True, rationale="Meets every condition."
    )
    low.refresh_from_db()
    decision.refresh_from_db()
    assert low.management_mode == "reactive"
    assert decision.status == "approved" and decision.decided_rank == Rank.INSPECTOR
    assert decision.next_review_due == dt.date(2027, 3, 10)
    assert _open(kinds.REACTIVE_APPROVAL, decision) is None
    assert _open(kinds.VISIT, low) is None
    review = _open(kinds.REACTIVE_REVIEW, low)
    assert review.due_at == end_of_day(dt.date(2027, 3, 10)) and review.assignee == officer
    assert AuditEvent.objects.filter(action="nominal.reactive_approve").exists()
    # notification is still tracked while reactive
    event = services.notification_open(
        actor=officer, nominal=low, kind="foreign_travel", event_date=dt.date(2026, 4, 1)
    )
    assert _open(kinds.NOTIFICATION, event) is not None
    # a new plan does not bring the visit duty back
    make_plan(low, officer, months=12)
    assert _open(kinds.VISIT, low) is None
    assert duties_check() == []
    assert all(a.all_met for _n, a in selectors.reactive_list(user=officer))


@time_machine.travel(NOW, tick=False)
def test_the_requester_cannot_approve_and_a_policy_can_lower_the_rank(low, sergeant, inspector):
    decision = _request(low, sergeant)
    with pytest.raises(PermissionDenied):
        services.reactive_decide(actor=sergeant, decision=decision, approve=True, rationale="x")
    policy_override_create(
        actor=make_user(Role.ADMIN, None),
        key="offenders.reactive_approval_rank_level",
        value="2",
        effective_from=None,
        reason="Force policy",
    )
    other = make_user(Role.SUPERVISOR, low.team, rank=Rank.SERGEANT)
    services.reactive_decide(actor=other, decision=decision, approve=True, rationale="Fine.")
    assert Nominal.objects.get(pk=low.pk).management_mode == "reactive"


@time_machine.travel(NOW, tick=False)
def test_a_decline_needs_a_rationale_and_closes_the_duty(low, officer, inspector):
    decision = _request(low, officer)
    with pytest.raises(ValidationFailed):
        services.reactive_decide(actor=inspector, decision=decision, approve=False, rationale="")
    services.reactive_decide(
        actor=inspector, decision=decision, approve=False, rationale="Wait for the next ARMS."
    )
    decision.refresh_from_db()
    assert decision.status == "declined"
    assert Nominal.objects.get(pk=low.pk).management_mode == "active"
    assert _open(kinds.REACTIVE_APPROVAL, decision) is None
    assert AuditEvent.objects.filter(action="nominal.reactive_decline").exists()
    with pytest.raises(Conflict):
        services.reactive_decide(actor=inspector, decision=decision, approve=True, rationale="x")


@time_machine.travel(NOW, tick=False)
def test_approval_checks_the_conditions_again(low, officer, inspector):
    decision = _request(low, officer)
    services.breach_record(
        actor=officer, nominal=low, occurred_on=dt.date(2026, 3, 9), summary="Failed to notify."
    )
    with pytest.raises(ValidationFailed) as exc:
        services.reactive_decide(actor=inspector, decision=decision, approve=True, rationale="x")
    assert [f for f, _m in exc.value.errors] == ["no_breach"]
    decision.refresh_from_db()
    assert decision.status == "proposed"


def _make_reactive(nominal, officer, inspector):
    decision = _request(nominal, officer)
    services.reactive_decide(actor=inspector, decision=decision, approve=True, rationale="OK.")
    nominal.refresh_from_db()
    return decision


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "trigger", ["intelligence", "breach", "change", "status", "arms", "address", "child"]
)
def test_new_information_opens_a_review_for_the_manager(low, officer, sergeant, inspector, trigger):
    _make_reactive(low, officer, inspector)
    if trigger == "intelligence":
        services.intelligence_record(
            actor=officer, nominal=low, received_on=dt.date(2026, 3, 10), source="s", summary="s"
        )
    elif trigger == "breach":
        services.breach_record(
            actor=officer, nominal=low, occurred_on=dt.date(2026, 3, 10), summary="s"
        )
    elif trigger == "change":
        services.notification_open(
            actor=officer, nominal=low, kind="change", event_date=dt.date(2026, 3, 10)
        )
    elif trigger == "status":
        services.nominal_update(actor=officer, nominal=low, status="missing")
    elif trigger == "address":
        # Recorded on the person's record in the people app: a change of circumstances.
        people_services.address_add(
            actor=officer,
            person=low.person,
            line1="2 New Road",
            town="Newport",
            postcode="NP20 1AA",
            valid_from=dt.date(2026, 3, 9),
        )
    elif trigger == "child":
        people_services.child_link_add(
            actor=officer, person=low.person, child_name="Child A", relationship="in_household"
        )
    else:
        from vigil.offenders.tests.helpers import record_arms

        record_arms(low, officer, level="medium")
    duty = _open(kinds.REACTIVE_TRIGGER, low)
    assert duty is not None and duty.assignee == officer
    assert duty.due_at == end_of_day(dt.date(2026, 3, 24))
    assert Nominal.objects.get(pk=low.pk).reactive_review_triggered_on == dt.date(2026, 3, 10)
    assert AuditEvent.objects.filter(action="nominal.reactive_trigger").exists()
    assert duties_check() == []


@time_machine.travel(NOW, tick=False)
def test_the_review_keeps_it_reactive_only_when_every_condition_holds(
    low, officer, colleague, inspector
):
    _make_reactive(low, officer, inspector)
    services.reactive_review_record(
        actor=colleague, nominal=low, outcome="continue", rationale="Still compliant."
    )
    assert _open(kinds.REACTIVE_REVIEW, low).due_at == end_of_day(dt.date(2027, 3, 10))
    services.intelligence_record(
        actor=officer, nominal=low, received_on=dt.date(2026, 3, 10), source="s", summary="s"
    )
    (row,) = selectors.reactive_list(user=officer)
    assert [c.code for c in row[1].unmet] == ["no_intelligence"]
    with pytest.raises(ValidationFailed) as exc:
        services.reactive_review_record(
            actor=officer, nominal=low, outcome="continue", rationale="Carry on."
        )
    assert [f for f, _m in exc.value.errors] == ["no_intelligence"]
    services.reactive_review_record(
        actor=officer, nominal=low, outcome="return", rationale="Intelligence of concern."
    )
    low.refresh_from_db()
    assert low.management_mode == "active" and low.reactive_review_triggered_on is None
    assert _open(kinds.VISIT, low) is not None
    assert _open(kinds.REACTIVE_REVIEW, low) is None
    assert _open(kinds.REACTIVE_TRIGGER, low) is None
    assert AuditEvent.objects.filter(action="nominal.reactive_return").exists()
    assert duties_check() == []


@time_machine.travel(NOW, tick=False)
def test_it_returns_to_active_management_with_a_reason(low, officer, inspector):
    _make_reactive(low, officer, inspector)
    with pytest.raises(ValidationFailed):
        services.reactive_return(actor=officer, nominal=low, reason="")
    decision = services.reactive_return(actor=officer, nominal=low, reason="New partner.")
    assert decision.kind == "to_active" and decision.decided_by == officer
    assert Nominal.objects.get(pk=low.pk).management_mode == "active"
    visit = _open(kinds.VISIT, low)
    assert visit is not None
    with pytest.raises(Conflict):
        services.reactive_return(actor=officer, nominal=low, reason="Again.")


# --- for any date: point P's metric ------------------------------------------------------


def test_the_metric_reads_the_records_as_they_stood(low, officer, inspector):
    with time_machine.travel(NOW, tick=False):
        _make_reactive(low, officer, inspector)
    assert selectors.reactive_compliance(as_of=dt.date(2026, 3, 9))["total"] == 0
    later = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        services.breach_record(
            actor=officer, nominal=low, occurred_on=dt.date(2026, 4, 20), summary="s"
        )
    before = selectors.reactive_compliance(as_of=dt.date(2026, 4, 30))
    assert (before["total"], before["meeting"]) == (1, 1)
    after = selectors.reactive_compliance(as_of=dt.date(2026, 5, 1))
    assert (after["total"], after["meeting"]) == (1, 0)
    assert after["rows"][0]["unmet"] == ["no_breach"]
    # a year on, the eligibility review is overdue too
    overdue = selectors.reactive_compliance(as_of=dt.date(2027, 3, 11))
    assert set(overdue["rows"][0]["unmet"]) == {"no_breach", "reviewed"}
    with time_machine.travel(later + dt.timedelta(days=1), tick=False):
        services.reactive_return(actor=officer, nominal=low, reason="Breach.")
    assert selectors.reactive_compliance(as_of=dt.date(2026, 5, 1))["total"] == 1
    assert selectors.reactive_compliance(as_of=dt.date(2026, 5, 3))["total"] == 0


def test_the_conditions_cost_a_fixed_number_of_queries(
    mteam, officer, sergeant, inspector, django_assert_num_queries
):
    with time_machine.travel(THREE_YEARS_AGO, tick=False):
        nominals = [make_nominal(mteam, manager=officer) for _ in range(3)]
        for n in nominals:
            approved_arms(n, officer, sergeant, "low")
    with time_machine.travel(NOW, tick=False):
        for n in nominals:
            _make_reactive(n, officer, inspector)
        qs = Nominal.objects.filter(team=mteam)
        with django_assert_num_queries(7):
            result = selectors.reactive_conditions(qs)
    assert len(result) == 3 and all(a.all_met for a in result.values())


@time_machine.travel(NOW, tick=False)
def test_the_reactive_duties_follow_the_end_of_notification(low, officer, inspector):
    _make_reactive(low, officer, inspector)
    services.nominal_update(actor=officer, nominal=low, status="ended")
    assert _open(kinds.REACTIVE_REVIEW, low) is None
    assert _open(kinds.REACTIVE_TRIGGER, low) is None
    assert selectors.reactive_compliance()["total"] == 0
    assert duties_check() == []
    services.nominal_update(actor=officer, nominal=low, status="active")
    assert _open(kinds.REACTIVE_REVIEW, low) is not None
    assert _open(kinds.REACTIVE_TRIGGER, low) is not None
    assert duties_check() == []


@time_machine.travel(NOW, tick=False)
def test_one_request_at_a_time_and_no_reviews_while_active(low, officer, inspector):
    services.intelligence_record(
        actor=officer, nominal=low, received_on=dt.date(2026, 3, 1), source="s", summary="s"
    )
    assert _open(kinds.REACTIVE_TRIGGER, low) is None  # active management: no review
    assert Nominal.objects.get(pk=low.pk).reactive_review_triggered_on is None
    services.intelligence_review(
        actor=officer, entry=low.intelligence.get(), note="Nothing.", arms_needed=False
    )
    _request(low, officer)
    with pytest.raises(Conflict):
        _request(low, officer)
    with pytest.raises(Conflict):
        services.reactive_review_record(
            actor=officer, nominal=low, outcome="continue", rationale="x"
        )


def test_an_approval_is_judged_by_the_rank_policy_in_force_when_it_was_made(low, officer, sergeant):
    admin = make_user(Role.ADMIN, None)
    with time_machine.travel(NOW, tick=False):
        policy_override_create(
            actor=admin,
            key="offenders.reactive_approval_rank_level",
            value="2",
            effective_from=None,
            reason="Sergeants may approve",
        )
        other = make_user(Role.SUPERVISOR, low.team, rank=Rank.SERGEANT)
        decision = _request(low, sergeant)
        services.reactive_decide(actor=other, decision=decision, approve=True, rationale="OK.")
    later = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        policy_override_create(
            actor=admin,
            key="offenders.reactive_approval_rank_level",
            value="3",
            effective_from=None,
            reason="Back to inspectors",
        )
        # the approval was made under the policy then: still met
        assert _conditions(low)["approved"].met
        result = selectors.reactive_compliance()
    assert (result["total"], result["meeting"]) == (1, 1)


# --- the same answer in the database (the list orders, filters and pages by it) ----------


def _agree(qs, **kwargs) -> set[int]:
    """The nominals of `qs` meeting every condition, by `evaluate` and by `all_met_q`,
    which must agree."""
    expected = {pk for pk, a in reactive.evaluate(qs, **kwargs).items() if a.all_met}
    assert set(qs.filter(reactive.all_met_q(**kwargs)).values_list("pk", flat=True)) == expected
    return expected


def test_the_database_decides_every_condition_as_the_evaluation_does(
    mteam, officer, sergeant, inspector
):
    """One nominal per way a condition can fail (and a few ways it does not), checked at
    several dates, with and without the approval conditions."""
    admin = make_user(Role.ADMIN, None)
    with time_machine.travel(THREE_YEARS_AGO, tick=False):
        n = {key: make_nominal(mteam, manager=officer) for key in "abcdefghijklm"}
        for key, nominal in n.items():
            if key != "k":
                approved_arms(nominal, officer, sergeant, "low")
    # l: a medium assessment since, then low again: low for too short a time
    with time_machine.travel(dt.datetime(2024, 3, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        approved_arms(n["l"], officer, sergeant, "medium")
    with time_machine.travel(dt.datetime(2024, 9, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        approved_arms(n["l"], officer, sergeant, "low")
    with time_machine.travel(NOW, tick=False):
        # every one reactive but i (active) and k and l (not eligible)
        for key in "abcdefghjm":
            _make_reactive(n[key], officer, inspector)
        # b: a breach; c: intelligence calling for a fresh ARMS
        services.breach_record(
            actor=officer, nominal=n["b"], occurred_on=dt.date(2026, 3, 9), summary="s"
        )
        entry = services.intelligence_record(
            actor=officer, nominal=n["c"], received_on=dt.date(2026, 3, 9), source="s", summary="s"
        )
        services.intelligence_review(actor=officer, entry=entry, note="n", arms_needed=True)
        # d: an ARMS not low awaiting review breaks the run; e: the same, returned, does not
        record_arms(n["d"], officer, level="medium")
        returned = record_arms(n["e"], officer, level="medium")
        services.review_record(
            actor=sergeant, review=returned.review, outcome="returned", actions="Redo it."
        )
        # f: approved below the rank; g: a blank rationale; h: the review overdue
        approvals = ModeDecision.objects.filter(kind="to_reactive", status="approved")
        approvals.filter(nominal=n["f"]).update(decided_rank=Rank.SERGEANT)
        approvals.filter(nominal=n["g"]).update(rationale=" \n\t")
        approvals.filter(nominal=n["h"]).update(next_review_due=dt.date(2026, 3, 9))
        # j: in custody; k: reactive with no ARMS and no approval
        services.nominal_update(actor=officer, nominal=n["j"], status="custody")
        Nominal.objects.filter(pk=n["k"].pk).update(management_mode="reactive")
        # m: an ARMS not low completed at the same moment as the low one, recorded after it
        low = Arms.objects.get(nominal=n["m"])
        Arms.objects.filter(pk=record_arms(n["m"], officer, level="medium").pk).update(
            completed_at=low.completed_at
        )
    qs = Nominal.objects.filter(team=mteam)
    ids = {key: nominal.pk for key, nominal in n.items()}
    with time_machine.travel(NOW, tick=False):
        assert _agree(qs, include_approval=True) == {ids["a"], ids["e"]}
        # i (active) is asked only the entry conditions; l is low for too short a time
        assert _agree(qs) == {ids[k] for k in "aei"}
        assert _agree(qs, include_approval=False) == {ids[k] for k in "aefghi"}
        policy_override_create(
            allow_past=True,  # a past date, to test the history
            actor=admin,
            key="offenders.reactive_approval_rank_level",
            value="2",
            effective_from=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            reason="Sergeants may approve",
        )
        # f's approval was made while sergeants could approve
        assert _agree(qs, include_approval=True) == {ids[k] for k in "aef"}
    for as_of in (
        dt.date(2023, 3, 10),
        dt.date(2026, 3, 9),
        dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC),
        dt.date(2027, 3, 11),
    ):
        for include_approval in (None, True, False):
            _agree(qs, as_of=as_of, include_approval=include_approval)
