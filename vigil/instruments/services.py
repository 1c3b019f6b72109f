"""Every write to assessments: recording one and signing it off."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES
from vigil.core import clock
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.instruments import engine, selectors
from vigil.instruments.models import Assessment


def person_in_scope(user, person, roles) -> bool:
    """Whether `user` reaches `person`'s owning team through a membership with one of
    `roles` (the same rule as `access.teams_q`, checked in memory)."""
    team_ids, force_ids = access.team_scope(user, roles)
    return person.team_id in team_ids or person.team.force_id in force_ids


@transaction.atomic
def assessment_record(
    *,
    actor,
    code: str,
    version: int | None = None,
    subject,
    person,
    answers: Mapping[str, str],
    override_band: str | None = None,
    override_rationale: str = "",
    formulation: str = "",
    judgement_level: str | None = None,
) -> Assessment:
    """Record a completed assessment of `subject` (a domain record with a UUID).

    Steps: check the actor does casework and reaches the person; find the instrument
    (the latest version unless one is named); score the answers and decide the final band
    (an override needs a rationale; a structured instrument needs the assessor's level and
    formulation); store it; audit it against the person.
    """
    if not access.is_casework_user(actor):
        raise PermissionDenied(_("Only casework roles can record an assessment."))
    if person is not None and not person_in_scope(actor, person, CASEWORK_ROLES):
        raise NotFound(_("Not found."))
    definition = engine.registry().find(code, version)
    if definition is None:
        raise ValidationFailed(
            _("There is no assessment instrument with that code and version."), field="code"
        )
    result, decision = engine.assess(
        definition,
        answers,
        override_band=override_band,
        override_rationale=override_rationale,
        judgement_level=judgement_level,
        formulation=formulation,
    )
    assessment = Assessment.objects.create(
        instrument_code=definition.code,
        instrument_version=definition.version,
        subject_type=subject._meta.label_lower,
        subject_id=subject.uuid,
        person=person,
        assessor=actor,
        answers=result.answers,
        summary={"subtotals": result.subtotals, "counts": result.counts},
        score=result.score,
        computed_band=decision.computed_band or "",
        override_band=decision.override_band,
        override_rationale=decision.override_rationale,
        final_band=decision.final_band,
        formulation=decision.formulation,
        completed_at=clock.now(),
        signoff_required=definition.supervisor_signoff,
    )
    audit.record(
        actor,
        "assessment.record",
        assessment,
        changes={
            "instrument": f"{definition.code}-{definition.version}",
            "subject": f"{assessment.subject_type}:{assessment.subject_id}",
            "score": result.score,
            "computed_band": decision.computed_band,
            "override_band": decision.override_band,
            "final_band": decision.final_band,
        },
        reason=decision.override_rationale,
        person=person,
    )
    return assessment


@transaction.atomic
def assessment_sign_off(*, actor, assessment: Assessment) -> Assessment:
    """A supervisor or manager, other than the assessor, signs off an assessment.

    Steps: check the role, that the signer supervises the assessment's person or the
    record it belongs to (`selectors.supervises`) and is not the assessor; lock the row;
    refuse if sign-off is not needed or already given; record who and when; audit it.
    """
    if not access.is_supervisor(actor):
        raise PermissionDenied(_("Only a supervisor or manager can sign off an assessment."))
    if not selectors.supervises(actor, assessment):
        raise NotFound(_("Not found."))
    if assessment.assessor_id == actor.pk:
        raise PermissionDenied(
            _("You made this assessment, so another supervisor or manager must sign it off.")
        )
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.signoff_required:
        raise Conflict(_("This assessment does not need a supervisor's sign-off."))
    if locked.signed_off_at is not None:
        raise Conflict(_("This assessment has already been signed off."))
    locked.signed_off_by = actor
    locked.signed_off_at = clock.now()
    locked.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    audit.record(
        actor,
        "assessment.sign_off",
        locked,
        changes={"final_band": locked.final_band},
        person=locked.person,
    )
    assessment.signed_off_by = locked.signed_off_by
    assessment.signed_off_at = locked.signed_off_at
    return assessment
