"""Pre-charge bail at court (point F): applying to extend bail beyond what the police
may authorise, and recording the court's decision.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts.choices import Rank
from vigil.core import clock
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.duties import services as duties
from vigil.duties.choices import RiskLevel
from vigil.investigations import duty_kinds as kinds
from vigil.investigations.choices import NEXT_STAGE, BailStage, CourtOutcome
from vigil.investigations.models import Bail, BailCourtApplication
from vigil.investigations.services.bail import (
    _local,
    _lock_bail,
    _open_expiry_duty,
    _period_create,
    _refresh_bail,
    _require_active,
    _sync_check_duty,
    bail_stage_rank,
)


@transaction.atomic
def bail_court_application_record(
    *, actor, bail: Bail, court: str, grounds: str
) -> BailCourtApplication:
    """Record an application to a magistrates' court to extend bail beyond the police
    stages. It must be made before the bail expires; while it is pending, a duty to record
    the court's decision replaces the expiry duty."""
    locked, investigation = _lock_bail(actor, bail)
    _require_active(locked)
    now = clock.now()
    if locked.stage not in (BailStage.EXTENDED_9, BailStage.COURT):
        rank = str(Rank(bail_stage_rank(NEXT_STAGE[locked.stage], now)).label).lower()
        raise Conflict(
            _(
                "A court application is needed only once the police have extended bail as far "
                "as they can. Extend it first (authorised by the rank of %(rank)s or above)."
            )
            % {"rank": rank}
        )
    if now >= locked.ends_at:
        raise Conflict(
            _(
                "The application must be made before the bail expires, and it expired at "
                "%(end)s. Record a decision about the suspect."
            )
            % {"end": _local(locked.ends_at)}
        )
    if locked.court_applications.filter(outcome="").exists():
        raise Conflict(
            _("An application is waiting for the court's decision. Record that decision first.")
        )
    court = (court or "").strip()
    grounds = (grounds or "").strip()
    errors = []
    if not court:
        errors.append(("court", _("Enter the magistrates' court applied to")))
    elif len(court) > 200:
        errors.append(("court", _("The court's name must be 200 characters or fewer")))
    if not grounds:
        errors.append(("grounds", _("Enter the grounds of the application")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    application = BailCourtApplication.objects.create(
        bail=locked,
        court=court,
        grounds=grounds,
        applied_at=now,
        applied_by=actor,
        bail_expiry_at_application=locked.ends_at,
    )
    duties.duty_complete(actor=actor, kind=kinds.BAIL_EXPIRY, subject=locked)
    duties.duty_open(
        actor=actor,
        kind=kinds.BAIL_COURT_DECISION,
        subject=application,
        team=investigation.owning_team,
        person=investigation.suspect,
        assignee=investigation.allocated_officer,
        risk_level=investigation.risk_band or RiskLevel.MEDIUM,
        due_at=locked.ends_at,
    )
    audit.record(
        actor,
        "bail.court_application",
        application,
        person=investigation.suspect,
        changes={"bail": str(locked.uuid), "court": court, "expiry": locked.ends_at.isoformat()},
        reason=grounds,
    )
    return application


@transaction.atomic
def bail_court_decision_record(
    *,
    actor,
    application: BailCourtApplication,
    outcome: str,
    decided_on: dt.date | None,
    new_end_date: dt.date | None = None,
    note: str = "",
) -> BailCourtApplication:
    """Record the court's decision on an application to extend bail.

    Granted: a court period runs from the current end to the end of the new last day of
    bail (which must be later), and the expiry duty follows the new end. Refused: the
    expiry duty returns (a decision about the suspect is needed before the bail expires).
    """
    from django.utils import timezone

    from vigil.core.calendar import start_of_day

    locked, investigation = _lock_bail(actor, application.bail)
    app = BailCourtApplication.objects.select_for_update().get(pk=application.pk)
    if app.outcome:
        raise Conflict(
            _("The court's decision was recorded already: %(outcome)s.")
            % {"outcome": app.get_outcome_display().lower()}
        )
    now = clock.now()
    today = timezone.localdate(now)
    note = (note or "").strip()
    errors = []
    if outcome not in CourtOutcome.values:
        errors.append(("outcome", _("Choose the court's decision")))
    if decided_on is None:
        errors.append(("decided_on", _("Enter the date of the court's decision")))
    elif decided_on > today or decided_on < timezone.localdate(app.applied_at):
        errors.append(
            (
                "decided_on",
                _("The date of the decision must be between the application and today"),
            )
        )
    new_end = None
    if outcome == CourtOutcome.GRANTED:
        if new_end_date is None:
            errors.append(("new_end_date", _("Enter the new last day of bail set by the court")))
        else:
            new_end = start_of_day(new_end_date + dt.timedelta(days=1))
            if new_end <= max(locked.ends_at, now):
                errors.append(
                    (
                        "new_end_date",
                        _("The new last day of bail must be after %(end)s and not in the past")
                        % {"end": _local(locked.ends_at)},
                    )
                )
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    if locked.ended_at is not None and outcome == CourtOutcome.GRANTED:
        _require_active(locked)
    app.outcome = outcome
    app.decided_on = decided_on
    app.new_end_date = new_end_date if outcome == CourtOutcome.GRANTED else None
    app.decision_note = note
    app.decision_recorded_by = actor
    app.save()
    duties.duty_complete(actor=actor, kind=kinds.BAIL_COURT_DECISION, subject=app)
    before = locked.ends_at
    if locked.ended_at is None:
        if outcome == CourtOutcome.GRANTED:
            _period_create(actor, locked, BailStage.COURT, locked.ends_at, new_end, now, app=app)
            locked.stage = BailStage.COURT
            locked.ends_at = new_end
            _sync_check_duty(actor, locked, investigation, now)
        _open_expiry_duty(actor, locked, investigation, now)
        locked.save(update_fields=["stage", "ends_at", "check_due_at", "updated_at"])
    audit.record(
        actor,
        "bail.court_decision",
        app,
        person=investigation.suspect,
        changes={
            "outcome": outcome,
            "decided_on": decided_on.isoformat(),
            "ends_at": [before.isoformat(), locked.ends_at.isoformat()],
        },
        reason=note,
    )
    _refresh_bail(application.bail, locked)
    return app
