"""Support for the suspect's family (point G): the offer of support, its outcome and the
leaflet given.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties import services as duties
from vigil.investigations import duty_kinds as kinds
from vigil.investigations.choices import SupportOfferStatus
from vigil.investigations.models import FamilySupportOffer, Investigation
from vigil.investigations.services.common import _check_can_work, _days, _lock, _open_duty


def _family_support_due(actor, investigation: Investigation, now) -> None:
    """The first arrest or voluntary attendance: the offer of support to the family falls
    due the policy's days later (a duty, unless one is recorded already)."""
    from django.utils import timezone

    from vigil.core.calendar import end_of_day

    days = policy_value("investigations.family_support_days", at=now)
    investigation.first_enforcement_at = now
    investigation.family_support_due_on = timezone.localdate(now) + _days(days)
    investigation.save(
        update_fields=["first_enforcement_at", "family_support_due_on", "updated_at"]
    )
    if not FamilySupportOffer.objects.filter(investigation=investigation).exists():
        _open_duty(
            actor,
            kinds.FAMILY_SUPPORT,
            investigation,
            end_of_day(investigation.family_support_due_on),
        )


def _support_errors(status: str, reason: str) -> list[tuple[str, str]]:
    if status not in SupportOfferStatus.values:
        return [("status", _("Choose what happened to the offer of support"))]
    if status == SupportOfferStatus.NOT_APPLICABLE and not reason:
        return [("reason", _("Enter the reason an offer of support is not applicable"))]
    return []


@transaction.atomic
def family_support_record(
    *,
    actor,
    investigation: Investigation,
    status: str,
    offered_on: dt.date | None = None,
    reason: str = "",
    leaflet_language: str = "",
) -> FamilySupportOffer:
    """Record the offer of support to the suspect's family: offered, accepted, declined, or
    not applicable with a reason; the date (default today, not in the future) and the
    officer (the actor). Completes the family-support duty; audit."""
    from django.utils import timezone

    _check_can_work(actor, investigation)
    locked = _lock(investigation)
    if FamilySupportOffer.objects.filter(investigation=locked).exists():
        raise Conflict(_("The offer of support is recorded already: update it instead."))
    now = clock.now()
    today = timezone.localdate(now)
    reason = (reason or "").strip()
    offered_on = offered_on or today
    errors = _support_errors(status, reason)
    if offered_on > today or offered_on < timezone.localdate(locked.opened_at):
        errors.append(
            ("offered_on", _("The date must be between the opening of the investigation and today"))
        )
    if leaflet_language not in ("", "en", "cy"):
        errors.append(("leaflet_language", _("Choose English or Welsh for the leaflet")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    offer = FamilySupportOffer.objects.create(
        investigation=locked,
        status=status,
        offered_on=offered_on,
        officer=actor,
        reason=reason,
        leaflet_language=leaflet_language,
        recorded_at=now,
        recorded_by=actor,
    )
    duties.duty_complete(actor=actor, kind=kinds.FAMILY_SUPPORT, subject=locked)
    audit.record(
        actor,
        "family_support.record",
        offer,
        person=locked.suspect,
        changes={
            "investigation": str(locked.uuid),
            "status": status,
            "offered_on": offered_on.isoformat(),
            "reason": reason or None,
            "due_on": locked.family_support_due_on.isoformat()
            if locked.family_support_due_on
            else None,
        },
    )
    return offer


@transaction.atomic
def family_support_update(
    *, actor, offer: FamilySupportOffer, status: str, reason: str = "", leaflet_language=None
) -> FamilySupportOffer:
    """Update the offer (an offer accepted or declined later; a reason). The date of the
    offer stays as first recorded: point G measures when it was made."""
    _check_can_work(actor, offer.investigation)
    locked_inv = _lock(offer.investigation)
    locked = FamilySupportOffer.objects.select_for_update().get(pk=offer.pk)
    reason = (reason or "").strip()
    errors = _support_errors(status, reason)
    if leaflet_language not in (None, "", "en", "cy"):
        errors.append(("leaflet_language", _("Choose English or Welsh for the leaflet")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    before = {"status": locked.status, "reason": locked.reason}
    if before == {"status": status, "reason": reason} and leaflet_language in (
        None,
        locked.leaflet_language,
    ):
        raise ValidationFailed(
            _("Nothing has changed: change the offer or the reason"), field="status"
        )
    locked.status = status
    locked.reason = reason
    if leaflet_language is not None:
        locked.leaflet_language = leaflet_language
    locked.save()
    audit.record(
        actor,
        "family_support.update",
        locked,
        person=locked_inv.suspect,
        changes={"status": [before["status"], status], "reason": [before["reason"], reason]},
    )
    for field in ("status", "reason", "leaflet_language"):
        setattr(offer, field, getattr(locked, field))
    return offer


def family_support_leaflet_record(
    *, actor, investigation: Investigation, language: str, document: str = "html"
) -> None:
    """The leaflet was generated, as a page or a PDF (audited: it is made for a suspect's
    family)."""
    audit.record(
        actor,
        "family_support.leaflet",
        investigation,
        person=investigation.suspect,
        changes={"language": language, "document": document},
    )
