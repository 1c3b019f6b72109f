"""Oversight of work allocated outside the owning team (point C): allocating an
investigation and recording the owning team's oversight reviews.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.investigations.choices import OPEN_STATES, ReviewOutcome
from vigil.investigations.models import Investigation, OversightReview
from vigil.investigations.services.common import (
    _check_owning_supervisor,
    _days,
    _lock,
    _refresh,
    _schedule_oversight,
    _stop_oversight,
)


@transaction.atomic
def investigation_allocate(*, actor, investigation: Investigation, team, officer=None):
    """Allocate the investigation to a team (any unit of the force) and optionally an
    officer of it. Owning-team supervisors and managers only.

    Allocated outside the owning team, it gets an oversight review duty for the owning
    team's supervisors (policy interval); brought back in, the duty is closed.
    """
    from vigil.duties.selectors import assignable_officers

    _check_owning_supervisor(actor, investigation)
    locked = _lock(investigation)
    if team is None or team.force_id != locked.owning_team.force_id:
        raise ValidationFailed(_("Choose a team of this force"), field="team")
    if officer is not None and not assignable_officers(team=team).filter(pk=officer.pk).exists():
        raise ValidationFailed(
            _("Choose an officer who works in %(team)s") % {"team": team.name}, field="officer"
        )
    if locked.allocated_team_id == team.pk and locked.allocated_officer_id == (
        officer.pk if officer else None
    ):
        raise ValidationFailed(
            _("The investigation is already allocated there. Choose a different team or officer."),
            field="team",
        )
    before = {
        "team": str(locked.allocated_team.uuid),
        "officer": locked.allocated_officer.email if locked.allocated_officer_id else None,
    }
    was_external = locked.is_external
    locked.allocated_team = team
    locked.allocated_officer = officer
    now = clock.now()
    if locked.state in OPEN_STATES:
        if locked.is_external and not was_external:
            days = policy_value("investigations.oversight_review_days", at=now)
            _schedule_oversight(actor, locked, now + _days(days))
        elif was_external and not locked.is_external:
            _stop_oversight(actor, locked)
    locked.save()
    audit.record(
        actor,
        "investigation.allocate",
        locked,
        person=locked.suspect,
        changes={
            "team": [before["team"], str(team.uuid)],
            "officer": [before["officer"], officer.email if officer else None],
        },
    )
    _refresh(investigation, locked)
    return investigation


@transaction.atomic
def oversight_review_record(
    *, actor, investigation: Investigation, outcome: str, note: str = ""
) -> OversightReview:
    """An owning-team supervisor reviews an investigation allocated to another unit.

    Steps: owning-team supervisor or manager only; the investigation must be open and
    allocated outside the team; outcome satisfactory or action required (with a note
    saying what); record it with the date it was due; complete the duty and schedule
    the next one (policy interval); audit.
    """
    _check_owning_supervisor(actor, investigation)
    locked = _lock(investigation)
    if not locked.is_external:
        raise Conflict(
            _("This investigation is worked by its own team, so it needs no oversight review.")
        )
    if locked.state not in OPEN_STATES:
        raise Conflict(_("This investigation has ended, so it needs no oversight review."))
    note = (note or "").strip()
    errors = []
    if outcome not in ReviewOutcome.values:
        errors.append(("outcome", _("Choose the outcome of the review")))
    if outcome == ReviewOutcome.ACTION_REQUIRED and not note:
        errors.append(("note", _("Say what action is required")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    now = clock.now()
    review = OversightReview.objects.create(
        investigation=locked,
        allocated_team=locked.allocated_team,
        reviewed_by=actor,
        reviewed_at=now,
        outcome=outcome,
        note=note,
        due_at=locked.oversight_due_at,
    )
    days = policy_value("investigations.oversight_review_days", at=now)
    _schedule_oversight(actor, locked, now + _days(days))
    locked.save(update_fields=["oversight_due_at", "updated_at"])
    audit.record(
        actor,
        "investigation.oversight_review",
        review,
        person=locked.suspect,
        changes={"investigation": str(locked.uuid), "outcome": outcome, "note": note},
    )
    _refresh(investigation, locked)
    return review
