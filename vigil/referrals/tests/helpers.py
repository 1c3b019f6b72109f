"""Shared set-up for the referrals tests: a POLIT team with an officer and two supervisors,
and referrals driven through the services."""

from __future__ import annotations

import datetime as dt

from vigil.accounts.choices import Role
from vigil.core.testing import make_team, make_user
from vigil.people import services as people
from vigil.referrals import services

LOW_ANSWERS = {
    "previous_sexual_convictions": "none",
    "previous_contact_offence": "no",
    "previous_indecent_images": "no",
    "previous_breaches": "no",
    "lives_with_children": "no",
    "access_through_work": "no",
    "unsupervised_contact": "none",
    "grooming": "no",
    "incitement": "no",
    "producing_images": "no",
    "sexual_communication": "no",
    "other_convictions": "no",
    "domestic_abuse": "no",
    "substance_misuse": "no",
}
# 4 + 4 + 4 + 4 (+3) = 19 points: high.
HIGH_ANSWERS = LOW_ANSWERS | {
    "previous_contact_offence": "yes",
    "lives_with_children": "yes",
    "grooming": "yes",
    "incitement": "yes",
    "sexual_communication": "yes",
}

_refs = iter(range(1, 10**6))


def make_person(team, actor=None, **kwargs):
    actor = actor or make_user(Role.OFFICER, team)
    values = {"given_name": "Gareth", "family_name": "Price", "date_of_birth": dt.date(1980, 5, 17)}
    values.update(kwargs)
    return people.person_create(actor=actor, team=team, confirm_not_duplicate=True, **values)


def receive(actor, team, **kwargs):
    values = {
        "source": "nca_ceop",
        "source_reference": f"NCA-{next(_refs):06d}",
        "summary": "Uploads reported by an online platform.",
        "confirm_not_duplicate": True,
    }
    values.update(kwargs)
    return services.referral_receive(actor=actor, team=team, **values)


def graded(actor, team, *, answers=None, **grade):
    """A referral received, assessed and graded by `actor`."""
    suspect = grade.pop("suspect", None) or make_person(team, actor, family_name="Graded")
    referral = receive(actor, team, suspect=suspect)
    referral = services.referral_assess(
        actor=actor, referral=referral, answers=answers or LOW_ANSWERS
    )
    return services.referral_grade(actor=actor, referral=referral, **grade)


def polit_people(force=None):
    team = make_team(force) if force else make_team()
    officer = make_user(Role.OFFICER, team, full_name="Ffion Rowlands")
    supervisor = make_user(Role.SUPERVISOR, team, full_name="Carys Howells")
    second = make_user(Role.SUPERVISOR, team, full_name="Huw Jenkins")
    return team, officer, supervisor, second
