"""Referrals through the API: the same selectors, services and access rules as the pages.

Missing or out of scope is 404; a possible match on receipt is 409 with the matches the
caller may see unless `confirm_not_duplicate` is true or `link_to` names a referral; an
import with bad rows is 422 listing every bad line.
"""

import base64
import binascii
import datetime as dt
import uuid

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access
from vigil.accounts.models import Team, User
from vigil.core.api import error_body
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.people.api import ErrorOut  # the one error shape, as the people API's 409
from vigil.referrals import selectors, services
from vigil.referrals.models import Referral

router = Router(tags=["referrals"])


def _require_casework(request) -> None:
    if not access.is_casework_user(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


def _referral(request, referral_id: uuid.UUID) -> Referral:
    _require_casework(request)
    return selectors.get_referral_for_user(request.user, referral_id)


# --- schemas ---------------------------------------------------------------------------------


class ReferralRef(Schema):
    """A person, user or team named in a referral: its id and name."""

    id: uuid.UUID
    name: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_name(obj):
        return getattr(obj, "full_name", None) or getattr(obj, "name", "") or str(obj)


class IdentifierIO(Schema):
    kind: str
    value: str
    platform: str = ""


class ChildIO(Schema):
    status: str
    description: str
    approximate_age: int | None = None


class MaterialIO(Schema):
    description: str
    item_count: int = 1
    category: str = ""
    held_at: str = ""


class ReferralSummaryOut(Schema):
    id: uuid.UUID
    source: str
    source_reference: str
    received_at: dt.datetime
    status: str
    priority: str
    risk_band: str
    target_at: dt.datetime | None
    suspect: ReferralRef | None
    suspect_is_rso: bool
    team: ReferralRef
    allocated_team: ReferralRef | None
    actioned_at: dt.datetime | None
    investigation: uuid.UUID | None = Field(
        None, description="The investigation opened from this referral, once allocated."
    )

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_investigation(obj):
        # The reverse side of Investigation.referral (a higher layer: named, not imported);
        # the queue reads it in the same query, joined (`investigation_uuid`).
        if hasattr(obj, "investigation_uuid"):
            return obj.investigation_uuid
        try:
            return obj.investigation.uuid
        except ObjectDoesNotExist:
            return None


class ReferralOut(ReferralSummaryOut):
    summary: str
    suspect_age: str
    linked_to: uuid.UUID | None
    assessment: uuid.UUID | None
    child_in_household: bool
    position_of_trust: bool
    live_or_contact_abuse: bool
    derived_priority: str
    priority_override_rationale: str
    grading_needs_sign_off: bool
    graded_by: ReferralRef | None
    graded_at: dt.datetime | None
    grading_signed_off_by: ReferralRef | None
    grading_signed_off_at: dt.datetime | None
    allocated_officer: ReferralRef | None
    allocated_at: dt.datetime | None
    closed_at: dt.datetime | None
    closure_reason: str
    identifiers: list[IdentifierIO]
    children: list[ChildIO]
    material: list[MaterialIO]

    @staticmethod
    def resolve_linked_to(obj):
        return obj.linked_to.uuid if obj.linked_to_id else None

    @staticmethod
    def resolve_assessment(obj):
        return obj.assessment.uuid if obj.assessment_id else None

    @staticmethod
    def resolve_identifiers(obj):
        return list(obj.identifiers.all())

    @staticmethod
    def resolve_children(obj):
        return list(obj.children.all())

    @staticmethod
    def resolve_material(obj):
        return list(obj.material.all())


class NewSuspectIn(Schema):
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    gender: str = "unknown"
    pnc_id: str = ""


class ReceiveIn(Schema):
    team: uuid.UUID | None = None
    source: str
    source_reference: str = ""
    received_at: dt.datetime | None = None
    summary: str
    suspect_age: str = "unknown"
    suspect: uuid.UUID | None = None
    new_suspect: NewSuspectIn | None = None
    identifiers: list[IdentifierIO] = []
    children: list[ChildIO] = []
    material: list[MaterialIO] = []
    link_to: uuid.UUID | None = None
    confirm_not_duplicate: bool = False


class AssessIn(Schema):
    answers: dict[str, str]
    override_band: str | None = None
    override_rationale: str = ""


class GradeIn(Schema):
    child_in_household: bool = False
    position_of_trust: bool = False
    live_or_contact_abuse: bool = False
    override_priority: str = ""
    override_rationale: str = ""


class AllocateIn(Schema):
    team: uuid.UUID
    officer: uuid.UUID | None = None


class LinkIn(Schema):
    to: uuid.UUID
    reason: str = ""


class SuspectIn(Schema):
    person: uuid.UUID


class CloseIn(Schema):
    reason: str


class ImportIn(Schema):
    team: uuid.UUID | None = None
    filename: str
    content_base64: str


class ImportOut(Schema):
    id: uuid.UUID
    rows: int
    created: int
    skipped: int
    already_imported: bool


class QueueFilters(Schema):
    status: str = selectors.QUEUE_OPEN
    priority: str = ""
    source: str = ""
    sort: str = Field(
        "", description="received, status, priority or target; '-' first for descending"
    )


class MatchedReferralOut(Schema):
    id: uuid.UUID
    source_reference: str
    received_at: dt.datetime
    status: str
    investigation: uuid.UUID | None
    reasons: list[str]


class MatchedPersonOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    team: str
    reasons: list[str]


class MatchesOut(Schema):
    error: ErrorOut
    referrals: list[MatchedReferralOut]
    people: list[MatchedPersonOut]
    hidden_count: int


def _matches_body(exc: services.PossibleMatches) -> dict:
    body = error_body(exc.code, str(exc.message))
    m = exc.matches
    body["referrals"] = [
        {
            "id": r.referral.uuid,
            "source_reference": r.referral.source_reference,
            "received_at": r.referral.received_at,
            "status": r.referral.status,
            "investigation": r.investigation.uuid if r.investigation else None,
            "reasons": r.reasons,
        }
        for r in m.referrals
    ]
    body["people"] = [
        {
            "id": p.person.uuid,
            "given_name": p.person.given_name,
            "family_name": p.person.family_name,
            "date_of_birth": p.person.date_of_birth,
            "team": p.person.team.name,
            "reasons": p.reasons,
        }
        for p in m.people
    ]
    body["hidden_count"] = m.hidden_count
    return body


def _team(teams, team_id):
    team = teams.filter(uuid=team_id).first() if team_id else None
    if team is None and not team_id:
        team = teams.first() if teams.count() == 1 else None
    if team is None:
        raise ValidationFailed(_("Give a POLIT team you work in as the team"), field="team")
    return team


def _detail(referral):
    return selectors.referral_record(referral)


class RsoNoticeOut(Schema):
    """What the offender's managing team is told of a referral about their offender (the
    notice page): the details of the referral stay with the investigating team."""

    id: uuid.UUID = Field(description="The referral's id.")
    offender: ReferralRef
    register_reference: str
    received_at: dt.datetime
    investigating_team: ReferralRef
    source: str
    acknowledged_at: dt.datetime | None
    acknowledged_by: ReferralRef | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_offender(obj):
        return obj.suspect

    @staticmethod
    def resolve_register_reference(obj):
        return obj.suspect.register_reference

    @staticmethod
    def resolve_investigating_team(obj):
        return obj.team

    @staticmethod
    def resolve_acknowledged_at(obj):
        return obj.rso_notice_acknowledged_at

    @staticmethod
    def resolve_acknowledged_by(obj):
        return obj.rso_notice_acknowledged_by


# --- operations ------------------------------------------------------------------------------


@router.get("", response=list[ReferralSummaryOut])
@paginate(PageNumberPagination, page_size=50)
def list_referrals(request, filters: Query[QueueFilters]):
    """The referral queue: awaiting assessment first, then by priority and time to target."""
    _require_casework(request)
    return selectors.referral_queue(user=request.user, **filters.dict()).annotate(
        investigation_uuid=F("investigation__uuid")
    )


@router.post("", response={201: ReferralOut, 409: MatchesOut})
def receive_referral(request, payload: ReceiveIn):
    """Record a referral. 409 with the possible matches unless `confirm_not_duplicate` is
    true or `link_to` names the earlier referral it duplicates."""
    _require_casework(request)
    team = _team(selectors.receiving_teams(request.user), payload.team)
    suspect = None
    if payload.suspect:
        suspect = (
            selectors.suspect_candidates(request.user, team.force)
            .filter(uuid=payload.suspect)
            .first()
        )
        if suspect is None:
            raise ValidationFailed(
                _("Choose a suspect from the people your force holds"), field="suspect"
            )
    link_to = (
        selectors.get_referral_for_user(request.user, payload.link_to) if payload.link_to else None
    )
    try:
        referral = services.referral_receive(
            actor=request.user,
            team=team,
            source=payload.source,
            source_reference=payload.source_reference,
            received_at=payload.received_at,
            summary=payload.summary,
            suspect_age=payload.suspect_age,
            suspect=suspect,
            new_suspect=payload.new_suspect.dict() if payload.new_suspect else None,
            identifiers=[(i.kind, i.value, i.platform) for i in payload.identifiers],
            children=[c.dict() for c in payload.children],
            material=[m.dict() for m in payload.material],
            link_to=link_to,
            confirm_not_duplicate=payload.confirm_not_duplicate,
        )
    except services.PossibleMatches as exc:
        return Status(409, _matches_body(exc))
    return Status(201, _detail(referral))


@router.post("/import", response=ImportOut)
def import_referrals(request, payload: ImportIn):
    """Import a bulk file (CSV or JSON, base64-encoded). 422 with every bad line, nothing
    written; the same file again creates nothing (`already_imported`)."""
    _require_casework(request)
    teams = selectors.import_teams(request.user)
    if not teams.exists():
        raise PermissionDenied(_("Only a supervisor or manager of a POLIT team can import."))
    team = _team(teams, payload.team)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            _("content_base64 must be the file encoded in base64"), field="content_base64"
        ) from None
    result = services.referrals_import(
        actor=request.user, team=team, filename=payload.filename, content=content
    )
    return {
        "id": result.batch.uuid,
        "rows": result.rows,
        "created": result.created,
        "skipped": result.skipped,
        "already_imported": result.already_imported,
    }


