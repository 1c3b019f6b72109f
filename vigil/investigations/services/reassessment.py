"""Reassessing the risk of an investigation with the referral instrument, on schedule or
after an event.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts.choices import CASEWORK_ROLES
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties import services as duties
from vigil.duties.choices import RISK_ORDER, RiskLevel
from vigil.instruments.services import assessment_record, person_in_scope
from vigil.investigations import duty_kinds as kinds
from vigil.investigations.choices import OPEN_STATES, EscalationTrigger, ReassessmentTrigger, State
from vigil.investigations.models import Investigation, Reassessment
from vigil.investigations.services.common import (
    _check_can_work,
    _days,
    _lock,
    _mark_referral_actioned,
    _refresh,
    _schedule_reassessment,
)
from vigil.investigations.services.escalation import escalation_raise

INSTRUMENT = "referral-risk"


HIGH_BANDS = frozenset({RiskLevel.HIGH, RiskLevel.VERY_HIGH})


@transaction.atomic
def investigation_reassess(
    *,
    actor,
    investigation: Investigation,
    trigger: str,
    answers: Mapping[str, str],
    override_band: str | None = None,
    override_rationale: str = "",
    version: int | None = None,
) -> Reassessment:
    """Reassess the suspect's risk with the referral instrument.

    Steps: check role and scope; the investigation must be open; record the assessment
    (instruments.assessment_record); link it with its trigger and the band before;
    keep the current band; restart the reassessment schedule (policy interval) and close
    the after-an-event duty; a band raised to high or very high raises an escalation;
    audit; the referral counts as actioned.
    """
    _check_can_work(actor, investigation)
    locked = _lock(investigation)
    if trigger not in ReassessmentTrigger.values or trigger == ReassessmentTrigger.INITIAL:
        raise ValidationFailed(_("Choose why the risk is being reassessed"), field="trigger")
    if locked.state not in OPEN_STATES:
        raise Conflict(
            _("This investigation is %(state)s. Reopen it before reassessing the risk.")
            % {"state": State(locked.state).label.lower()}
        )
    suspect = locked.suspect
    # An officer of the unit the case is allocated to may not reach the suspect's owning
    # team: the assessment is then linked to the person through this investigation only.
    person = suspect if person_in_scope(actor, suspect, CASEWORK_ROLES) else None
    assessment = assessment_record(
        actor=actor,
        code=INSTRUMENT,
        version=version,
        subject=locked,
        person=person,
        answers=answers,
        override_band=override_band,
        override_rationale=override_rationale,
    )
    now = assessment.completed_at
    previous = locked.risk_band
    reassessment = Reassessment.objects.create(
        investigation=locked,
        assessment=assessment,
        trigger=trigger,
        previous_band=previous,
        band=assessment.final_band,
        assessed_at=now,
        assessed_by=actor,
    )
    locked.risk_band = assessment.final_band
    locked.last_assessed_at = now
    interval = policy_value("investigations.reassessment_interval_days", at=now)
    _schedule_reassessment(actor, locked, now + _days(interval))
    duties.duty_complete(actor=actor, kind=kinds.EVENT_REASSESSMENT, subject=locked)
    locked.event_reassessment_due_at = None
    locked.event_reassessment_trigger = ""
    locked.save()
    audit.record(
        actor,
        "investigation.reassess",
        reassessment,
        person=suspect,
        changes={
            "investigation": str(locked.uuid),
            "trigger": trigger,
            "band": [previous or None, assessment.final_band],
            "assessment": str(assessment.uuid),
        },
    )
    raised = RISK_ORDER.get(assessment.final_band, 9) < RISK_ORDER.get(previous, 9)
    if assessment.final_band in HIGH_BANDS and (raised or not previous):
        escalation_raise(
            actor=actor,
            trigger=EscalationTrigger.BAND_RAISED,
            investigation=locked,
            detail=_("Band %(before)s → %(after)s")
            % {
                "before": RiskLevel(previous).label if previous else "—",
                "after": RiskLevel(assessment.final_band).label,
            },
        )
    _mark_referral_actioned(actor, locked, now)
    _refresh(investigation, locked)
    return reassessment
