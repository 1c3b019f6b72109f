"""Requests between the police and Probation: raise, acknowledge, respond, decline, rate.

A request is a duty of the answering side from the moment it is raised: due at the time
the agreement version in force gave it, on the answering side's team (the region's team
for Probation, the nominal's managing team for the police), closed when it is answered.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import add_working_days, end_of_day
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties import services as duties
from vigil.offenders.choices import NominalStatus
from vigil.offenders.models import Nominal
from vigil.offenders.selectors import nominals_for
from vigil.partners import duty_kinds, policies, selectors
from vigil.partners.choices import (
    OPEN_STATES,
    Direction,
    Rating,
    RequestKind,
    RequestState,
    TimeUnit,
)
from vigil.partners.models import Agreement, Request

MAX_TEXT = 5000


def due_at(*, version, kind: str, direction: str, urgent: bool, raised_at: dt.datetime):
    """When a request is due under `version`: working days end at the end of the day
    (Europe/London), hours run from the moment it was raised. A version without a term
    for the kind uses the policies' defaults."""
    term = version.terms.filter(kind=kind, direction=direction).first()
    if term is not None:
        amount, unit = (
            (term.urgent_amount, term.urgent_unit) if urgent else (term.amount, term.unit)
        )
    elif urgent:
        amount, unit = int(policy_value(policies.URGENT_HOURS, at=raised_at)), TimeUnit.HOURS
    else:
        amount = int(policy_value(policies.days_key(kind), at=raised_at))
        unit = TimeUnit.WORKING_DAYS
    if unit == TimeUnit.HOURS:
        return raised_at + dt.timedelta(hours=amount)
    return end_of_day(add_working_days(timezone.localdate(raised_at), amount))


def _reference(raised_at: dt.datetime) -> str:
    return f"PR-{raised_at:%Y}-{secrets.token_hex(3).upper()}"


