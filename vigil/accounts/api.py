"""User and team administration through the API (administrators only)."""

import uuid

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import selectors, services
from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.accounts.models import Force, Membership, Team
from vigil.core.api import require_role
from vigil.core.exceptions import NotFound

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    id: uuid.UUID
    team: uuid.UUID
    team_name: str
    role: Role
    scope: Scope


class UserOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    rank: Rank
    collar_number: str
    is_active: bool
    second_factor_enrolled: bool
    memberships: list[MembershipOut]


class UserIn(Schema):
    email: str
    full_name: str
    rank: Rank
    collar_number: str = ""
    password: str
    team: uuid.UUID
    role: Role
    scope: Scope = Scope.TEAM


class MembershipIn(Schema):
    team: uuid.UUID
    role: Role
    scope: Scope = Scope.TEAM


class ActiveIn(Schema):
    active: bool
    reason: str


class TeamOut(Schema):
    id: uuid.UUID
    force: str
    name: str
    name_cy: str
    kind: TeamKind


class TeamIn(Schema):
    force: str
    name: str
    name_cy: str = ""
    kind: TeamKind


def _user_out(user) -> dict:
    return {
        "id": user.uuid,
        "email": user.email,
        "full_name": user.full_name,
        "rank": user.rank,
        "collar_number": user.collar_number,
        "is_active": user.is_active,
        "second_factor_enrolled": bool(getattr(user, "enrolled", False)),
        "memberships": [
            {
                "id": m.uuid,
                "team": m.team.uuid,
                "team_name": m.team.name,
                "role": m.role,
                "scope": m.scope,
            }
            for m in user.memberships.all()
        ],
    }


def _team(team_uuid) -> Team:
    team = Team.objects.filter(uuid=team_uuid).first()
    if team is None:
        raise NotFound(_("There is no team with that id."))
    return team


def _user(user_uuid):
    user = selectors.get_user_by_uuid(user_uuid)
    if user is None:
        raise NotFound(_("There is no user with that id."))
    return user


@router.get("/users", response=list[UserOut])
@paginate(PageNumberPagination, page_size=100)
def list_users(request, q: str = ""):
    require_role(request, Role.ADMIN)
    return [_user_out(u) for u in selectors.user_list(search=q)]


@router.post("/users", response={201: UserOut})
def create_user(request, payload: UserIn):
    require_role(request, Role.ADMIN)
    user = services.user_create_by_admin(
        actor=request.user,
        email=payload.email,
        full_name=payload.full_name,
        password=payload.password,
        rank=payload.rank,
        team=_team(payload.team),
        role=payload.role,
        scope=payload.scope,
        collar_number=payload.collar_number,
    )
    return Status(201, _user_out(_user(user.uuid)))


@router.get("/users/{user_id}", response=UserOut)
def get_user(request, user_id: uuid.UUID):
    require_role(request, Role.ADMIN)
    return _user_out(_user(user_id))


@router.post("/users/{user_id}/memberships", response={201: UserOut})
def add_membership(request, user_id: uuid.UUID, payload: MembershipIn):
    require_role(request, Role.ADMIN)
    user = _user(user_id)
    services.membership_add_by_admin(
        actor=request.user,
        user=user,
        team=_team(payload.team),
        role=payload.role,
        scope=payload.scope,
    )
    return Status(201, _user_out(_user(user_id)))


@router.delete("/memberships/{membership_id}", response={204: None})
def remove_membership(request, membership_id: uuid.UUID):
    require_role(request, Role.ADMIN)
    membership = (
        Membership.objects.select_related("user", "team").filter(uuid=membership_id).first()
    )
    if membership is None:
        raise NotFound(_("There is no membership with that id."))
    services.membership_remove(actor=request.user, membership=membership)
    return Status(204, None)


@router.post("/users/{user_id}/active", response=UserOut)
def set_active(request, user_id: uuid.UUID, payload: ActiveIn):
    require_role(request, Role.ADMIN)
    services.user_set_active(
        actor=request.user, user=_user(user_id), active=payload.active, reason=payload.reason
    )
    return _user_out(_user(user_id))


@router.get("/teams", response=list[TeamOut])
def list_teams(request):
    """Teams are not personal data: every signed-in user may list them (to allocate work)."""
    return [
        {"id": t.uuid, "force": t.force.code, "name": t.name, "name_cy": t.name_cy, "kind": t.kind}
        for t in selectors.team_list()
    ]


@router.post("/teams", response={201: TeamOut})
def create_team(request, payload: TeamIn):
    require_role(request, Role.ADMIN)
    force = Force.objects.filter(code=payload.force).first()
    if force is None:
        raise NotFound(_("There is no force with that code."))
    team = services.team_create(
        actor=request.user,
        force=force,
        name=payload.name,
        name_cy=payload.name_cy,
        kind=payload.kind,
    )
    return Status(
        201,
        {
            "id": team.uuid,
            "force": force.code,
            "name": team.name,
            "name_cy": team.name_cy,
            "kind": team.kind,
        },
    )
