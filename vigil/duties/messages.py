"""Notification texts. A notification stores a message key and parameters; the text is
made when it is read (in the reader's language), never stored."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.duties.registry import kind_label

ASSIGNED = "duty_assigned"
OVERDUE = "duty_overdue"
ESCALATED_SUPERVISOR = "duty_escalated_supervisor"
ESCALATED_MANAGER = "duty_escalated_manager"


def _due(params: dict) -> str:
    raw = params.get("due")
    if not raw:
        return ""
    return formats.date_format(dt.date.fromisoformat(raw), "j F Y")


def _days(params: dict) -> int:
    return int(params.get("days") or 0)


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


def _escalated(params: dict, subject: str) -> tuple[str, str]:
    days = _days(params)
    values = {
        "kind": kind_label(params.get("kind", "")),
        "due": _due(params),
        "days": days,
        "team": params.get("team", ""),
        "assignee": params.get("assignee") or _("nobody"),
    }
    return (
        subject % values,
        ngettext(
            "%(kind)s for %(team)s, assigned to %(assignee)s, was due on %(due)s and is "
            "%(days)s day overdue.",
            "%(kind)s for %(team)s, assigned to %(assignee)s, was due on %(due)s and is "
            "%(days)s days overdue.",
            days,
        )
        % values,
    )


def render(message_key: str, params: dict) -> tuple[str, str]:
    """(title, body) of a notification in the active language."""
    params = params or {}
    if message_key == ASSIGNED:
        return _assigned(params)
    if message_key == OVERDUE:
        return _overdue(params)
    if message_key == ESCALATED_SUPERVISOR:
        return _escalated(params, _("Escalated to you as supervisor: %(kind)s"))
    if message_key == ESCALATED_MANAGER:
        return _escalated(params, _("Escalated to you as manager: %(kind)s"))
    return _("Notification"), ""
