"""Pre-charge bail at court through the API (point F): applications and decisions."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Schema, Status

from vigil.core.exceptions import NotFound
from vigil.investigations import selectors, services
from vigil.investigations.api.bail import CourtApplicationOut, _active_bail
from vigil.investigations.api.common import _investigation, router


class CourtApplicationIn(Schema):
    court: str = ""
    grounds: str = ""


class CourtDecisionIn(Schema):
    outcome: str
    decided_on: dt.date | None = None
    new_end_date: dt.date | None = None
    note: str = ""


@router.post("/{investigation_id}/bail/court-applications", response={201: CourtApplicationOut})
def apply_to_court(request, investigation_id: uuid.UUID, payload: CourtApplicationIn):
    """Record an application to a magistrates' court to extend bail (before it expires)."""
    bail = _active_bail(request, investigation_id)
    return Status(
        201,
        services.bail_court_application_record(
            actor=request.user, bail=bail, court=payload.court, grounds=payload.grounds
        ),
    )


@router.put(
    "/{investigation_id}/bail/court-applications/{application_id}/decision",
    response=CourtApplicationOut,
)
def court_decision(
    request, investigation_id: uuid.UUID, application_id: uuid.UUID, payload: CourtDecisionIn
):
    """Record the court's decision (granted with the new last day of bail, or refused)."""
    investigation = _investigation(request, investigation_id, "edit")
    application = selectors.get_court_application_for_user(request.user, application_id)
    if application.bail.investigation_id != investigation.pk:
        raise NotFound(_("There is no court application with that id."))
    return services.bail_court_decision_record(
        actor=request.user,
        application=application,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
        new_end_date=payload.new_end_date,
        note=payload.note,
    )
