"""The rules of offender management, through the services."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from vigil.accounts.choices import Rank, Role, Scope
from vigil.audit.models import AuditEvent
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.services import policy_override_create
from vigil.core.testing import make_team, make_user
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import selectors, services
from vigil.offenders.models import DipCheck, Nominal, NotificationEvent, Review
from vigil.offenders.tests.helpers import make_nominal, make_person, make_plan, record_arms

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def _open(kind, subject):
    return Duty.objects.filter(
        kind=kind, subject_id=subject.uuid, completed_at__isnull=True
    ).first()


def _admin():
    return make_user(Role.ADMIN, None)


# --- registration ---------------------------------------------------------------------


def test_it_registers_a_nominal_with_an_arms_duty(mteam, officer):
    person = make_person(mteam)
    nominal = services.nominal_register(
        actor=officer, person=person, team=mteam, offender_manager=officer
    )
    assert nominal.status == "active"
    assert AuditEvent.objects.filter(action="nominal.register", person_id=str(person.uuid)).exists()
    duty = _open(kinds.ARMS, nominal)
    assert duty.assignee == officer


def test_it_needs_an_offender_manager_while_active(mteam, officer):
    with pytest.raises(ValidationFailed) as exc:
        services.nominal_register(actor=officer, person=make_person(mteam), team=mteam)
    assert exc.value.errors[0][0] == "offender_manager"
    assert not Nominal.objects.exists()
    nominal = services.nominal_register(
        actor=officer, person=make_person(mteam), team=mteam, status="custody"
    )
    assert nominal.offender_manager is None
    assert _open(kinds.ARMS, nominal) is None


def test_it_refuses_a_polit_team_and_out_of_scope_teams(team, mteam, officer, force):
    with pytest.raises(NotFound):
        services.nominal_register(
            actor=officer, person=make_person(mteam), team=team, offender_manager=officer
        )
    polit_officer = make_user(Role.OFFICER, team)
    polit_person = make_person(team)
    with pytest.raises(ValidationFailed):
        services.nominal_register(
            actor=polit_officer, person=polit_person, team=team, offender_manager=polit_officer
        )


def test_it_refuses_to_register_a_person_twice(nominal, officer, mteam):
    with pytest.raises(Conflict):
        services.nominal_register(
            actor=officer, person=nominal.person, team=mteam, offender_manager=officer
        )


def test_it_moves_duties_when_a_supervisor_changes_the_manager(
    nominal, officer, colleague, sergeant
):
    with pytest.raises(PermissionDenied):
        services.nominal_update(actor=officer, nominal=nominal, offender_manager=colleague)
    services.nominal_update(actor=sergeant, nominal=nominal, offender_manager=colleague)
    assert _open(kinds.ARMS, nominal).assignee == colleague


def test_it_closes_and_reopens_duties_with_custody_and_release(nominal, officer):
    make_plan(nominal, officer, months=1)  # no approved ARMS yet: very high applies
    services.nominal_update(actor=officer, nominal=nominal, status="custody")
    assert _open(kinds.ARMS, nominal) is None
    assert _open(kinds.VISIT, nominal) is None
    services.nominal_update(actor=officer, nominal=nominal, status="active")
    assert _open(kinds.ARMS, nominal).note == "release"
    assert _open(kinds.VISIT, nominal) is not None


# --- notification -----------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_computes_the_requirement_and_opens_the_initial_notification(nominal, officer):
    req = services.requirement_add(
        actor=officer,
        nominal=nominal,
        start_date=dt.date(2026, 3, 9),
        disposal="imprisonment",
        custodial_months=18,
    )
    assert req.period_months == 120
    assert req.end_date == dt.date(2036, 3, 8)
    initial = nominal.notifications.get(kind="initial")
    assert initial.due_date == dt.date(2026, 3, 11)  # three days beginning with the day
    assert _open(kinds.NOTIFICATION, initial).due_at == end_of_day(dt.date(2026, 3, 11))


@time_machine.travel(NOW, tick=False)
def test_it_moves_the_annual_renotification_when_details_are_notified(nominal, officer):
    services.requirement_add(
        actor=officer, nominal=nominal, start_date=dt.date(2026, 3, 1), disposal="caution"
    )
    initial = nominal.notifications.get(kind="initial")
    services.notification_record(actor=officer, event=initial, notified_on=dt.date(2026, 3, 2))
    annual = nominal.notifications.get(kind="annual", status="pending")
    assert annual.due_date == dt.date(2027, 3, 2)
    change = services.notification_open(
        actor=officer, nominal=nominal, kind="change", event_date=dt.date(2026, 3, 8)
    )
    services.notification_record(actor=officer, event=change, notified_on=dt.date(2026, 3, 9))
    annual.refresh_from_db()
    assert annual.status == "superseded"
    assert _open(kinds.NOTIFICATION, annual) is None
    new = nominal.notifications.get(kind="annual", status="pending")
    assert new.due_date == dt.date(2027, 3, 9)
    assert _open(kinds.NOTIFICATION, new) is not None
    change.refresh_from_db()
    assert change.on_time is True


@time_machine.travel(NOW, tick=False)
def test_it_marks_a_late_notification_and_schedules_weekly_reporting(nominal, officer):
    late = services.notification_open(
        actor=officer, nominal=nominal, kind="change", event_date=dt.date(2026, 3, 1)
    )
    services.notification_record(actor=officer, event=late, notified_on=dt.date(2026, 3, 4))
    late.refresh_from_db()
    assert late.on_time is False  # due 3 March
    weekly = services.notification_open(
        actor=officer, nominal=nominal, kind="weekly", event_date=dt.date(2026, 3, 2)
    )
    assert weekly.due_date == dt.date(2026, 3, 9)
    services.notification_record(actor=officer, event=weekly, notified_on=dt.date(2026, 3, 9))
    assert nominal.notifications.get(kind="weekly", status="pending").due_date == dt.date(
        2026, 3, 16
    )
    travel = services.notification_open(
        actor=officer, nominal=nominal, kind="foreign_travel", event_date=dt.date(2026, 4, 20)
    )
    assert travel.due_date == dt.date(2026, 4, 13)


@time_machine.travel(NOW, tick=False)
def test_it_uses_an_overridden_notification_period(nominal, officer):
    policy_override_create(
        actor=_admin(),
        key="offenders.notify_within_days",
        value="5",
        effective_from=None,
        reason="Test",
    )
    event = services.notification_open(
        actor=officer, nominal=nominal, kind="household_child", event_date=dt.date(2026, 3, 9)
    )
    assert event.due_date == dt.date(2026, 3, 13)


# --- orders and breaches ------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_records_an_order_and_a_breach_brings_the_arms_forward(nominal, officer, sergeant):
    arms = record_arms(nominal, officer)
    services.review_record(actor=sergeant, review=arms.review, outcome="approved")
    assert _open(kinds.ARMS, nominal).due_at.date() == dt.date(2027, 3, 10)
    order = services.order_add(
        actor=officer,
        nominal=nominal,
        kind="shpo",
        start_date=dt.date(2025, 1, 1),
        prohibitions="No unsupervised contact with children.",
    )
    with pytest.raises(ValidationFailed):
        services.order_update(actor=officer, order=order, end_date=dt.date(2024, 1, 1))
    services.breach_record(
        actor=officer,
        nominal=nominal,
        order=order,
        occurred_on=dt.date(2026, 3, 9),
        summary="Found with an unregistered phone.",
    )
    duty = _open(kinds.ARMS, nominal)
    assert duty.due_at == end_of_day(dt.date(2026, 4, 7))
    moved = AuditEvent.objects.filter(action="duty.reschedule").order_by("-pk").first()
    assert moved.reason == "breach"


# --- ARMS, plans, reviews -------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_sets_the_risk_level_only_when_an_arms_is_approved(nominal, officer, sergeant):
    arms = record_arms(nominal, officer, level="high")
    nominal.refresh_from_db()
    assert nominal.risk_level == ""
    review = arms.review
    assert review.due_at == end_of_day(dt.date(2026, 4, 10))  # one calendar month
    assert _open(kinds.SUPERVISOR_REVIEW, review) is not None
    with pytest.raises(PermissionDenied):
        services.review_record(actor=officer, review=review, outcome="approved")
    with pytest.raises(ValidationFailed):
        services.review_record(actor=sergeant, review=review, outcome="returned")
    services.review_record(actor=sergeant, review=review, outcome="approved")
    nominal.refresh_from_db()
    assert nominal.risk_level == "high"
    assert _open(kinds.ARMS, nominal).risk_level == "high"
    arms.assessment.refresh_from_db()
    assert arms.assessment.signed_off_by == sergeant
    with pytest.raises(Conflict):
        services.review_record(actor=sergeant, review=review, outcome="approved")


def test_it_refuses_an_arms_without_the_static_tool_result(nominal, officer):
    with pytest.raises(ValidationFailed) as exc:
        record_arms(nominal, officer, static_tool_version="  ")
    assert exc.value.errors[0][0] == "static_tool_version"
    assert not nominal.arms.exists()


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_plan_visiting_less_often_than_the_risk_level_allows(
    nominal, officer, sergeant
):
    arms = record_arms(nominal, officer, level="high")
    services.review_record(actor=sergeant, review=arms.review, outcome="approved")
    with pytest.raises(ValidationFailed) as exc:
        make_plan(nominal, officer, months=6)
    assert exc.value.errors[0][0] == "visit_every_months"
    plan = make_plan(nominal, officer, months=3)
    assert plan.version == 1
    assert _open(kinds.PLAN_REVIEW, plan) is not None
    assert _open(kinds.VISIT, nominal).due_at == end_of_day(dt.date(2026, 6, 10))
    assert Review.objects.filter(plan=plan).exists()
    second = make_plan(nominal, officer, months=1)
    assert second.version == 2
    assert _open(kinds.PLAN_REVIEW, plan) is None
    assert _open(kinds.VISIT, nominal).due_at == end_of_day(dt.date(2026, 4, 10))


@time_machine.travel(NOW, tick=False)
def test_it_uses_an_overridden_visit_frequency(nominal, officer, sergeant):
    policy_override_create(
        actor=_admin(),
        key="offenders.visit_max_months.medium",
        value="4",
        effective_from=None,
        reason="Local regime",
    )
    arms = record_arms(nominal, officer, level="medium")
    services.review_record(actor=sergeant, review=arms.review, outcome="approved")
    with pytest.raises(ValidationFailed):
        make_plan(nominal, officer, months=6)
    make_plan(nominal, officer, months=4)


@time_machine.travel(NOW, tick=False)
def test_it_brings_the_plan_review_forward_when_the_risk_rises(nominal, officer, sergeant):
    arms = record_arms(nominal, officer, level="low")
    services.review_record(actor=sergeant, review=arms.review, outcome="approved")
    plan = make_plan(nominal, officer, months=12)
    arms2 = record_arms(nominal, officer, level="very_high", trigger="intelligence")
    services.review_record(actor=sergeant, review=arms2.review, outcome="approved")
    assert _open(kinds.PLAN_REVIEW, plan).due_at == end_of_day(dt.date(2026, 4, 7))
    # visits follow the new minimum (monthly) even before the plan is revised
    assert _open(kinds.VISIT, nominal).due_at == end_of_day(dt.date(2026, 4, 10))


@time_machine.travel(NOW, tick=False)
def test_it_opens_a_review_duty_for_intelligence_and_triggers_arms(nominal, officer):
    entry = services.intelligence_record(
        actor=officer,
        nominal=nominal,
        received_on=dt.date(2026, 3, 9),
        source="Partner agency",
        summary="Seen near a school.",
    )
    duty = _open(kinds.INTELLIGENCE_REVIEW, entry)
    assert duty.assignee == officer
    assert duty.due_at == end_of_day(dt.date(2026, 3, 17))
    services.intelligence_review(actor=officer, entry=entry, note="Concerning.", arms_needed=True)
    assert _open(kinds.INTELLIGENCE_REVIEW, entry) is None
    assert _open(kinds.ARMS, nominal).due_at <= end_of_day(dt.date(2026, 4, 7))


# --- visits and authorisation ------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_records_a_compliant_visit_without_authorisation(nominal, officer, colleague):
    make_plan(nominal, officer, months=1)
    visit = services.visit_record(
        actor=officer,
        nominal=nominal,
        visited_at=NOW - dt.timedelta(hours=2),
        location="home",
        announced=False,
        officers=[officer, colleague],
        access_result="gained",
        outcome="All well.",
        notification_checked=True,
    )
    assert visit.compliant
    assert _open(kinds.VISIT_AUTHORISATION, visit) is None
    assert _open(kinds.VISIT, nominal).due_at == end_of_day(dt.date(2026, 4, 10))
    assert _open(kinds.SUPERVISOR_REVIEW, visit.review) is not None


@pytest.mark.parametrize(("announced", "pair"), [(True, True), (False, False), (True, False)])
@time_machine.travel(NOW, tick=False)
def test_it_needs_authorisation_for_announced_or_single_officer_visits(
    nominal, officer, colleague, sergeant, announced, pair
):
    visit = services.visit_record(
        actor=officer,
        nominal=nominal,
        visited_at=NOW - dt.timedelta(hours=3),
        location="home",
        announced=announced,
        officers=[officer, colleague] if pair else [officer],
        access_result="gained",
        outcome="Seen.",
    )
    assert not visit.compliant
    duty = _open(kinds.VISIT_AUTHORISATION, visit)
    assert duty.due_at == visit.visited_at + dt.timedelta(hours=24)
    with pytest.raises(PermissionDenied):
        services.visit_authorise(actor=officer, visit=visit, rationale="Staffing")
    auth = services.visit_authorise(actor=sergeant, visit=visit, rationale="Only one available")
    assert auth.in_time
    assert _open(kinds.VISIT_AUTHORISATION, visit) is None
    assert visit not in selectors.flagged_visits(user=sergeant)


def test_it_flags_an_authorisation_after_24_hours(nominal, officer, sergeant):
    with time_machine.travel(NOW, tick=False):
        visit = services.visit_record(
            actor=officer,
            nominal=nominal,
            visited_at=NOW - dt.timedelta(hours=1),
            location="home",
            announced=False,
            officers=[officer],
            access_result="gained",
            outcome="Seen.",
        )
    with time_machine.travel(NOW + dt.timedelta(hours=23), tick=False):
        assert visit not in selectors.flagged_visits(user=sergeant)
    with time_machine.travel(NOW + dt.timedelta(hours=23, minutes=1), tick=False):
        assert visit in selectors.flagged_visits(user=sergeant)
        auth = services.visit_authorise(actor=sergeant, visit=visit, rationale="Late")
    assert not auth.in_time
    assert visit in selectors.flagged_visits(user=sergeant)


@time_machine.travel(NOW, tick=False)
def test_it_accepts_an_authorisation_decided_before_the_visit(nominal, officer, sergeant):
    visit = services.visit_record(
        actor=officer,
        nominal=nominal,
        visited_at=NOW - dt.timedelta(days=2),
        location="home",
        announced=True,
        officers=[officer],
        access_result="gained",
        outcome="Seen.",
    )
    auth = services.visit_authorise(
        actor=sergeant,
        visit=visit,
        rationale="Agreed by phone beforehand",
        decided_at=NOW - dt.timedelta(days=3),
    )
    assert auth.in_time
    with pytest.raises(Conflict):
        services.visit_authorise(actor=sergeant, visit=visit, rationale="Again")


@time_machine.travel(NOW, tick=False)
def test_it_follows_the_authorisation_rank_policy(nominal, officer, sergeant, inspector):
    policy_override_create(
        actor=_admin(),
        key="offenders.visit_authorisation_rank_level",
        value="3",
        effective_from=None,
        reason="Inspectors only",
    )
    visit = services.visit_record(
        actor=officer,
        nominal=nominal,
        visited_at=NOW - dt.timedelta(hours=1),
        location="home",
        announced=False,
        officers=[officer],
        access_result="gained",
        outcome="Seen.",
    )
    with pytest.raises(PermissionDenied) as exc:
        services.visit_authorise(actor=sergeant, visit=visit, rationale="x")
    assert "inspector" in str(exc.value.message)
    services.visit_authorise(actor=inspector, visit=visit, rationale="x")


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_visit_in_the_future_and_changes_nothing(nominal, officer):
    with pytest.raises(ValidationFailed):
        services.visit_record(
            actor=officer,
            nominal=nominal,
            visited_at=NOW + dt.timedelta(hours=1),
            location="home",
            announced=False,
            officers=[officer],
            access_result="gained",
            outcome="x",
        )
    assert not nominal.visits.exists()


# --- dip-checks -----------------------------------------------------------------------------


def test_it_samples_authorisations_once_a_month(nominal, officer, sergeant, inspector, mteam):
    with time_machine.travel(NOW, tick=False):
        for i in range(12):
            visit = services.visit_record(
                actor=officer,
                nominal=nominal,
                visited_at=NOW - dt.timedelta(hours=i + 1),
                location="home",
                announced=True,
                officers=[officer],
                access_result="gained",
                outcome="Seen.",
            )
            services.visit_authorise(actor=sergeant, visit=visit, rationale="r")
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        checks = services.dip_check_sample(month=dt.date(2026, 3, 1))
        assert len(checks) == 2  # 10% of 12, rounded up
        assert {c.reviewer for c in checks} == {inspector}
        again = services.dip_check_sample(month=dt.date(2026, 3, 20))
        assert {c.pk for c in again} == {c.pk for c in checks}
        assert DipCheck.objects.count() == 2
        check = checks[0]
        assert _open(kinds.DIP_CHECK, check).assignee == inspector
        with pytest.raises(NotFound):
            services.dip_check_record(actor=sergeant, dip_check=check, outcome="agree", note="n")
        services.dip_check_record(
            actor=inspector,
            dip_check=check,
            outcome="disagree",
            note="Two officers were available.",
        )
        assert _open(kinds.DIP_CHECK, check) is None


# --- completeness, caseload, access ---------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_counts_completeness_against_the_rules(nominal, officer, sergeant):
    rows = {r["uuid"]: r["is_complete"] for r in selectors.completeness_by_nominal()}
    assert rows[nominal.uuid] is False
    checklist = {c["code"]: c["met"] for c in selectors.nominal_checklist(nominal)}
    assert checklist["offender_manager"] and not checklist["plan"]
    # switch off every unmet rule through policies: the nominal becomes complete
    for code, met in checklist.items():
        if not met:
            policy_override_create(
                actor=_admin(),
                key=f"offenders.completeness.{code}",
                value="no",
                effective_from=None,
                reason="Test",
            )
    rows = {r["uuid"]: r["is_complete"] for r in selectors.completeness_by_nominal()}
    assert rows[nominal.uuid] is True


def test_it_hides_restricted_and_out_of_scope_nominals(nominal, officer, force):
    other = make_team(force, name="MOSOVO West", kind="mosovo")
    outsider = make_user(Role.OFFICER, other)
    assert not selectors.nominals_for(outsider).exists()
    assurance = make_user(Role.ASSURANCE, nominal.team)
    assert not selectors.nominals_for(assurance).exists()
    from vigil.people.models import Person

    Person.objects.filter(pk=nominal.person_id).update(is_restricted=True)
    nominal.person.refresh_from_db()
    colleague = make_user(Role.OFFICER, nominal.team)
    assert not selectors.nominals_for(colleague).exists()
    assert selectors.nominals_for(officer).count() == 0  # not named on the restriction
    with pytest.raises(NotFound):
        services.intelligence_record(
            actor=colleague,
            nominal=nominal,
            received_on=dt.date(2026, 1, 1),
            source="s",
            summary="s",
        )


def test_it_counts_caseloads_against_the_threshold(mteam, officer, sergeant):
    for _ in range(3):
        make_nominal(mteam, manager=officer)
    policy_override_create(
        actor=_admin(),
        key="offenders.caseload_threshold",
        value="2",
        effective_from=None,
        reason="Test",
    )
    row = selectors.caseloads(user=sergeant)["rows"][0]
    assert row["count"] == 3 and row["over"]
    assert selectors.caseloads(user=officer)["rows"] == []


def test_it_has_every_expected_duty_open(nominal, officer, sergeant):
    from vigil.duties.registry import get_kind

    with time_machine.travel(NOW, tick=False):
        make_plan(nominal, officer, months=1)
        services.visit_record(
            actor=officer,
            nominal=nominal,
            visited_at=NOW - dt.timedelta(hours=1),
            location="home",
            announced=True,
            officers=[officer],
            access_result="gained",
            outcome="Seen.",
        )
    for code in [
        kinds.ARMS,
        kinds.PLAN_REVIEW,
        kinds.VISIT,
        kinds.VISIT_AUTHORISATION,
        kinds.SUPERVISOR_REVIEW,
        kinds.NOTIFICATION,
        kinds.INTELLIGENCE_REVIEW,
        kinds.DIP_CHECK,
    ]:
        expected = {(t, str(u)) for t, u in get_kind(code).expected(timezone.now())}
        actual = {
            (d.subject_type, str(d.subject_id))
            for d in Duty.objects.filter(kind=code, completed_at__isnull=True)
        }
        assert expected == actual, code
    assert NotificationEvent.objects.count() == 0
    assert Scope and Rank  # imported for fixtures' clarity


def test_it_runs_the_dip_check_command_idempotently(nominal, officer, sergeant, inspector):
    from io import StringIO

    from django.core.management import call_command

    with time_machine.travel(NOW, tick=False):
        visit = services.visit_record(
            actor=officer,
            nominal=nominal,
            visited_at=NOW - dt.timedelta(hours=1),
            location="home",
            announced=True,
            officers=[officer],
            access_result="gained",
            outcome="Seen.",
        )
        services.visit_authorise(actor=sergeant, visit=visit, rationale="r")
    with time_machine.travel(dt.datetime(2026, 4, 2, tzinfo=dt.UTC), tick=False):
        out = StringIO()
        call_command("offenders_dip_check", stdout=out)
        call_command("offenders_dip_check", "--month", "2026-03", stdout=out)
    assert DipCheck.objects.count() == 1
    assert "2026-03: 1 authorisation(s) sampled" in out.getvalue()
