"""Building nominals for the offenders app's tests, through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from vigil.accounts.choices import Rank, Role, TeamKind
from vigil.core.testing import make_team, make_user
from vigil.offenders import services
from vigil.people import services as people_services

_n = itertools.count(1)

ARMS_ANSWERS = {
    "sexual_preoccupation": "some",
    "offence_related_sexual_interests": "present",
    "emotional_congruence_with_children": "not_present",
    "hostile_orientation": "not_present",
    "poor_self_management": "some",
    "attitudes_supporting_offending": "some",
    "social_isolation": "present",
    "social_investment": "some",
    "positive_social_influences": "not_present",
    "intimacy": "not_present",
    "employment": "some",
    "desistance_focused_attitudes": "some",
}


def mosovo_team(force, name="MOSOVO East"):
    return make_team(force, name=name, kind=TeamKind.MOSOVO)


def make_person(team, *, actor=None, **kwargs):
    actor = actor or make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
    defaults = {
        "given_name": f"Nominal{next(_n)}",
        "family_name": "Morgan",
        "date_of_birth": dt.date(1975, 3, 9),
        "register_reference": f"01/{next(_n):06d}",
    }
    defaults.update(kwargs)
    return people_services.person_create(
        actor=actor, team=team, confirm_not_duplicate=True, **defaults
    )


def make_nominal(team, *, manager, actor=None, **kwargs):
    actor = actor or manager
    person = make_person(team)
    return services.nominal_register(
        actor=actor, person=person, team=team, offender_manager=manager, **kwargs
    )


def record_arms(nominal, actor, level="medium", **kwargs):
    params = {
        "answers": ARMS_ANSWERS,
        "formulation": "Risk factors outweigh protective factors at present.",
        "judgement_level": level,
        "static_tool": "rm2000s",
        "static_band": "medium",
        "static_tool_version": "2007",
    }
    params.update(kwargs)
    return services.arms_record(actor=actor, nominal=nominal, **params)


def make_plan(nominal, actor, months=3, review_due=None, **kwargs):
    from vigil.core import clock

    return services.plan_create(
        actor=actor,
        nominal=nominal,
        visit_every_months=months,
        review_due=review_due or clock.today() + dt.timedelta(days=180),
        summary="Monitor internet use.",
        actions=[
            {
                "category": "control",
                "description": "Check devices",
                "owner": "Offender manager",
                "due_date": clock.today() + dt.timedelta(days=30),
            }
        ],
        **kwargs,
    )


def approved_arms(nominal, actor, supervisor, level="low"):
    """An ARMS assessment at `level`, approved by `supervisor` at once (so the nominal's
    risk level is `level` from now)."""
    arms = record_arms(nominal, actor, level=level)
    services.review_record(actor=supervisor, review=arms.review, outcome="approved")
    arms.refresh_from_db()
    return arms
