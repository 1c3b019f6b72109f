"""Values every page needs: service name, demo mode, navigation for the user's roles."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.accounts import access
from vigil.accounts.choices import Role


def _navigation(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[tuple[str, object, str]] = []
    if access.is_casework_user(user):
        items.append(("duties:my-work", _("My work"), "/work/"))
        items.append(("people:list", _("People"), "/people/"))
    if access.is_supervisor(user):
        items.append(("duties:team-work", _("Team work"), "/work/team/"))
        items.append(("duties:outstanding", _("Outstanding work"), "/work/outstanding/"))
    if access.has_role(user, Role.AUDITOR) or access.is_admin(user):
        items.append(("audit:search", _("Audit"), "/audit/"))
    items.append(("core:policies", _("Policies"), "/policies/"))
    if access.is_admin(user):
        items.append(("accounts:tokens", _("API tokens"), "/account/tokens/"))
    path = request.path
    nav = []
    for name, label, prefix in items:
        href = reverse(name)
        nav.append(
            {
                "href": href,
                "label": label,
                "active": path == href or (prefix != "/work/" and path.startswith(prefix)),
            }
        )
    return nav


def vigil(request) -> dict:
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from vigil.duties.selectors import unread_notification_count

        unread = unread_notification_count(user=request.user)
    return {
        "service_name": settings.VIGIL_SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "navigation": _navigation(request),
        "unread_notifications": unread,
    }
