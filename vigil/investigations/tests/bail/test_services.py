"""Pre-charge bail (point F): the legal stages and the rank each needs, conditions with the
alleged victims' views, condition checks inside every period, duties, escalation and the
metric."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.duties.services import sweep
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import selectors, services
from vigil.investigations.choices import BailStage, DecisionKind, State
from vigil.investigations.models import Bail, BailConditionCheck, EscalationLogEntry
from vigil.investigations.tests.helpers import bail, make_investigation, to_post_arrest

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")


def _on_bail(team, officer, sergeant, **kwargs):
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, officer=officer)
        to_post_arrest(investigation, officer)
        return investigation, bail(investigation, sergeant, **kwargs)


def _open_duty(kind, bail_):
    return Duty.objects.filter(kind=kind, subject_id=bail_.uuid, completed_at=None).first()


def _check(bail_, actor, **kwargs):
    return services.bail_condition_check_record(
        actor=actor,
        bail=bail_,
        method=kwargs.pop("method", "home_visit"),
        outcome=kwargs.pop("outcome", "complied"),
        **kwargs,
    )


def test_it_starts_bail_from_the_decision_with_its_initial_period(team, officer, sergeant):
    investigation, b = _on_bail(team, officer, sergeant)
    investigation.refresh_from_db()
    assert investigation.state == State.ON_BAIL
    # The bail start date is the day after the arrest; 3 months beginning with it.
    assert b.start_date == dt.date(2026, 3, 3)
    assert b.ends_at == dt.datetime(2026, 6, 3, 0, 0, tzinfo=LONDON)
    period = b.periods.get()
    assert period.stage == BailStage.INITIAL and period.starts_at == T0
    assert period.rank_required == Rank.SERGEANT and period.authorised_by == sergeant
    assert [c.text for c in b.conditions.all()][0].startswith("No unsupervised contact")
    assert b.conditions.first().victim_views.views == "Mother of the child agrees."
    expiry = _open_duty(kinds.BAIL_EXPIRY, b)
    assert expiry.due_at == b.ends_at - dt.timedelta(days=14)
    check = _open_duty(kinds.BAIL_CONDITION_CHECK, b)
    assert check.due_at == T0 + (b.ends_at - T0) / 2 == b.check_due_at
    event = AuditEvent.objects.filter(action="bail.start").get()
    assert event.changes["authorised_rank"] == Rank.SERGEANT


def test_it_needs_a_custody_officer_of_sergeant_rank_to_bail(team, officer):
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, officer=officer)
        to_post_arrest(investigation, officer)
        with pytest.raises(PermissionDenied) as exc:
            bail(investigation, officer)
    assert "custody officer of the rank of sergeant or above" in str(exc.value.message)
    assert "Your rank is constable" in str(exc.value.message)
    assert not Bail.objects.exists()
    investigation.refresh_from_db()
    assert investigation.state == State.POST_ARREST


def test_it_refuses_police_staff_whatever_their_grade(team, officer):
    staff = make_user(Role.MANAGER, team, rank=Rank.STAFF_MANAGER)
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, officer=officer)
        to_post_arrest(investigation, officer)
        with pytest.raises(PermissionDenied) as exc:
            bail(investigation, staff)
    assert "authorised by a police officer" in str(exc.value.message)


def test_it_needs_the_victims_views_when_there_are_conditions(team, officer, sergeant):
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, officer=officer)
        to_post_arrest(investigation, officer)
        with pytest.raises(ValidationFailed) as exc:
            bail(investigation, sergeant, views="")
        assert exc.value.errors[0][0] == "victim_views"
        assert not Bail.objects.exists()
        decision = services.enforcement_decision_record(
            actor=sergeant,
            investigation=investigation,
            kind=DecisionKind.PRE_CHARGE_BAIL,
            rationale="r",
            bail_conditions=["Live at the bail address."],
            victim_views_not_sought_reason="Victim not yet identified.",
        )
    assert decision.bail.victim_views.get().not_sought_reason == "Victim not yet identified."


def test_bail_without_conditions_needs_no_views_and_owes_no_check(team, officer, sergeant):
    _, b = _on_bail(team, officer, sergeant, conditions=[])
    assert b.check_due_at is None and _open_duty(kinds.BAIL_CONDITION_CHECK, b) is None


@pytest.mark.parametrize(
    ("stage_count", "refused_rank", "needed"),
    [(0, Rank.SERGEANT, "inspector"), (1, Rank.INSPECTOR, "superintendent")],
)
def test_it_enforces_the_rank_of_each_extension(
    team, officer, sergeant, stage_count, refused_rank, needed
):
    investigation, b = _on_bail(team, officer, sergeant)
    inspector = make_user(Role.MANAGER, team, rank=Rank.INSPECTOR)
    superintendent = make_user(Role.MANAGER, team, rank=Rank.SUPERINTENDENT)
    with time_machine.travel(T0 + dt.timedelta(days=60), tick=False):
        if stage_count:
            services.bail_extend(actor=inspector, bail=b, rationale="Devices at the lab")
        refused = make_user(Role.MANAGER, team, rank=refused_rank)
        with pytest.raises(PermissionDenied) as exc:
            services.bail_extend(actor=refused, bail=b, rationale="More time")
        assert f"must be authorised by the rank of {needed} or above" in str(exc.value.message)
        authoriser = inspector if needed == "inspector" else superintendent
        period = services.bail_extend(actor=authoriser, bail=b, rationale="Devices at the lab")
    months = 6 if needed == "inspector" else 9
    assert b.ends_at == dt.datetime(2026, 3 + months, 3, 0, 0, tzinfo=LONDON)
    assert period.starts_at < period.ends_at == b.ends_at
    assert period.rank_required == needed and period.authoriser_rank == authoriser.rank
    assert _open_duty(kinds.BAIL_EXPIRY, b).due_at == b.ends_at - dt.timedelta(days=14)


def test_it_extends_only_before_expiry(team, officer, sergeant, inspector):
    _, b = _on_bail(team, officer, sergeant)
    with time_machine.travel(b.ends_at, tick=False), pytest.raises(Conflict) as exc:
        services.bail_extend(actor=inspector, bail=b, rationale="Late")
    assert "can no longer be extended" in str(exc.value.message)
    with time_machine.travel(b.ends_at - dt.timedelta(seconds=1), tick=False):
        services.bail_extend(actor=inspector, bail=b, rationale="Just in time")
    assert b.stage == BailStage.EXTENDED_6


def test_it_needs_the_grounds_for_an_extension(team, officer, sergeant, inspector):
    _, b = _on_bail(team, officer, sergeant)
    with (
        time_machine.travel(T0 + dt.timedelta(days=30), tick=False),
        pytest.raises(ValidationFailed) as exc,
    ):
        services.bail_extend(actor=inspector, bail=b, rationale=" ")
    assert exc.value.field == "rationale" and b.periods.count() == 1


def test_it_takes_stage_lengths_and_ranks_from_policy(team, officer, sergeant, inspector):
    admin = make_user(Role.ADMIN, team)
    for key, value in (
        ("investigations.bail_initial_months", 2),
        ("investigations.bail_extension_1_rank", 4),
    ):
        policy_override_create(
            allow_past=True,  # a past date, to test the history
            actor=admin,
            key=key,
            value=value,
            effective_from=T0 - dt.timedelta(days=1),
            reason="x",
        )
    _, b = _on_bail(team, officer, sergeant)
    assert b.ends_at == dt.datetime(2026, 5, 3, 0, 0, tzinfo=LONDON)
    with (
        time_machine.travel(T0 + dt.timedelta(days=20), tick=False),
        pytest.raises(PermissionDenied) as exc,
    ):
        services.bail_extend(actor=inspector, bail=b, rationale="More time")
    assert "rank of chief inspector or above" in str(exc.value.message)


def _to_nine_months(team, b):
    inspector = make_user(Role.MANAGER, team, rank=Rank.INSPECTOR)
    superintendent = make_user(Role.MANAGER, team, rank=Rank.SUPERINTENDENT)
    with time_machine.travel(T0 + dt.timedelta(days=80), tick=False):
        services.bail_extend(actor=inspector, bail=b, rationale="Lab")
    with time_machine.travel(T0 + dt.timedelta(days=170), tick=False):
        services.bail_extend(actor=superintendent, bail=b, rationale="Lab")
    return superintendent


def test_beyond_nine_months_only_a_court_extends_bail(team, officer, sergeant):
    _, b = _on_bail(team, officer, sergeant)
    with (
        time_machine.travel(T0 + dt.timedelta(days=30), tick=False),
        pytest.raises(Conflict) as exc,
    ):
        services.bail_court_application_record(actor=officer, bail=b, court="x", grounds="y")
    assert "Extend it first" in str(exc.value.message)
    chief = _to_nine_months(team, b)
    assert b.stage == BailStage.EXTENDED_9
    when = b.ends_at - dt.timedelta(days=5)
    with time_machine.travel(when, tick=False):
        with pytest.raises(Conflict):  # noqa: SIM117 - the application follows in the block
            services.bail_extend(actor=chief, bail=b, rationale="More")
        app = services.bail_court_application_record(
            actor=officer, bail=b, court="Aberystwyth Magistrates' Court", grounds="Complex case"
        )
    assert _open_duty(kinds.BAIL_EXPIRY, b) is None
    assert Duty.objects.get(kind=kinds.BAIL_COURT_DECISION, completed_at=None).due_at == b.ends_at
    new_last_day = (b.ends_at + dt.timedelta(days=90)).date()
    with time_machine.travel(when + dt.timedelta(days=2), tick=False):
        with pytest.raises(ValidationFailed) as exc:
            services.bail_court_decision_record(
                actor=officer, application=app, outcome="granted", decided_on=when.date()
            )
        assert exc.value.errors[0][0] == "new_end_date"
        services.bail_court_decision_record(
            actor=officer,
            application=app,
            outcome="granted",
            decided_on=(when + dt.timedelta(days=1)).date(),
            new_end_date=new_last_day,
        )
    b.refresh_from_db()
    assert b.stage == BailStage.COURT
    assert b.ends_at.date() == new_last_day + dt.timedelta(days=1)
    assert b.periods.get(stage=BailStage.COURT).court_application == app
    assert _open_duty(kinds.BAIL_EXPIRY, b) is not None


def test_a_court_application_must_be_made_before_expiry(team, officer, sergeant):
    _, b = _on_bail(team, officer, sergeant)
    _to_nine_months(team, b)
    with time_machine.travel(b.ends_at, tick=False), pytest.raises(Conflict) as exc:
        services.bail_court_application_record(actor=officer, bail=b, court="c", grounds="g")
    assert "before the bail expires" in str(exc.value.message)


def test_a_refused_court_application_brings_back_the_expiry_duty(team, officer, sergeant):
    _, b = _on_bail(team, officer, sergeant)
    _to_nine_months(team, b)
    when = b.ends_at - dt.timedelta(days=3)
    with time_machine.travel(when, tick=False):
        app = services.bail_court_application_record(actor=officer, bail=b, court="c", grounds="g")
        services.bail_court_decision_record(
            actor=officer, application=app, outcome="refused", decided_on=when.date()
        )
    assert _open_duty(kinds.BAIL_EXPIRY, b) is not None
    assert b.stage == BailStage.EXTENDED_9


def test_a_check_is_stored_against_the_period_it_falls_in(team, officer, sergeant, inspector):
    _, b = _on_bail(team, officer, sergeant)
    first_end = b.ends_at
    with time_machine.travel(first_end - dt.timedelta(days=3), tick=False):
        services.bail_extend(actor=inspector, bail=b, rationale="Lab")
    with time_machine.travel(first_end + dt.timedelta(days=1), tick=False):
        last_second = _check(b, officer, checked_at=first_end - dt.timedelta(seconds=1))
        on_the_end = _check(b, officer, checked_at=first_end)
    assert last_second.period.stage == BailStage.INITIAL
    assert on_the_end.period.stage == BailStage.EXTENDED_6


@pytest.mark.parametrize(
    ("when", "field"),
    [
        (T0 - dt.timedelta(minutes=1), "checked_at"),  # before the bail
        (T0 + dt.timedelta(days=2), "checked_at"),  # in the future
    ],
)
def test_it_refuses_a_check_outside_the_bail(team, officer, sergeant, when, field):
    _, b = _on_bail(team, officer, sergeant)
    with (
        time_machine.travel(T0 + dt.timedelta(days=1), tick=False),
        pytest.raises(ValidationFailed) as exc,
    ):
        _check(b, officer, checked_at=when)
    assert exc.value.errors[0][0] == field and not BailConditionCheck.objects.exists()


def test_a_breach_needs_the_action_taken(team, officer, sergeant):
    _, b = _on_bail(team, officer, sergeant)
    with time_machine.travel(T0 + dt.timedelta(days=10), tick=False):
        with pytest.raises(ValidationFailed) as exc:
            _check(b, officer, outcome="breach")
        assert exc.value.errors[0][0] == "breach_action"
        check = _check(b, officer, outcome="breach", breach_action="Arrested for breach")
    assert check.breach_action == "Arrested for breach"
    assert AuditEvent.objects.filter(action="bail.condition_check").exists()


def test_the_check_duty_follows_the_periods(team, officer, sergeant, inspector):
    _, b = _on_bail(team, officer, sergeant)
    with time_machine.travel(T0 + dt.timedelta(days=10), tick=False):
        _check(b, officer)
    assert _open_duty(kinds.BAIL_CONDITION_CHECK, b) is None and b.check_due_at is None
    with time_machine.travel(T0 + dt.timedelta(days=20), tick=False):
        period = services.bail_extend(actor=inspector, bail=b, rationale="Lab")
    duty = _open_duty(kinds.BAIL_CONDITION_CHECK, b)
    assert duty.due_at == period.check_due_at == b.check_due_at
    assert period.starts_at < duty.due_at < period.ends_at


def test_an_overdue_check_escalates_and_expiry_raises_the_escalation_log(team, officer, sergeant):
    investigation, b = _on_bail(team, officer, sergeant)
    warning = b.ends_at - dt.timedelta(days=14)
    sweep(now=warning + dt.timedelta(days=5))
    assert not EscalationLogEntry.objects.filter(trigger="bail_expiring").exists()
    sweep(now=warning + dt.timedelta(days=8))
    entry = EscalationLogEntry.objects.get(trigger="bail_expiring")
    assert entry.investigation == investigation and entry.level == 2


def test_a_decision_ends_bail_and_its_duties(team, officer, sergeant, inspector):
    investigation, b = _on_bail(team, officer, sergeant)
    with time_machine.travel(T0 + dt.timedelta(days=80), tick=False):
        future = services.bail_extend(actor=inspector, bail=b, rationale="Lab")
        services.enforcement_decision_record(
            actor=officer, investigation=investigation, kind=DecisionKind.CHARGE, rationale="CPS"
        )
    b.refresh_from_db()
    assert b.ended_at == T0 + dt.timedelta(days=80) and b.end_reason == "charged"
    first = b.periods.get(stage=BailStage.INITIAL)
    future.refresh_from_db()
    assert first.ended_early_at == b.ended_at and future.withdrawn_at == b.ended_at
    assert not Duty.objects.filter(subject_id=b.uuid, completed_at=None).exists()
    assert [d for d in duties_check() if d.kind.startswith("investigations.bail")] == []


def test_answering_bail_ends_it_as_returned(team, officer, sergeant):
    investigation, b = _on_bail(team, officer, sergeant)
    with time_machine.travel(T0 + dt.timedelta(days=30), tick=False):
        services.investigation_transition(
            actor=officer, investigation=investigation, to_state=State.POST_ARREST
        )
    b.refresh_from_db()
    assert b.end_reason == "returned" and b.ended_at is not None


def test_conditions_change_only_after_the_victims_views(team, officer, sergeant):
    _, b = _on_bail(team, officer, sergeant)
    keep, drop = list(b.conditions.all())
    with time_machine.travel(T0 + dt.timedelta(days=5), tick=False):
        with pytest.raises(ValidationFailed) as exc:
            services.bail_conditions_vary(actor=officer, bail=b, add=["Curfew 21:00–07:00."])
        assert exc.value.errors[0][0] == "victim_views"
        views = services.bail_victim_views_record(actor=officer, bail=b, views="Want a curfew")
        services.bail_conditions_vary(
            actor=officer, bail=b, add=["Curfew 21:00–07:00."], remove=[drop.uuid]
        )
        # The views were used: the next change needs new ones.
        with pytest.raises(ValidationFailed):
            services.bail_conditions_vary(actor=officer, bail=b, remove=[keep.uuid])
    drop.refresh_from_db()
    assert drop.removed_at is not None and drop.removal_victim_views == views
    assert b.conditions.get(text__startswith="Curfew").victim_views == views


def test_it_keeps_bail_to_those_who_work_the_case(team, other_team, officer, sergeant):
    _, b = _on_bail(team, officer, sergeant)
    analyst = make_user(Role.ANALYST, team)
    outsider = make_user(Role.SUPERVISOR, other_team, rank=Rank.INSPECTOR)
    with pytest.raises(PermissionDenied):
        services.bail_extend(actor=analyst, bail=b, rationale="x")
    from vigil.core.exceptions import NotFound

    with pytest.raises(NotFound):
        _check(b, outsider)


# --- the metric (point F) -------------------------------------------------------------------


def test_the_metric_counts_ended_periods_with_a_check_inside(team, officer, sergeant, inspector):
    # A: initial period checked, ended by extension; its 6-month period ends unchecked.
    _, a = _on_bail(team, officer, sergeant)
    with time_machine.travel(T0 + dt.timedelta(days=10), tick=False):
        _check(a, officer)
    with time_machine.travel(T0 + dt.timedelta(days=80), tick=False):
        services.bail_extend(actor=inspector, bail=a, rationale="Lab")
    # B: no conditions: not counted. C: still running: not counted.
    _on_bail(team, officer, sergeant, conditions=[])
    first_end = a.periods.get(stage=BailStage.INITIAL).ends_at
    assert selectors.bail_check_metric(as_of=first_end - dt.timedelta(seconds=1))["ended"] == 0
    at_first_end = selectors.bail_check_metric(as_of=first_end)
    assert at_first_end == {"ended": 1, "checked": 1, "percent": 100.0}
    assert selectors.bail_check_metric(as_of=a.ends_at) == {
        "ended": 2,
        "checked": 1,
        "percent": 50.0,
    }


def test_the_metric_counts_a_period_ended_early_and_skips_one_never_begun(
    team, officer, sergeant, inspector
):
    investigation, b = _on_bail(team, officer, sergeant)
    with time_machine.travel(T0 + dt.timedelta(days=85), tick=False):
        services.bail_extend(actor=inspector, bail=b, rationale="Lab")
        services.investigation_transition(
            actor=officer, investigation=investigation, to_state=State.POST_ARREST
        )
    metric = selectors.bail_check_metric(as_of=T0 + dt.timedelta(days=86))
    assert metric == {"ended": 1, "checked": 0, "percent": 0.0}
    assert selectors.bail_check_metric(as_of=T0 + dt.timedelta(days=400))["ended"] == 1
