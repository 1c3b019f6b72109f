"""Oversight of investigations allocated outside the team, and the escalation log (C)."""

import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Rank, Role
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.testing import make_user
from vigil.duties.models import Duty
from vigil.duties.services import sweep
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import selectors, services
from vigil.investigations.choices import EscalationTrigger, ReviewOutcome
from vigil.investigations.models import EscalationLogEntry, OversightReview

pytestmark = pytest.mark.django_db

from vigil.investigations.tests.helpers import make_investigation  # noqa: E402

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def test_it_puts_an_external_allocation_on_the_board_with_a_review_duty(
    team, unit, sergeant, unit_officer
):
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, allocated_team=unit, officer=unit_officer)
    duty = Duty.objects.get(kind=kinds.OVERSIGHT_REVIEW)
    assert duty.team == team and duty.due_at == T0 + dt.timedelta(days=28)
    assert list(selectors.oversight_board(user=sergeant)) == [investigation]
    unit_supervisor = make_user(Role.SUPERVISOR, unit)
    assert list(selectors.oversight_board(user=unit_supervisor)) == []


def test_it_records_a_review_and_schedules_the_next(team, unit, sergeant):
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, allocated_team=unit)
    with time_machine.travel(T0 + dt.timedelta(days=20), tick=False):
        review = services.oversight_review_record(
            actor=sergeant,
            investigation=investigation,
            outcome=ReviewOutcome.ACTION_REQUIRED,
            note="Reassess before the warrant",
        )
    assert review.due_at == T0 + dt.timedelta(days=28)
    assert review.allocated_team == unit
    assert investigation.oversight_due_at == T0 + dt.timedelta(days=48)
    assert Duty.objects.get(kind=kinds.OVERSIGHT_REVIEW, completed_at=None).due_at == (
        T0 + dt.timedelta(days=48)
    )


def test_it_needs_a_note_when_action_is_required(team, unit, sergeant):
    investigation = make_investigation(team, allocated_team=unit)
    with pytest.raises(ValidationFailed) as exc:
        services.oversight_review_record(
            actor=sergeant, investigation=investigation, outcome=ReviewOutcome.ACTION_REQUIRED
        )
    assert exc.value.errors[0][0] == "note"
    assert not OversightReview.objects.exists()


def test_only_an_owning_team_supervisor_reviews(team, unit, officer, unit_supervisor, other_team):
    investigation = make_investigation(team, allocated_team=unit)
    with pytest.raises(PermissionDenied):
        services.oversight_review_record(
            actor=officer, investigation=investigation, outcome=ReviewOutcome.SATISFACTORY
        )
    with pytest.raises(PermissionDenied):
        services.oversight_review_record(
            actor=unit_supervisor, investigation=investigation, outcome=ReviewOutcome.SATISFACTORY
        )
    with pytest.raises(NotFound):
        services.oversight_review_record(
            actor=make_user(Role.SUPERVISOR, other_team),
            investigation=investigation,
            outcome=ReviewOutcome.SATISFACTORY,
        )


def test_a_review_of_a_team_own_investigation_is_refused(team, sergeant):
    investigation = make_investigation(team)
    with pytest.raises(Conflict):
        services.oversight_review_record(
            actor=sergeant, investigation=investigation, outcome=ReviewOutcome.SATISFACTORY
        )


def test_allocating_outside_and_back_opens_and_closes_oversight(team, unit, sergeant, unit_officer):
    investigation = make_investigation(team, actor=sergeant)
    services.investigation_allocate(
        actor=sergeant, investigation=investigation, team=unit, officer=unit_officer
    )
    assert Duty.objects.filter(kind=kinds.OVERSIGHT_REVIEW, completed_at=None).count() == 1
    with pytest.raises(ValidationFailed) as exc:
        services.investigation_allocate(
            actor=sergeant, investigation=investigation, team=team, officer=unit_officer
        )
    assert exc.value.errors[0][0] == "officer"
    services.investigation_allocate(actor=sergeant, investigation=investigation, team=team)
    assert not Duty.objects.filter(kind=kinds.OVERSIGHT_REVIEW, completed_at=None).exists()
    assert investigation.oversight_due_at is None


