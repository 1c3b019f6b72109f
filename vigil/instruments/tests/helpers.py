"""Shared test helpers: people, complete answers, and raw definitions to break."""

from __future__ import annotations

import copy
import json

from vigil.instruments import engine
from vigil.people.models import Person


def make_person(team, *, given_name="Alex", family_name="Example") -> Person:
    return Person.objects.create(
        force=team.force, team=team, given_name=given_name, family_name=family_name
    )


def raw(code: str, version: int = 1) -> dict:
    """A fresh copy of a shipped definition's JSON, to change in a test."""
    path = engine.DEFINITIONS_DIR / f"{code}-{version}.json"
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))


def first_answers(definition: engine.Definition) -> dict[str, str]:
    """Every question answered with its first option (the lowest points in the shipped tools)."""
    return {q.id: q.options[0].id for q in definition.questions}


def last_answers(definition: engine.Definition) -> dict[str, str]:
    return {q.id: q.options[-1].id for q in definition.questions}


def referral_risk() -> engine.Definition:
    return engine.registry().get("referral-risk", 1)


def arms() -> engine.Definition:
    return engine.registry().get("arms", 1)
