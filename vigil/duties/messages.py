"""Notification texts. A notification stores a message key and parameters; the text is
made when it is read (in the reader's language), never stored."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from vigil.duties.registry import kind_label

ASSIGNED = "duty_assigned"
OVERDUE = "duty_overdue"
ESCALATED_SUPERVISOR = "duty_escalated_supervisor"
ESCALATED_MANAGER = "duty_escalated_manager"
# An escalation to the managers of a team no manager reaches, told to its supervisors.
ESCALATED_NO_MANAGER = "duty_escalated_no_manager"
# An administrator made an API token that acts as the user (vigil.accounts.services).
API_TOKEN_CREATED = "api_token_created"


def _due(params: dict) -> str:
    raw = params.get("due")
    if not raw:
        return ""
    return formats.date_format(dt.date.fromisoformat(raw), "j F Y")


def _days(params: dict) -> int:
    return int(params.get("days") or 0)


def _team(params: dict, team=None) -> str:
    """The team's name in the active language: from the team itself when it is the one
    the notification was about (its names may have changed since), else as stored."""
    stored_id = params.get("team_id")
    if team is not None and (
        str(team.uuid) == stored_id or (not stored_id and team.name == params.get("team"))
    ):
        return team.localised_name
    if params.get("team_cy") and (get_language() or "").startswith("cy"):
        return params["team_cy"]
    return params.get("team", "")


def _assigned(params: dict) -> tuple[str, str]:
    values = {"kind": kind_label(params.get("kind", "")), "due": _due(params)}
    return (
        _("Work assigned to you: %(kind)s") % values,
        _("%(kind)s has been assigned to you. It is due on %(due)s.") % values,
    )


def _overdue(params: dict) -> tuple[str, str]:
    days = _days(params)
    values = {"kind": kind_label(params.get("kind", "")), "due": _due(params), "days": days}
    return (
        _("Overdue: %(kind)s") % values,
        ngettext(
            "%(kind)s was due on %(due)s and is %(days)s day overdue.",
            "%(kind)s was due on %(due)s and is %(days)s days overdue.",
            days,
        )
        % values,
    )


def _escalated(params: dict, subject: str, team=None, extra: str = "") -> tuple[str, str]:
    days = _days(params)
    values = {
        "kind": kind_label(params.get("kind", "")),
        "due": _due(params),
        "days": days,
        "team": _team(params, team),
        "assignee": params.get("assignee") or _("nobody"),
    }
    body = (
        ngettext(
            "%(kind)s for %(team)s, assigned to %(assignee)s, was due on %(due)s and is "
            "%(days)s day overdue.",
            "%(kind)s for %(team)s, assigned to %(assignee)s, was due on %(due)s and is "
            "%(days)s days overdue.",
            days,
        )
        % values
    )
    if extra:
        body = f"{body} {extra % values}"
    return subject % values, body


def render(message_key: str, params: dict, *, team=None) -> tuple[str, str]:
    """(title, body) of a notification in the active language. `team` is the team of the
    notification's duty, when the caller has it, for its name in the active language."""
    params = params or {}
    if message_key == ASSIGNED:
        return _assigned(params)
    if message_key == OVERDUE:
        return _overdue(params)
    if message_key == ESCALATED_SUPERVISOR:
        return _escalated(params, _("Escalated to you as supervisor: %(kind)s"), team)
    if message_key == ESCALATED_MANAGER:
        return _escalated(params, _("Escalated to you as manager: %(kind)s"), team)
    if message_key == ESCALATED_NO_MANAGER:
        return _escalated(
            params,
            _("No manager to escalate to: %(kind)s"),
            team,
            _(
                "It has reached the point at which the managers are told, but no active "
                "manager reaches %(team)s, so you are told instead as its supervisor."
            ),
        )
    if message_key == API_TOKEN_CREATED:
        return (
            _("An API token now acts as you"),
            _(
                "%(created_by)s created the API token “%(name)s” (vgl_%(prefix)s_…) for your "
                "account. Another system that holds it can do what you can do in Vigil. If you "
                "did not expect this, tell your force's IT service desk."
            )
            % {
                "created_by": params.get("created_by", ""),
                "name": params.get("name", ""),
                "prefix": params.get("prefix", ""),
            },
        )
    return _("Notification"), ""
