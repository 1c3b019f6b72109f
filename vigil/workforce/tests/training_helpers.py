"""Building courses, sessions and completions for the training tests (through the
services, at the moments they happen)."""

from __future__ import annotations

import datetime as dt

import time_machine

from vigil.workforce.services import training as services


def course(force, *, actor, title="Trauma-informed supervision", ti=True, months=24):
    return services.course_create(
        actor=actor,
        force=force,
        title=title,
        title_cy=f"{title} (cy)",
        trauma_informed=ti,
        refresh_months=months,
    )


def session(team, *, actor, course=None, held_on, topic="", knowledge_sharing=False):
    return services.session_schedule(
        actor=actor,
        team=team,
        held_on=held_on,
        facilitator="Dr Ceri Hughes",
        course=course,
        knowledge_sharing=knowledge_sharing,
        topic=topic,
    )


def attended(session, staff, *, actor, recorded_at: str | None = None, completed_on=None):
    """Record attendance of `staff` (a list), at `recorded_at` (ISO, UTC) if given."""
    if recorded_at is None:
        return services.attendance_record(
            actor=actor, session=session, staff=staff, completed_on=completed_on
        )
    with time_machine.travel(recorded_at, tick=False):
        return services.attendance_record(
            actor=actor, session=session, staff=staff, completed_on=completed_on
        )


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
