"""What audit actions mean, in words, for the pages that show the log.

`VIEW_ACTIONS` are the reads of a record that are audited against a person (the `person`
of the event): "who has viewed this person" counts every one of them. A test checks that
every `*.view*` action recorded anywhere in Vigil is listed here, so a new one cannot be
left out of the panel silently.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DENIED_VIEW_ACTIONS = frozenset({"person.view_denied"})

VIEW_ACTIONS = {
    "person.view": _("Viewed the person's record"),
    "person.view_denied": _("Refused: restricted"),
    "nominal.view": _("Viewed their offender management record"),
    "investigation.view": _("Viewed an investigation where they are the suspect"),
    "referral.view": _("Viewed a referral where they are the suspect"),
    "referral.rso_notice_view": _("Viewed the registered sex offender notice of a referral"),
    "assessment.view": _("Viewed a risk assessment of them"),
    "register.discrepancy_view": _("Viewed a register discrepancy about them"),
    "partners.request_view": _("Viewed a request with Probation about them"),
}

# Actions of the audit log itself.
AUDIT_ACTIONS = {
    "audit.export": _("Downloaded audit events (CSV)"),
    "audit.event_view": _("Viewed an audit event's details"),
}

ACTION_LABELS = {**VIEW_ACTIONS, **AUDIT_ACTIONS}


def action_label(action: str) -> str:
    """The action in words, or "" when there are none for it (show the action's code)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else ""
