"""Values every page needs: service name, demo mode, navigation for the user's roles."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, Role, Scope, TeamKind


def work_kinds(user) -> set[str]:
    """The kinds of casework the user does: POLIT, MOSOVO (a force-wide role does both)."""
    kinds: set[str] = set()
    for m in access.memberships(user):
        if m.role in CASEWORK_ROLES:
            kinds |= {TeamKind.POLIT, TeamKind.MOSOVO} if m.scope == Scope.FORCE else {m.team.kind}
    return kinds


def landing_url_name(user) -> str:
    """The page a user starts from (after signing in, and at "/"): where their work is.
    With several roles, the first that matches below wins (supervisory work before one's
    own, casework before oversight, administration last)."""
    roles = access.roles(user)
    kinds = work_kinds(user)
    if Role.MANAGER in roles:
        return "duties:outstanding"
    if Role.SUPERVISOR in roles:
        # A MOSOVO sergeant's work is reviewing the nominals their officers manage; a
        # POLIT sergeant's is the team's duties (oversight board and escalations beside).
        return "offenders:review-queue" if kinds == {TeamKind.MOSOVO} else "duties:team-work"
    if Role.OFFICER in roles:
        return "duties:my-work"
    if Role.ANALYST in roles:
        from vigil.demand.selectors import can_read as can_read_demand

        return "demand:list" if can_read_demand(user) else "duties:my-work"
    if Role.ASSURANCE in roles:
        return "assurance:dashboard"
    if Role.AUDITOR in roles:
        return "audit:search"
    if Role.WELLBEING in roles:
        return "workforce:screening"
    if Role.PROBATION in roles:
        return "partners:inbox"
    if access.is_admin(user):
        return "accounts:users"
    return "core:policies"


def _navigation(request) -> list[dict]:
    """The menu for the user's roles and teams; the item whose address is the longest
    match of the current path is marked as current. (Policies and assessment tools are
    linked from the footer, for everyone signed in.)"""
    user = getattr(request, "user", None)
    if not _signed_in_fully(request):
        return []
    names: list[tuple[str, object]] = []
    kinds = work_kinds(user)
    if access.is_casework_user(user):
        names.append(("duties:my-work", _("My work")))
    if TeamKind.POLIT in kinds:
        names += [("referrals:queue", _("Referrals")), ("investigations:list", _("Investigations"))]
    if TeamKind.MOSOVO in kinds:
        names.append(("offenders:caseload", _("Nominals")))
    if TeamKind.MOSOVO in kinds and access.has_role(
        user, Role.OFFICER, Role.SUPERVISOR, Role.MANAGER
    ):
        names.append(("partners:inbox", _("Probation")))
    if access.is_casework_user(user):
        names.append(("people:list", _("People")))
    if access.has_role(user, Role.PROBATION) and not access.is_casework_user(user):
        names.append(("partners:inbox", _("Requests with the police")))
    if access.is_supervisor(user):
        names += [
            ("duties:team-work", _("Team work")),
            ("duties:outstanding", _("Outstanding work")),
        ]
    from vigil.workforce.selectors.staff import can_view as can_view_workforce

    if can_view_workforce(user):
        names.append(("workforce:index", _("Workforce")))
    if access.has_role(user, Role.WELLBEING):
        names.append(("workforce:screening", _("Wellbeing")))
    from vigil.demand.selectors import can_read as can_read_demand

    if can_read_demand(user):
        names.append(("demand:list", _("Demand")))
    # The register reconciliation: MOSOVO staff work its discrepancies, the PCC office
    # reads it, and administrators load the register extracts.
    if (TeamKind.MOSOVO in kinds and access.is_casework_user(user)) or access.has_role(
        user, Role.ASSURANCE, Role.ADMIN
    ):
        names.append(
            ("register:report", pgettext_lazy("navigation: the sex offender register", "Register"))
        )
    if access.has_role(user, Role.ASSURANCE, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN):
        names.append(("assurance:dashboard", _("Assurance")))
    if access.has_role(user, Role.AUDITOR) or access.is_admin(user):
        names.append(("audit:search", _("Audit")))
    if access.is_system_admin(user):
        names.append(("accounts:forces", _("Forces")))
    if access.is_admin(user):
        names += [
            ("accounts:users", _("Users")),
            ("accounts:teams", _("Teams")),
            ("accounts:tokens", _("API tokens")),
            ("partners:setup", _("Probation partnerships")),
        ]
        if TeamKind.POLIT not in kinds:
            # The national entries of the families' leaflet are the administrators' to keep
            # (a POLIT member reaches the list from the investigations' menu).
            names.append(("investigations:organisations", _("Support organisations")))
    items = [{"href": reverse(name), "label": label, "active": False} for name, label in names]
    matches = [item for item in items if request.path.startswith(item["href"])]
    if matches:
        max(matches, key=lambda item: len(item["href"]))["active"] = True
    return items


def investigations_navigation(request) -> list[dict]:
    """The sub-navigation of the POLIT investigation lists: the investigations, and the
    boards behind points C, E and F (oversight of work allocated outside the team, the
    escalation log, bail), each for the roles whose pages answer them."""
    user = request.user
    if TeamKind.POLIT not in work_kinds(user):
        return []
    names: list[tuple[str, object]] = [("investigations:list", _("Investigations"))]
    if access.is_supervisor(user):
        names += [
            ("investigations:board", _("Oversight board")),
            ("investigations:escalations", _("Escalation log")),
        ]
    if access.has_role(user, Role.OFFICER, Role.SUPERVISOR, Role.MANAGER):
        names.append(("investigations:bail-board", _("Bail board")))
    names.append(("investigations:organisations", _("Support organisations")))
    return [
        {"href": (href := reverse(name)), "label": label, "active": request.path == href}
        for name, label in names
    ]


def _signed_in_fully(request) -> bool:
    """Signed in, past the second factor, and not made to change the password first: until
    then a page shows no menu, no name and no notifications (the person at the keyboard
    has given only a password)."""
    from vigil.accounts.middleware import session_is_fully_signed_in

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return session_is_fully_signed_in(request) and not user.must_change_password


def vigil(request) -> dict:
    unread = 0
    user = getattr(request, "user", None)
    fully = _signed_in_fully(request)
    if fully:
        from vigil.duties.selectors import unread_notification_count

        unread = unread_notification_count(user=request.user)
    return {
        "service_name": settings.VIGIL_SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "demo_generating": _demo_generating(),
        "navigation": _navigation(request) if fully else [],
        "investigations_navigation": (
            investigations_navigation(request)
            if fully and request.path.startswith("/investigations/")
            else []
        ),
        "signed_in_fully": fully,
        "show_instruments": fully and (access.is_casework_user(user) or access.is_admin(user)),
        # POLIT and MOSOVO staff are screened every year: each can read their own dates.
        "show_own_screening": fully and access.is_casework_user(user),
        "unread_notifications": unread,
    }


def _demo_generating() -> bool:
    """`vigil demo` is still generating its synthetic force (see vigil.synthetic.demo_state)."""
    if not settings.DEMO_MODE:
        return False
    from vigil.synthetic import demo_state

    return demo_state.generating()
