"""Intelligence on a nominal and its review by the offender manager."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import ArmsTrigger, ReactiveTrigger
from vigil.offenders.models import Intelligence, Nominal
from vigil.offenders.services.common import (
    _arms_trigger,
    _close,
    _fail,
    _open,
    _reactive_trigger,
    require_casework,
)


@transaction.atomic
def intelligence_record(
    *, actor, nominal: Nominal, received_on: dt.date, source: str, summary: str
) -> Intelligence:
    """An intelligence entry; opens a review duty for the offender manager."""
    require_casework(actor, nominal)
    errors = []
    if received_on is None or received_on > clock.today():
        errors.append(("received_on", _("Enter the date received, today or earlier")))
    if not (source or "").strip():
        errors.append(("source", _("Enter the source of the intelligence")))
    if not (summary or "").strip():
        errors.append(("summary", _("Summarise the intelligence")))
    _fail(errors)
    entry = Intelligence.objects.create(
        nominal=nominal,
        received_on=received_on,
        source=source.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor,
        "nominal.intelligence_record",
        entry,
        changes={"received_on": received_on.isoformat()},
        person=nominal.person,
    )
    days = policy_value("offenders.intelligence_review_days")
    _open(
        actor,
        kinds.INTELLIGENCE_REVIEW,
        entry,
        nominal,
        end_of_day(clock.today() + dt.timedelta(days=days)),
    )
    _reactive_trigger(actor, nominal, ReactiveTrigger.INTELLIGENCE)
    return entry


@transaction.atomic
def intelligence_review(
    *, actor, entry: Intelligence, note: str, arms_needed: bool
) -> Intelligence:
    """The offender manager (or a colleague) reviews an intelligence entry and says whether
    it calls for a fresh ARMS (which then falls due within the trigger period)."""
    require_casework(actor, entry.nominal)
    if not (note or "").strip():
        raise ValidationFailed(
            _("Say what the intelligence means for managing the risk"), field="note"
        )
    locked = Intelligence.objects.select_for_update().get(pk=entry.pk)
    if locked.reviewed_at is not None:
        raise Conflict(_("This intelligence has already been reviewed."))
    locked.reviewed_by, locked.reviewed_at = actor, clock.now()
    locked.review_note, locked.arms_needed = note.strip(), bool(arms_needed)
    locked.save(
        update_fields=["reviewed_by", "reviewed_at", "review_note", "arms_needed", "updated_at"]
    )
    audit.record(
        actor,
        "nominal.intelligence_review",
        locked,
        changes={"arms_needed": bool(arms_needed)},
        person=entry.nominal.person,
    )
    _close(actor, kinds.INTELLIGENCE_REVIEW, locked)
    if arms_needed:
        _arms_trigger(actor, entry.nominal, ArmsTrigger.INTELLIGENCE)
    return locked
