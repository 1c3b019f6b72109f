"""The assurance API: the machine-readable document (GET /api/v1/assurance?as_of=), and
the register's updates (the same services and rules as the pages).

Reading the document: the assurance office, supervisors and managers (aggregates only),
of their own force (the system administrator: every force, or any one).
Changing the register: the assurance office."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from vigil.accounts.choices import Role
from vigil.assurance import selectors, services
from vigil.core.api import require_role
from vigil.core.exceptions import NotFound

router = Router(tags=["assurance"])

READERS = (Role.ASSURANCE, Role.SUPERVISOR, Role.MANAGER)


class MetricOut(Schema):
    key: str
    label: str
    numerator: int | None
    denominator: int | None
    value: float | None
    status: str
    measurable: bool


class PointOut(Schema):
    id: str
    recommendation: int
    deadline: dt.date
    status: str
    metrics: list[MetricOut]


class DocumentOut(Schema):
    as_of: dt.date
    force: str | None
    period: dict
    points: list[PointOut]


@router.get("", response=DocumentOut, url_name="assurance-document")
def assurance_document(request, as_of: dt.date | None = None, force: str = ""):
    """Every point's evidence as of `as_of` (default today) for the user's force, or the
    force whose code is `force` (one of theirs; 404 otherwise). The system administrator
    gets every force together unless `force` is given. See docs/formats/assurance.md; the
    same document as `vigil assurance --json [--force CODE]`."""
    require_role(request, *READERS)
    scope = selectors.scope_for(request.user, force)
    return selectors.document(as_of, force=scope.force)


class PointUpdateIn(Schema):
    status: str
    owner_en: str
    owner_cy: str = ""


class RegisterPointOut(Schema):
    id: str
    recommendation: int
    deadline: dt.date
    text_en: str
    text_cy: str
    owner_en: str
    owner_cy: str
    progress: str


def _point_out(point) -> dict:
    return {
        "id": point.letter,
        "recommendation": point.recommendation.number,
        "deadline": point.deadline,
        "text_en": point.text_en,
        "text_cy": point.text_cy,
        "owner_en": point.owner_en,
        "owner_cy": point.owner_cy,
        "progress": point.status,
    }


def _point(letter):
    try:
        return selectors.get_point(letter)
    except NotFound:
        raise NotFound(_("There is no point with that letter.")) from None


@router.get("/points", response=list[RegisterPointOut])
def list_points(request):
    """The recommendation register: every point's text, deadline, owner and progress."""
    require_role(request, *READERS)
    return [_point_out(p) for r in selectors.recommendations() for p in r.points.all()]


@router.patch("/points/{letter}", response=RegisterPointOut)
def update_point(request, letter: str, payload: PointUpdateIn):
    """Change a point's progress status and owner (assurance office)."""
    require_role(request, Role.ASSURANCE)
    point = services.point_update(actor=request.user, point=_point(letter), **payload.dict())
    return _point_out(point)


class NarrativeIn(Schema):
    text: str
    written_on: dt.date | None = None


class NarrativeOut(Schema):
    id: str
    point: str
    written_on: dt.date
    text: str
    author: str


@router.post("/points/{letter}/updates", response={201: NarrativeOut})
def add_update(request, letter: str, payload: NarrativeIn):
    """Add a dated narrative update to a point (assurance office)."""
    require_role(request, Role.ASSURANCE)
    point = _point(letter)
    update = services.narrative_add(
        actor=request.user, point=point, text=payload.text, written_on=payload.written_on
    )
    return Status(
        201,
        {
            "id": str(update.uuid),
            "point": point.letter,
            "written_on": update.written_on,
            "text": update.text,
            "author": request.user.full_name,
        },
    )