@router.get("/{referral_id}", response=ReferralOut)
def get_referral(request, referral_id: uuid.UUID):
    """One referral (the read is audited)."""
    _require_casework(request)
    return _detail(selectors.get_referral_for_user(request.user, referral_id, audit_view=True))


@router.get("/{referral_id}/rso-notice", response=RsoNoticeOut)
def get_rso_notice(request, referral_id: uuid.UUID):
    """The notice to the offender's managing team that a registered sex offender they
    manage is the suspect in a referral (the read is audited). Another team's offender,
    or a referral that is not about one, is 404."""
    _require_casework(request)
    return selectors.get_rso_notice_for_user(request.user, referral_id, audit_view=True)


@router.post("/{referral_id}/rso-notice/acknowledgement", response=RsoNoticeOut)
def acknowledge_rso_notice(request, referral_id: uuid.UUID):
    """Acknowledge the notice (closes the managing team's duty); once only (409)."""
    _require_casework(request)
    referral = selectors.get_rso_notice_for_user(request.user, referral_id)
    services.referral_rso_acknowledge(actor=request.user, referral=referral)
    return selectors.get_rso_notice_for_user(request.user, referral_id)


@router.post("/{referral_id}/assessment", response=ReferralOut)
def assess_referral(request, referral_id: uuid.UUID, payload: AssessIn):
    """Risk-assess with the referral instrument (answers by question id)."""
    referral = _referral(request, referral_id)
    services.referral_assess(actor=request.user, referral=referral, **payload.dict())
    return _detail(referral)


