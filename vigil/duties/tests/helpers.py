"""Test-only duty kinds and small factories for the duties tests (no domain app yet
declares a kind, so the tests declare their own)."""

from __future__ import annotations

import datetime as dt
import uuid

from vigil.accounts.models import Team
from vigil.core import clock
from vigil.duties import services
from vigil.duties.choices import RiskLevel
from vigil.duties.registry import declare_duty_kind

REVIEW = "duties_test.review"
VISIT = "duties_test.visit"
CHECKED = "duties_test.team_check"

# 12:00 on a Wednesday in winter (GMT) and one in summer (BST).
NOON = dt.datetime(2026, 1, 14, 12, 0, tzinfo=dt.UTC)


def _team_check_expected(now):
    """Every team whose name starts "Needs check" should have a team_check duty open."""
    return {("accounts.team", t.uuid) for t in Team.objects.filter(name__startswith="Needs check")}


declare_duty_kind(
    REVIEW, label="Test review", url=lambda subject_id: f"/test/reviews/{subject_id}/"
)
declare_duty_kind(VISIT, label="Test visit", escalate_supervisor_days=0, escalate_manager_days=14)
declare_duty_kind(CHECKED, label="Test team check", expected=_team_check_expected)


class Subject:
    """A stand-in domain record: a model label and a UUID are all a duty needs."""

    class _meta:  # noqa: N801 - mimics a model's _meta
        label_lower = "duties_test.subject"

    def __init__(self):
        self.uuid = uuid.uuid4()

    def __str__(self) -> str:
        return f"subject {self.uuid}"


def open_duty(
    *,
    team,
    assignee=None,
    days_overdue: int = 0,
    risk: str = RiskLevel.LOW,
    kind: str = REVIEW,
    actor=None,
    person=None,
    subject=None,
    hour: int = 12,
):
    """Open a duty due at `hour`:00 (Europe/London) `days_overdue` days before today."""
    from vigil.core.calendar import start_of_day

    day = clock.today() - dt.timedelta(days=days_overdue)
    due_at = start_of_day(day) + dt.timedelta(hours=hour)
    return services.duty_open(
        actor=actor,
        kind=kind,
        subject=subject or Subject(),
        team=team,
        assignee=assignee,
        risk_level=risk,
        due_at=due_at,
        person=person,
    )
