"""Reads for user and team administration (administrators only)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.models import Membership, Team, User


def user_list(*, search: str = ""):
    """Users with their memberships and whether they have enrolled a second factor
    (a fixed number of queries: users, then memberships for the page)."""
    qs = User.objects.annotate(
        enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("team")))
    if search.strip():
        term = search.strip()
        qs = qs.filter(
            Q(full_name__icontains=term) | Q(email__icontains=term) | Q(collar_number__iexact=term)
        )
    return qs.order_by("full_name", "id")


def get_user_by_uuid(user_uuid) -> User | None:
    return user_list().filter(uuid=user_uuid).first()


def team_list():
    return (
        Team.objects.select_related("force")
        .annotate(members=Count("memberships__user", distinct=True))
        .order_by("force__name", "name")
    )
