"""User, team and force administration through the API, and changing your own password.

A force's administrator reaches the users and teams of their own force(s) (another
force's user or team is 404); the system administrator reaches every force and adds
forces. Access is the pages' rule.
"""

import uuid

from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil.accounts import access, selectors, services
from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.accounts.models import Team
from vigil.core.api import require_role
from vigil.core.exceptions import NotFound, PermissionDenied

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
    locked: bool
    must_change_password: bool
    second_factor_enrolled: bool
    memberships: list[MembershipOut]


class UserPatch(Schema):
    """Only the fields sent are changed."""

    full_name: str | None = None
    email: str | None = None
    collar_number: str | None = None
    rank: Rank | None = None


class ReasonIn(Schema):
    reason: str


class SecondFactorResetIn(Schema):
    reason: str
    password: str = Field(max_length=4096, description="Your own password again.")


class TemporaryPasswordIn(Schema):
    password: str


class PasswordChangeIn(Schema):
    current_password: str
    new_password: str


class ForceOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    name_cy: str


class ForceIn(Schema):
    code: str
    name: str
    name_cy: str = ""


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


class TeamRecordOut(Schema):
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
        "locked": services.is_locked(user),
        "must_change_password": user.must_change_password,
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


def _team(request, team_uuid) -> Team:
    team = selectors.teams_in_reach(actor=request.user).filter(uuid=team_uuid).first()
    if team is None:
        raise NotFound(_("There is no team with that id."))
    return team


def _user(request, user_uuid):
    user = selectors.get_user_by_uuid(actor=request.user, user_uuid=user_uuid)
    if user is None:
        raise NotFound(_("There is no user with that id."))
    return user


def _require_system_admin(request) -> None:
    if not access.is_system_admin(request.user):
        raise PermissionDenied(_("Only the system administrator can do this."))


@router.get("/users", response=list[UserOut])
@paginate(PageNumberPagination, page_size=100)
def list_users(request, q: str = ""):
    require_role(request, Role.ADMIN)
    return [_user_out(u) for u in selectors.user_list(actor=request.user, search=q)]


@router.post("/users", response={201: UserOut})
def create_user(request, payload: UserIn):
    require_role(request, Role.ADMIN)
    user = services.user_create_by_admin(
        actor=request.user,
        email=payload.email,
        full_name=payload.full_name,
        password=payload.password,
        rank=payload.rank,
        team=_team(request, payload.team),
        role=payload.role,
        scope=payload.scope,
        collar_number=payload.collar_number,
    )
    return Status(201, _user_out(_user(request, user.uuid)))


@router.get("/users/{user_id}", response=UserOut)
def get_user(request, user_id: uuid.UUID):
    require_role(request, Role.ADMIN)
    return _user_out(_user(request, user_id))


@router.patch("/users/{user_id}", response=UserOut)
def update_user(request, user_id: uuid.UUID, payload: UserPatch):
    """Correct a user's name, e-mail address, collar number or rank (audited before/after)."""
    require_role(request, Role.ADMIN)
    services.user_update(
        actor=request.user, user=_user(request, user_id), **payload.model_dump(exclude_unset=True)
    )
    return _user_out(_user(request, user_id))


@router.post("/users/{user_id}/unlock", response=UserOut)
def unlock_user(request, user_id: uuid.UUID):
    require_role(request, Role.ADMIN)
    services.user_unlock(actor=request.user, user=_user(request, user_id))
    return _user_out(_user(request, user_id))


@router.post("/users/{user_id}/second-factor/reset", response=UserOut)
def reset_second_factor(request, user_id: uuid.UUID, payload: SecondFactorResetIn):
    """Clear the user's authenticator app (a lost phone): they set it up again. Send your
    own password again: a wrong one is 422 on `password` and counts toward your lock-out
    (403 account_locked at the limit)."""
    require_role(request, Role.ADMIN)
    user = _user(request, user_id)
    services.reauthenticate(user=request.user, password=payload.password)
    services.totp_reset(actor=request.user, user=user, reason=payload.reason)
    return _user_out(_user(request, user_id))


@router.post("/users/{user_id}/password", response=UserOut)
def set_temporary_password(request, user_id: uuid.UUID, payload: TemporaryPasswordIn):
    """Set a temporary password: the user must choose their own at the next sign-in."""
    require_role(request, Role.ADMIN)
    services.user_set_temporary_password(
        actor=request.user, user=_user(request, user_id), password=payload.password
    )
    return _user_out(_user(request, user_id))


@router.post("/users/{user_id}/memberships", response={201: UserOut})
def add_membership(request, user_id: uuid.UUID, payload: MembershipIn):
    require_role(request, Role.ADMIN)
    user = _user(request, user_id)
    services.membership_add_by_admin(
        actor=request.user,
        user=user,
        team=_team(request, payload.team),
        role=payload.role,
        scope=payload.scope,
    )
    return Status(201, _user_out(_user(request, user_id)))


@router.delete("/memberships/{membership_id}", response={204: None})
def remove_membership(request, membership_id: uuid.UUID):
    require_role(request, Role.ADMIN)
    membership = selectors.get_membership(actor=request.user, membership_uuid=membership_id)
    if membership is None:
        raise NotFound(_("There is no membership with that id."))
    services.membership_remove(actor=request.user, membership=membership)
    return Status(204, None)


@router.post("/users/{user_id}/active", response=UserOut)
def set_active(request, user_id: uuid.UUID, payload: ActiveIn):
    require_role(request, Role.ADMIN)
    services.user_set_active(
        actor=request.user,
        user=_user(request, user_id),
        active=payload.active,
        reason=payload.reason,
    )
    return _user_out(_user(request, user_id))


@router.get("/teams", response=list[TeamRecordOut])
def list_teams(request):
    """Every signed-in user may list their own force's teams (to allocate work)."""
    return [
        {"id": t.uuid, "force": t.force.code, "name": t.name, "name_cy": t.name_cy, "kind": t.kind}
        for t in selectors.teams_of_own_forces(actor=request.user)
    ]


@router.post("/teams", response={201: TeamRecordOut})
def create_team(request, payload: TeamIn):
    require_role(request, Role.ADMIN)
    force = selectors.forces_in_reach(actor=request.user).filter(code=payload.force).first()
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


def _force_out(force) -> dict:
    return {"id": force.uuid, "code": force.code, "name": force.name, "name_cy": force.name_cy}


@router.get("/forces", response=list[ForceOut])
def list_forces(request):
    """Every force (the system administrator only)."""
    _require_system_admin(request)
    return [_force_out(f) for f in selectors.force_list()]


@router.post("/forces", response={201: ForceOut})
def create_force(request, payload: ForceIn):
    """Add a force (the system administrator only; audited)."""
    _require_system_admin(request)
    force = services.force_create(
        actor=request.user, code=payload.code, name=payload.name, name_cy=payload.name_cy
    )
    return Status(201, _force_out(force))


@router.post("/password", response={204: None})
def change_password(request, payload: PasswordChangeIn):
    """Change your own password (any signed-in user). Your other sessions end; the session
    that sends this stays signed in. A wrong current password counts toward the lock-out."""
    services.password_change(
        user=request.user,
        current_password=payload.current_password,
        new_password=payload.new_password,
    )
    # Keep the browser session that sent it signed in (a bearer token has no session).
    if str(request.session.get(SESSION_KEY)) == str(request.user.pk):
        update_session_auth_hash(request, request.user)
    return Status(204, None)