def test_the_sweep_logs_an_unreviewed_external_allocation_then_raises_it(team, unit, sergeant):
    manager = make_user(Role.MANAGER, team, rank=Rank.INSPECTOR)
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, allocated_team=unit, actor=sergeant)
    # Due at day 28; supervisors told 7 days after; managers 28 days after.
    sweep(now=T0 + dt.timedelta(days=34))
    assert not EscalationLogEntry.objects.filter(trigger="external_not_reviewed").exists()
    with time_machine.travel(T0 + dt.timedelta(days=36), tick=False):
        sweep()
    entry = EscalationLogEntry.objects.get(trigger=EscalationTrigger.EXTERNAL_NOT_REVIEWED)
    assert entry.level == 1 and entry.investigation == investigation
    with time_machine.travel(T0 + dt.timedelta(days=57), tick=False):
        sweep()
    entry.refresh_from_db()
    assert entry.level == 2
    assert list(
        selectors.escalation_list(user=manager, trigger=EscalationTrigger.EXTERNAL_NOT_REVIEWED)
    ) == [entry]
    # The reassessment, due at the same time, was escalated alongside.
    assert EscalationLogEntry.objects.filter(trigger="reassessment_overdue").exists()


def test_an_unacknowledged_escalation_rises_to_the_managers(team, sergeant):
    with time_machine.travel(T0, tick=False):
        investigation = make_investigation(team, actor=sergeant)
        entry = services.escalation_raise(
            actor=sergeant, trigger=EscalationTrigger.BAND_RAISED, investigation=investigation
        )
    assert entry.acknowledge_by == T0 + dt.timedelta(days=2)
    with time_machine.travel(T0 + dt.timedelta(days=2, hours=1), tick=False):
        sweep()
    entry.refresh_from_db()
    assert entry.level == 2


def test_it_acknowledges_and_resolves_with_outcome(team, sergeant, other_team):
    investigation = make_investigation(team, actor=sergeant)
    entry = services.escalation_raise(
        actor=None, trigger=EscalationTrigger.REASSESSMENT_OVERDUE, investigation=investigation
    )
    with pytest.raises(NotFound):
        services.escalation_acknowledge(actor=make_user(Role.SUPERVISOR, other_team), entry=entry)
    services.escalation_acknowledge(actor=sergeant, entry=entry)
    assert entry.acknowledged_by == sergeant
    assert Duty.objects.get(kind=kinds.ESCALATION_RESOLVE, completed_at=None).assignee == sergeant
    with pytest.raises(ValidationFailed):
        services.escalation_resolve(actor=sergeant, entry=entry, outcome=" ")
    services.escalation_resolve(actor=sergeant, entry=entry, outcome="Reassessed; officer reminded")
    entry.refresh_from_db()
    assert entry.resolved_at is not None and entry.outcome.startswith("Reassessed")
    assert not Duty.objects.filter(completed_at=None, subject_id=entry.uuid).exists()
    counts = selectors.escalation_counts(user=sergeant)
    assert counts == {"raised": 1, "unresolved": 0, "resolved": 1, "resolved_in_time": 1}


def test_a_missed_referral_target_is_logged_against_the_referral(team, sergeant):
    from vigil.investigations.tests.helpers import make_referral

    referral = make_referral(team, actor=sergeant)

    class FakeDuty:
        subject_type = "referrals.referral"
        subject_id = referral.uuid

    services.escalations_from_duties(
        duties=[FakeDuty()], trigger=EscalationTrigger.PRIORITY_TARGET_MISSED, level=1, now=None
    )
    entry = EscalationLogEntry.objects.get()
    assert entry.referral == referral and entry.investigation is None and entry.team == team
