"""Forms of the work pages: the filters, and reassigning a duty."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

UNASSIGNED = "unassigned"


class WorkFilterForm(forms.Form):
    """Force, team and officer filters over the teams a supervisor reaches. Choices are the
    user's own reach, so a team or officer outside it is not a valid choice."""

    force = forms.ChoiceField(
        label=_("Force"),
        required=False,
        error_messages={"invalid_choice": _("Choose a force from the list")},
    )
    team = forms.ChoiceField(
        label=_("Team"),
        required=False,
        error_messages={"invalid_choice": _("Choose a team from the list")},
    )
    assignee = forms.ChoiceField(
        label=_("Officer"),
        required=False,
        error_messages={"invalid_choice": _("Choose an officer from the list")},
    )

    def __init__(self, data=None, *, forces, teams, officers):
        super().__init__(data)
        self._forces = {str(f.uuid): f for f in forces}
        self._teams = {str(t.uuid): t for t in teams}
        self._officers = {str(u.uuid): u for u in officers}
        self.fields["force"].choices = [("", _("All forces"))] + [
            (k, str(f)) for k, f in self._forces.items()
        ]
        self.fields["team"].choices = [("", _("All teams"))] + [
            (k, str(t)) for k, t in self._teams.items()
        ]
        self.fields["assignee"].choices = [
            ("", _("All officers")),
            (UNASSIGNED, _("Not assigned")),
        ] + [(k, u.full_name) for k, u in self._officers.items()]
        self.show_force = len(self._forces) > 1

    def filters(self) -> dict:
        """The chosen force, team and officer as objects (None for "all")."""
        if not self.is_bound or not self.is_valid():
            return {"force": None, "team": None, "assignee": None}
        data = self.cleaned_data
        assignee = data.get("assignee") or ""
        return {
            "force": self._forces.get(data.get("force") or ""),
            "team": self._teams.get(data.get("team") or ""),
            "assignee": UNASSIGNED if assignee == UNASSIGNED else self._officers.get(assignee),
        }


class ReassignForm(forms.Form):
    assignee = forms.ChoiceField(
        label=_("Assign to"),
        help_text=_("Officers who work in the team that owns this duty."),
        error_messages={
            "required": _("Choose the officer to assign this duty to"),
            "invalid_choice": _("Choose an officer from the list"),
        },
    )

    def __init__(self, data=None, *, officers):
        super().__init__(data)
        self._officers = {str(u.uuid): u for u in officers}
        self.fields["assignee"].choices = [("", _("Choose an officer"))] + [
            (k, u.full_name) for k, u in self._officers.items()
        ]

    def officer(self):
        return self._officers.get(self.cleaned_data.get("assignee") or "")