@router.post("/{referral_id}/grading", response=ReferralOut)
def grade_referral(request, referral_id: uuid.UUID, payload: GradeIn):
    """Set the priority from the band and the aggravating factors (override optional)."""
    referral = _referral(request, referral_id)
    services.referral_grade(actor=request.user, referral=referral, **payload.dict())
    return _detail(referral)


@router.post("/{referral_id}/sign-off", response=ReferralOut)
def sign_off_referral(request, referral_id: uuid.UUID):
    """A supervisor or manager, not the grader, signs off the grading."""
    referral = _referral(request, referral_id)
    services.referral_sign_off(actor=request.user, referral=referral)
    return _detail(referral)


@router.post("/{referral_id}/allocation", response=ReferralOut)
def allocate_referral(request, referral_id: uuid.UUID, payload: AllocateIn):
    """Allocate to any team of the force and optionally an officer; opens the investigation."""
    referral = _referral(request, referral_id)
    team = Team.objects.filter(uuid=payload.team, force_id=referral.force_id).first()
    if team is None:
        raise ValidationFailed(_("Choose a team of your force"), field="team")
    officer = None
    if payload.officer:
        officer = User.objects.filter(uuid=payload.officer, is_active=True).first()
        if officer is None:
            raise ValidationFailed(
                _("Choose an officer who works in the team you chose"), field="officer"
            )
    services.referral_allocate(actor=request.user, referral=referral, team=team, officer=officer)
    return _detail(referral)


@router.post("/{referral_id}/link", response=ReferralOut)
def link_referral(request, referral_id: uuid.UUID, payload: LinkIn):
    """Link the referral to an earlier one it duplicates."""
    referral = _referral(request, referral_id)
    try:
        target = selectors.get_referral_for_user(request.user, payload.to)
    except NotFound:
        raise ValidationFailed(_("Choose a referral you can see to link to"), field="to") from None
    services.referral_link(actor=request.user, referral=referral, to=target, reason=payload.reason)
    return _detail(referral)


@router.post("/{referral_id}/suspect", response=ReferralOut)
def set_referral_suspect(request, referral_id: uuid.UUID, payload: SuspectIn):
    """Name a known person as the suspect (before allocation)."""
    referral = _referral(request, referral_id)
    person = (
        selectors.suspect_candidates(request.user, referral.force)
        .filter(uuid=payload.person)
        .first()
    )
    if person is None:
        raise ValidationFailed(
            _("Choose a suspect from the people your force holds"), field="person"
        )
    services.referral_suspect_set(actor=request.user, referral=referral, person=person)
    return _detail(referral)


@router.post("/{referral_id}/closure", response=ReferralOut)
def close_referral(request, referral_id: uuid.UUID, payload: CloseIn):
    """Close the referral before allocation, with a reason."""
    referral = _referral(request, referral_id)
    services.referral_close(actor=request.user, referral=referral, reason=payload.reason)
    return _detail(referral)
