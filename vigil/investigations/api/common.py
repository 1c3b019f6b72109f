"""What the investigations API's sub-domains share: the router they declare
their operations on, the role checks, loading an investigation through its scoped selector,
and the investigation's own schemas (the detail shows its transitions, reassessments,
decisions, oversight reviews, escalations and decision points).
"""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Router, Schema

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.core.exceptions import PermissionDenied
from vigil.investigations import selectors
from vigil.investigations.models import Investigation


class Room(Router):
    """The app's router. Each sub-domain's module declares its operations on it, and
    `__init__` imports those modules in the order their paths must be matched. An
    operation keeps the OpenAPI id it had when the API was one module
    (`vigil_investigations_api_<function>`), so clients generated from the schema keep working."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        operation_id = operation_id or f"vigil_investigations_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, operation_id=operation_id, **kwargs)


router = Room(tags=["investigations"])


def _require_casework(request) -> None:
    if not access.is_casework_user(request.user):
        raise PermissionDenied(_("Your role does not allow this."))


def _require_casework_or_admin(request) -> None:
    if not (access.is_casework_user(request.user) or access.is_admin(request.user)):
        raise PermissionDenied(_("Your role does not allow this."))


def _require_supervisor(request) -> None:
    if not access.has_role(request.user, *SUPERVISORY_ROLES):
        raise PermissionDenied(_("Your role does not allow this."))


def _investigation(request, investigation_id: uuid.UUID, action: str = "view") -> Investigation:
    _require_casework(request)
    return selectors.get_investigation_for_user(request.user, investigation_id, action)


class Ref(Schema):
    id: uuid.UUID
    name: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_name(obj):
        return getattr(obj, "full_name", None) or getattr(obj, "name", "") or str(obj)


class InvestigationOut(Schema):
    id: uuid.UUID
    referral: uuid.UUID | None
    suspect: Ref
    owning_team: Ref
    allocated_team: Ref
    allocated_officer: Ref | None
    external: bool
    state: str
    risk_band: str
    last_assessed_at: dt.datetime | None
    reassessment_due_at: dt.datetime | None
    event_reassessment_due_at: dt.datetime | None
    oversight_due_at: dt.datetime | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_referral(obj):
        return obj.referral.uuid if obj.referral_id else None

    @staticmethod
    def resolve_external(obj):
        return obj.is_external


class TransitionOut(Schema):
    from_state: str
    to_state: str
    actor: Ref
    at: dt.datetime
    note: str


class ReassessmentOut(Schema):
    id: uuid.UUID
    assessment: uuid.UUID
    trigger: str
    previous_band: str
    band: str
    band_changed: bool
    assessed_at: dt.datetime
    assessed_by: Ref

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_assessment(obj):
        return obj.assessment.uuid


class DecisionOut(Schema):
    id: uuid.UUID
    kind: str
    from_state: str
    rationale: str
    decided_by: Ref
    decided_at: dt.datetime
    exceptional_rationale: str
    authorised_by: Ref | None
    authorised_at: dt.datetime | None
    reassessed_in_window: bool
    reassessment_window_days: int | None
    override_by: Ref | None
    override_rationale: str
    welfare_assessment: str
    welfare_measures: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class ReviewOut(Schema):
    id: uuid.UUID
    outcome: str
    note: str
    reviewed_by: Ref
    reviewed_at: dt.datetime
    due_at: dt.datetime | None
    allocated_team: Ref

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class EscalationOut(Schema):
    id: uuid.UUID
    team: Ref
    investigation: uuid.UUID | None
    referral: uuid.UUID | None
    trigger: str
    level: int
    detail: str
    raised_at: dt.datetime
    acknowledge_by: dt.datetime
    resolve_by: dt.datetime
    acknowledged_by: Ref | None
    acknowledged_at: dt.datetime | None
    resolved_by: Ref | None
    resolved_at: dt.datetime | None
    outcome: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_investigation(obj):
        return obj.investigation.uuid if obj.investigation_id else None

    @staticmethod
    def resolve_referral(obj):
        return obj.referral.uuid if obj.referral_id else None


class DecisionPointOut(Schema):
    kind: str
    reached_at: dt.datetime
    due_at: dt.datetime
    decided_at: dt.datetime | None
    withdrawn_at: dt.datetime | None


class InvestigationDetailOut(InvestigationOut):
    transitions: list[TransitionOut]
    reassessments: list[ReassessmentOut]
    decisions: list[DecisionOut]
    oversight_reviews: list[ReviewOut]
    escalations: list[EscalationOut]
    decision_points: list[DecisionPointOut]
    allowed_moves: list[str]
    allowed_decisions: list[str]

    # The history is loaded once by `_detail` (selectors.investigation_history).
    @staticmethod
    def resolve_transitions(obj):
        return obj.history["transitions"]

    @staticmethod
    def resolve_reassessments(obj):
        return obj.history["reassessments"]

    @staticmethod
    def resolve_decisions(obj):
        return obj.history["decisions"]

    @staticmethod
    def resolve_oversight_reviews(obj):
        return obj.history["reviews"]

    @staticmethod
    def resolve_escalations(obj):
        return obj.history["escalations"]

    @staticmethod
    def resolve_decision_points(obj):
        return obj.history["decision_points"]

    @staticmethod
    def resolve_allowed_moves(obj):
        return [m.to for m in obj.history["manual_moves"]]

    @staticmethod
    def resolve_allowed_decisions(obj):
        return obj.history["decisions_allowed"]


def _detail(investigation: Investigation) -> Investigation:
    investigation.history = selectors.investigation_history(investigation)
    return investigation
