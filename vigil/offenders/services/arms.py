"""ARMS assessments: calling for a fresh one and recording it with the ARMS instrument."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties.choices import RiskLevel
from vigil.duties.models import Duty
from vigil.instruments import services as instruments
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import (
    ArmsTrigger,
    NominalStatus,
    ReactiveTrigger,
    ReviewSubject,
    StaticTool,
)
from vigil.offenders.models import Arms, Nominal
from vigil.offenders.notification_period import add_months
from vigil.offenders.services.common import (
    _arms_trigger,
    _close,
    _fail,
    _open,
    _open_review,
    _reactive_trigger,
    require_casework,
)

ARMS_INSTRUMENT = "arms"


@transaction.atomic
def arms_trigger(*, actor, nominal: Nominal, trigger: str, note: str = "") -> Duty | None:
    """Something that calls for a fresh ARMS (change of circumstances, and so on): the ARMS
    falls due within the trigger period unless it already falls due sooner."""
    require_casework(actor, nominal)
    if trigger not in ArmsTrigger.values or trigger in (ArmsTrigger.SCHEDULED, ArmsTrigger.INITIAL):
        raise ValidationFailed(_("Choose what calls for a fresh assessment"), field="trigger")
    audit.record(
        actor,
        "nominal.arms_trigger",
        nominal,
        changes={"trigger": trigger},
        reason=note,
        person=nominal.person,
    )
    if trigger == ArmsTrigger.CIRCUMSTANCES:
        _reactive_trigger(actor, nominal, ReactiveTrigger.CIRCUMSTANCES)
    return _arms_trigger(actor, nominal, trigger)


@transaction.atomic
def arms_record(
    *,
    actor,
    nominal: Nominal,
    answers: dict,
    formulation: str,
    judgement_level: str,
    static_tool: str,
    static_band: str,
    static_tool_version: str,
    trigger: str = ArmsTrigger.SCHEDULED,
) -> Arms:
    """Record a completed ARMS assessment.

    Steps: access; the static tool result is the assessor's (tool, band, version, all
    required); the instrument service scores and stores the answers against this ARMS;
    close the ARMS duty and open the next one the policy interval later; open the
    supervisor review (due one month later). The nominal's risk level changes only when
    a supervisor approves it.
    """
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    if static_tool not in StaticTool.values:
        errors.append(("static_tool", _("Choose the static tool used")))
    if static_band not in RiskLevel.values:
        errors.append(("static_band", _("Choose the band the static tool gave")))
    if not (static_tool_version or "").strip():
        errors.append(("static_tool_version", _("Enter the version of the static tool")))
    if trigger not in ArmsTrigger.values:
        errors.append(("trigger", _("Choose the reason for the assessment")))
    _fail(errors)
    arms = Arms.objects.create(
        nominal=nominal,
        trigger=trigger,
        risk_level=RiskLevel.LOW,
        static_tool=static_tool,
        static_band=static_band,
        static_tool_version=static_tool_version.strip(),
        assessor=actor,
        completed_at=clock.now(),
    )
    assessment = instruments.assessment_record(
        actor=actor,
        code=ARMS_INSTRUMENT,
        subject=arms,
        person=nominal.person,
        answers=answers,
        formulation=formulation,
        judgement_level=judgement_level,
    )
    arms.assessment = assessment
    arms.risk_level = assessment.final_band
    arms.save(update_fields=["assessment", "risk_level", "updated_at"])
    audit.record(
        actor,
        "nominal.arms_record",
        arms,
        changes={
            "risk_level": arms.risk_level,
            "static": [static_tool, static_band, static_tool_version],
        },
        person=nominal.person,
    )
    _close(actor, kinds.ARMS, nominal)
    if nominal.status == NominalStatus.ACTIVE:
        months = policy_value("offenders.arms_interval_months")
        _open(
            actor,
            kinds.ARMS,
            nominal,
            nominal,
            end_of_day(add_months(timezone.localdate(arms.completed_at), months)),
            note=ArmsTrigger.SCHEDULED,
        )
    _open_review(actor, nominal, ReviewSubject.ARMS, arms)
    if arms.risk_level != RiskLevel.LOW:
        _reactive_trigger(actor, nominal, ReactiveTrigger.ARMS)
    return arms
