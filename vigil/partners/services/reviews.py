"""Periodic reviews of a service level agreement."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.core import clock
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.duties import services as duties
from vigil.partners import duty_kinds, selectors
from vigil.partners.models import Agreement, Review
from vigil.partners.services.agreements import open_review_duty


def can_review(user, agreement: Agreement) -> bool:
    """The agreement's owners, a police supervisor or manager of its force, or a
    practitioner of its region."""
    if user.pk in (agreement.police_owner_id, agreement.probation_owner_id):
        return True
    if selectors.side(user) == "probation":
        return agreement.region_id in selectors.region_ids(user)
    return any(
        m.role in SUPERVISORY_ROLES and m.team.force_id == agreement.force_id
        for m in access.memberships(user)
    )


@transaction.atomic
def review_record(
    *,
    actor,
    agreement: Agreement,
    held_on: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    actions: str,
    police_notes: str = "",
    probation_notes: str = "",
) -> Review:
    """Record a review of the agreement.

    Steps: the actor may see and review the agreement; the period ends on or before the
    day it was held, and starts before it ends; the actions agreed are given; save;
    complete the review duty and open the next (due the policy's months after); audit."""
    if not selectors.agreement_scope(actor).filter(pk=agreement.pk).exists():
        raise NotFound(_("There is no such record, or you do not have access to it."))
    if not can_review(actor, agreement):
        raise PermissionDenied(
            _(
                "Only the agreement's owners, police supervisors and managers, or the region's practitioners can record a review."
            )
        )
    errors = []
    if held_on > clock.today():
        errors.append(("held_on", _("The review date cannot be in the future")))
    if period_end < period_start:
        errors.append(("period_end", _("The period must end after it starts")))
    if period_end > held_on:
        errors.append(("period_end", _("The period must end by the day of the review")))
    actions = (actions or "").strip()
    if not actions:
        errors.append(("actions", _("Enter the actions agreed (or that none were)")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    review = Review.objects.create(
        agreement=agreement,
        held_on=held_on,
        period_start=period_start,
        period_end=period_end,
        police_notes=(police_notes or "").strip(),
        probation_notes=(probation_notes or "").strip(),
        actions=actions,
        recorded_by=actor,
    )
    duties.duty_complete(actor=actor, kind=duty_kinds.REVIEW, subject=agreement)
    open_review_duty(actor=actor, agreement=agreement, after=held_on)
    audit.record(
        actor,
        "partners.review_record",
        review,
        changes={"held_on": held_on.isoformat(), "actions": actions},
    )
    return review
