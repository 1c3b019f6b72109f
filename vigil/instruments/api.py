"""Instruments on the API: the definitions, a dry-run of scoring, and recorded assessments."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Router, Schema

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES
from vigil.core.api import require_role
from vigil.core.exceptions import PermissionDenied
from vigil.instruments import engine, selectors, services

router = Router(tags=["instruments"])


class TextOut(Schema):
    en: str
    cy: str


class InstrumentSummaryOut(Schema):
    code: str
    version: int
    kind: str
    title: TextOut
    description: TextOut
    template_notice: TextOut | None
    supervisor_signoff: bool
    latest: bool


class OptionOut(Schema):
    id: str
    label: TextOut
    points: int | None


class QuestionOut(Schema):
    id: str
    text: TextOut
    help: TextOut | None
    required: bool
    options: list[OptionOut]


class SectionOut(Schema):
    id: str
    title: TextOut
    questions: list[QuestionOut]


class BandOut(Schema):
    id: str
    label: TextOut
    min: int | None
    max: int | None


class FormulationOut(Schema):
    required: bool
    label: TextOut
    help: TextOut | None


class InstrumentOut(InstrumentSummaryOut):
    override_allowed: bool
    score_min: int | None
    score_max: int | None
    sections: list[SectionOut]
    bands: list[BandOut]
    formulation: FormulationOut | None


class ScoreIn(Schema):
    version: int | None = None
    answers: dict[str, str]


class ScoreOut(Schema):
    code: str
    version: int
    score: int | None
    band: str | None
    subtotals: dict[str, int]
    counts: dict[str, dict[str, int]]


class AssessmentOut(Schema):
    id: UUID
    instrument_code: str
    instrument_version: int
    subject_type: str
    subject_id: UUID
    person_id: UUID | None
    assessor: str
    answers: dict[str, str]
    summary: dict
    score: int | None
    computed_band: str
    override_band: str
    override_rationale: str
    final_band: str
    formulation: str
    completed_at: dt.datetime
    signoff_required: bool
    signed_off_by: str | None
    signed_off_at: dt.datetime | None


def _instrument_out(definition: engine.Definition) -> dict:
    return {**definition.as_dict(), "latest": engine.registry().is_latest(definition)}


def _assessment_out(a) -> dict:
    return {
        "id": a.uuid,
        "instrument_code": a.instrument_code,
        "instrument_version": a.instrument_version,
        "subject_type": a.subject_type,
        "subject_id": a.subject_id,
        "person_id": a.person.uuid if a.person else None,
        "assessor": a.assessor.full_name,
        "answers": a.answers,
        "summary": a.summary,
        "score": a.score,
        "computed_band": a.computed_band,
        "override_band": a.override_band,
        "override_rationale": a.override_rationale,
        "final_band": a.final_band,
        "formulation": a.formulation,
        "completed_at": a.completed_at,
        "signoff_required": a.signoff_required,
        "signed_off_by": a.signed_off_by.full_name if a.signed_off_by else None,
        "signed_off_at": a.signed_off_at,
    }


def _require_casework(request) -> None:
    if not access.is_casework_user(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


# The assessments routes come first so that "assessments" is never read as an instrument code.
@router.get("/assessments/{uuid}", response=AssessmentOut)
def get_assessment(request, uuid: UUID):
    """A recorded assessment (casework roles, within their teams)."""
    _require_casework(request)
    assessment = selectors.get_assessment_for_user(request.user, uuid)
    audit.record(request.user, "assessment.view", assessment, person=assessment.person)
    return _assessment_out(assessment)


@router.post("/assessments/{uuid}/sign-off", response=AssessmentOut)
def sign_off_assessment(request, uuid: UUID):
    """A supervisor or manager, other than the assessor, signs an assessment off."""
    _require_casework(request)
    assessment = selectors.get_assessment_for_user(request.user, uuid)
    services.assessment_sign_off(actor=request.user, assessment=assessment)
    return _assessment_out(assessment)


@router.get("", response=list[InstrumentSummaryOut])
def list_instruments(request):
    """Every installed instrument version (casework roles and administrators)."""
    require_role(request, *CASEWORK_ROLES)
    return [_instrument_out(d) for d in engine.registry().all()]


@router.get("/{code}/{int:version}", response=InstrumentOut)
def get_instrument(request, code: str, version: int):
    """One instrument version in full, in English and Welsh."""
    require_role(request, *CASEWORK_ROLES)
    return _instrument_out(engine.registry().get(code, version))


@router.post("/{code}/score", response=ScoreOut)
def score_instrument(request, code: str, payload: ScoreIn):
    """Dry-run: score answers and give the band and subtotals. Nothing is stored."""
    _require_casework(request)
    definition = engine.registry().get(code, payload.version)
    result = engine.score(definition, payload.answers)
    return {
        "code": definition.code,
        "version": definition.version,
        "score": result.score,
        "band": result.band,
        "subtotals": result.subtotals,
        "counts": result.counts,
    }
