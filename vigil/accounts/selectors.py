"""Reads for user, team, force and token administration, limited to what the actor
administers: a force's administrator reaches the users, teams and tokens of their own
force(s); the system administrator reaches every force (`access.admin_force_ids`).

A user is in a force when they hold a membership in one of its teams. System
administrators are reached by no force's administrator, so that nobody can take over
their account (reset its password or second factor) from a force.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts import access
from vigil.accounts.models import ApiToken, Force, Membership, Team, User


def _users_in_reach(actor, qs=None):
    """`qs` (default: every user) limited to the users `actor` administers."""
    qs = User.objects.all() if qs is None else qs
    force_ids = access.admin_force_ids(actor)
    if force_ids is None:
        return qs
    return qs.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), team__force_id__in=force_ids)),
        is_superuser=False,
    )


def user_list(*, actor, search: str = ""):
    """Users `actor` administers, with their memberships (those in the actor's forces) and
    whether they have enrolled a second factor (a fixed number of queries: users, then
    memberships for the page)."""
    force_ids = access.admin_force_ids(actor)
    memberships = Membership.objects.select_related("team", "team__force")
    if force_ids is not None:
        memberships = memberships.filter(team__force_id__in=force_ids)
    qs = _users_in_reach(
        actor,
        User.objects.annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        ),
    ).prefetch_related(Prefetch("memberships", queryset=memberships))
    if search.strip():
        term = search.strip()
        qs = qs.filter(
            Q(full_name__icontains=term) | Q(email__icontains=term) | Q(collar_number__iexact=term)
        )
    return qs.order_by("full_name", "id")


def get_user_by_uuid(*, actor, user_uuid) -> User | None:
    """The user, if `actor` administers them (None for a missing user and for one out of
    reach alike)."""
    return user_list(actor=actor).filter(uuid=user_uuid).first()


def user_in_reach(*, actor, user: User) -> bool:
    return _users_in_reach(actor).filter(pk=user.pk).exists()


def user_only_in_reach(*, actor, user: User) -> bool:
    """Whether every membership the user holds is in a force `actor` administers: a
    force's administrator may take over an account (new password, new second factor)
    only when it works in no other force."""
    force_ids = access.admin_force_ids(actor)
    if force_ids is None:
        return True
    return (
        user_in_reach(actor=actor, user=user)
        and not Membership.objects.filter(user=user).exclude(team__force_id__in=force_ids).exists()
    )


def token_users(*, actor):
    """Active users `actor` may create an API token for."""
    return _users_in_reach(actor, User.objects.filter(is_active=True)).order_by("full_name", "id")


def teams_in_reach(*, actor):
    """Teams `actor` may add users to and give roles in (for the forms' choices)."""
    qs = Team.objects.select_related("force")
    force_ids = access.admin_force_ids(actor)
    if force_ids is not None:
        qs = qs.filter(force_id__in=force_ids)
    return qs.order_by("force__name", "name")


def forces_in_reach(*, actor):
    """Forces `actor` may add teams to."""
    qs = Force.objects.all()
    force_ids = access.admin_force_ids(actor)
    if force_ids is not None:
        qs = qs.filter(pk__in=force_ids)
    return qs.order_by("name")


def team_list(*, actor):
    """Teams with their member counts, those `actor` administers (the teams page)."""
    qs = Team.objects.select_related("force").annotate(
        members=Count("memberships__user", distinct=True)
    )
    force_ids = access.admin_force_ids(actor)
    if force_ids is not None:
        qs = qs.filter(force_id__in=force_ids)
    return qs.order_by("force__name", "name")


def teams_of_own_forces(*, actor):
    """The teams of the forces `actor` works in (the API's list for allocating work): a
    force's teams are not shown to another force's users. The system administrator, who
    works across forces, sees every team."""
    qs = Team.objects.select_related("force")
    if not access.is_system_admin(actor):
        qs = qs.filter(force_id__in={m.team.force_id for m in access.memberships(actor)})
    return qs.order_by("force__name", "name")


def force_list():
    """Every force with its number of teams (the system administrator's page)."""
    return Force.objects.annotate(team_count=Count("teams", distinct=True)).order_by("name")


def get_membership(*, actor, membership_uuid) -> Membership | None:
    """A membership in a team of a force `actor` administers, of a user in reach."""
    qs = Membership.objects.select_related("user", "team", "team__force").filter(
        uuid=membership_uuid
    )
    force_ids = access.admin_force_ids(actor)
    if force_ids is not None:
        qs = qs.filter(team__force_id__in=force_ids, user__is_superuser=False)
    return qs.first()


def token_list(*, actor):
    """API tokens of the users `actor` administers."""
    qs = ApiToken.objects.select_related("user", "created_by")
    force_ids = access.admin_force_ids(actor)
    if force_ids is not None:
        qs = qs.filter(user__in=_users_in_reach(actor))
    return qs.order_by("-created_at", "-id")


def get_token(*, actor, token_uuid) -> ApiToken | None:
    return token_list(actor=actor).filter(uuid=token_uuid).first()