def _text(value: str, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(missing, field=field)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(_("Enter 5,000 characters or fewer"), field=field)
    return value


def _shared_nominal(*, actor, agreement: Agreement, register_reference: str) -> Nominal:
    """The nominal a request is about: for the police, one they may see; for Probation,
    an active nominal of the agreement's force known by its register reference. Never a
    restricted person."""
    reference = (register_reference or "").strip()
    if not reference:
        raise ValidationFailed(
            _("Enter the nominal's register reference"), field="register_reference"
        )
    base = (
        nominals_for(actor)
        if selectors.side(actor) == "police"
        else Nominal.objects.filter(status=NominalStatus.ACTIVE)
    )
    nominal = (
        base.filter(
            team__force_id=agreement.force_id,
            person__register_reference__iexact=reference,
            person__is_restricted=False,
        )
        .select_related("person", "team")
        .first()
    )
    if nominal is None:
        raise ValidationFailed(
            _(
                "There is no nominal with that register reference you can raise a request "
                "about. Check the reference."
            ),
            field="register_reference",
        )
    return nominal


@transaction.atomic
def request_raise(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    register_reference: str,
    details: str,
    urgent: bool = False,
) -> Request:
    """Raise a request to the other side.

    Steps: the actor is on a side of the agreement (a practitioner of its region raises to
    the police; a police officer, supervisor or manager of its force raises to Probation);
    a known kind, the nominal (see _shared_nominal) and what is asked; the version in
    force today and the due time it gives; save; open the answering side's duty; audit."""
    if not selectors.agreement_scope(actor).filter(pk=agreement.pk).exists():
        raise NotFound(_("There is no such record, or you do not have access to it."))
    errors = []
    if kind not in RequestKind.values:
        errors.append(("kind", _("Choose the kind of request")))
    if not (details or "").strip():
        errors.append(("details", _("Enter what you are asking for")))
    elif len(details.strip()) > MAX_TEXT:
        errors.append(("details", _("Enter 5,000 characters or fewer")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    nominal = _shared_nominal(
        actor=actor, agreement=agreement, register_reference=register_reference
    )
    now = clock.now()
    version = selectors.version_at(agreement, timezone.localdate(now))
    if version is None:
        raise Conflict(_("The agreement is not yet in force: no request can be raised under it."))
    direction = (
        Direction.TO_POLICE if selectors.side(actor) == "probation" else Direction.TO_PROBATION
    )
    request = Request.objects.create(
        reference=_reference(now),
        agreement=agreement,
        version=version,
        direction=direction,
        kind=kind,
        nominal=nominal,
        police_team=nominal.team,
        urgent=bool(urgent),
        details=details.strip(),
        raised_at=now,
        raised_by=actor,
        due_at=due_at(
            version=version, kind=kind, direction=direction, urgent=urgent, raised_at=now
        ),
    )
    to_probation = direction == Direction.TO_PROBATION
    duties.duty_open(
        actor=actor,
        kind=duty_kinds.REQUEST,
        subject=request,
        team=agreement.region.team if to_probation else nominal.team,
        person=nominal.person,
        assignee=None if to_probation else nominal.offender_manager,
        risk_level=nominal.risk_level or "low",
        due_at=request.due_at,
        note=f"{request.reference} {RequestKind(kind).label}"[:300],
    )
    audit.record(
        actor,
        "partners.request_raise",
        request,
        changes={
            "reference": request.reference,
            "direction": direction.value,
            "kind": kind,
            "urgent": bool(urgent),
            "version": version.number,
            "due_at": request.due_at.isoformat(),
        },
        person=nominal.person,
    )
    return request


def _locked(actor, request: Request, *, answering: bool) -> Request:
    locked = (
        selectors.request_scope(actor)
        .select_for_update(of=("self",))
        .select_related("nominal__person", "agreement")
        .filter(pk=request.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("There is no such record, or you do not have access to it."))
    mine = selectors.side(actor)
    if answering and mine != locked.responding_side:
        raise PermissionDenied(_("Only the side the request was sent to can answer it."))
    if not answering and mine == locked.responding_side:
        raise PermissionDenied(_("Only the side that raised the request can rate the response."))
    return locked


def _require_open(request: Request) -> None:
    if request.state not in OPEN_STATES:
        raise Conflict(_("This request has been answered: nothing more can be done to it."))


@transaction.atomic
def request_acknowledge(*, actor, request: Request) -> Request:
    """The answering side says it has the request in hand (once, while it is raised)."""
    locked = _locked(actor, request, answering=True)
    _require_open(locked)
    if locked.state == RequestState.ACKNOWLEDGED:
        raise Conflict(_("This request has already been acknowledged."))
    locked.state = RequestState.ACKNOWLEDGED
    locked.acknowledged_at = clock.now()
    locked.acknowledged_by = actor
    locked.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "updated_at"])
    audit.record(actor, "partners.request_acknowledge", locked, person=locked.nominal.person)
    return locked


def _answer(actor, locked: Request, state: str) -> None:
    locked.state = state
    locked.answered_at = clock.now()
    locked.answered_by = actor
    duties.duty_complete(actor=actor, kind=duty_kinds.REQUEST, subject=locked)


@transaction.atomic
def request_respond(*, actor, request: Request, response: str) -> Request:
    """Answer with what was shared; complete the duty; audit (with whether it was in time)."""
    locked = _locked(actor, request, answering=True)
    _require_open(locked)
    locked.response = _text(response, "response", _("Enter the response: what you are sharing"))
    _answer(actor, locked, RequestState.RESPONDED)
    locked.save(update_fields=["state", "response", "answered_at", "answered_by", "updated_at"])
    audit.record(
        actor,
        "partners.request_respond",
        locked,
        changes={"within_sla": locked.within_sla},
        person=locked.nominal.person,
    )
    return locked


@transaction.atomic
def request_decline(*, actor, request: Request, reason: str) -> Request:
    """Decline with a reason (an answer too: in time if by the due time); complete the
    duty; audit."""
    locked = _locked(actor, request, answering=True)
    _require_open(locked)
    locked.decline_reason = _text(reason, "reason", _("Enter why the request is declined"))
    _answer(actor, locked, RequestState.DECLINED)
    locked.save(
        update_fields=["state", "decline_reason", "answered_at", "answered_by", "updated_at"]
    )
    audit.record(
        actor,
        "partners.request_decline",
        locked,
        changes={"within_sla": locked.within_sla, "reason": locked.decline_reason},
        person=locked.nominal.person,
    )
    return locked


@transaction.atomic
def request_rate(*, actor, request: Request, rating: int, feedback: str = "") -> Request:
    """The raising side rates the answer (1 poor to 5 excellent) and may give feedback;
    once."""
    locked = _locked(actor, request, answering=False)
    if locked.state in OPEN_STATES:
        raise Conflict(_("The request has not been answered yet: rate it once it is."))
    if locked.rated_at is not None:
        raise Conflict(_("This response has already been rated."))
    if rating not in Rating.values:
        raise ValidationFailed(_("Choose a rating from 1 (poor) to 5 (excellent)"), field="rating")
    feedback = (feedback or "").strip()
    if len(feedback) > MAX_TEXT:
        raise ValidationFailed(_("Enter 5,000 characters or fewer"), field="feedback")
    locked.rating = rating
    locked.feedback = feedback
    locked.rated_at = clock.now()
    locked.save(update_fields=["rating", "feedback", "rated_at", "updated_at"])
    audit.record(
        actor,
        "partners.request_rate",
        locked,
        changes={"rating": rating, "feedback": feedback},
        person=locked.nominal.person,
    )
    return locked
