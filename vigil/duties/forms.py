"""Forms of the work pages: the filters, and reassigning a duty."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.duties import registry

UNASSIGNED = "unassigned"


def checkbox_group(bound_field) -> dict:
    """The context components/field.html needs to show a multiple choice as GOV.UK
    checkboxes. govuk_field takes CheckboxSelectMultiple for radios (Django makes it a
    subclass of RadioSelect and the tag tests RadioSelect first), which would let a user
    pick only one; until the tag is fixed, templates include the component with this."""
    from vigil.core.templatetags.govuk import govuk_field

    return {**govuk_field(bound_field), "kind": "checkboxes"}


class WorkFilterForm(forms.Form):
    """Force, team, officer and kind-of-work filters over the teams a supervisor reaches.
    Choices are the user's own reach, so a team or officer outside it is not a valid
    choice; the kinds are every declared duty kind."""

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

    kind = forms.MultipleChoiceField(
        label=_("Kinds of work"),
        help_text=_("Leave every box clear to count every kind of work."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose kinds of work from the list")},
    )

    def __init__(self, data=None, *, forces, teams, officers):
        super().__init__(data)
        self.fields["kind"].choices = [(k.code, str(k.label)) for k in registry.all_kinds()]
        self._forces = {str(f.uuid): f for f in forces}
        self._teams = {str(t.uuid): t for t in teams}
        self._officers = {str(u.uuid): u for u in officers}
        self.fields["force"].choices = [("", _("All forces"))] + [
            (k, f.localised_name) for k, f in self._forces.items()
        ]
        self.fields["team"].choices = [("", _("All teams"))] + [
            (k, t.localised_name) for k, t in self._teams.items()
        ]
        self.fields["assignee"].choices = [
            ("", _("All officers")),
            (UNASSIGNED, _("Not assigned")),
        ] + [(k, u.full_name) for k, u in self._officers.items()]
        self.show_force = len(self._forces) > 1

    def filters(self) -> dict:
        """The chosen force, team and officer as objects (None for "all") and the chosen
        kinds of duty (None for every kind)."""
        if not self.is_bound or not self.is_valid():
            return {"force": None, "team": None, "assignee": None, "kinds": None}
        data = self.cleaned_data
        assignee = data.get("assignee") or ""
        return {
            "force": self._forces.get(data.get("force") or ""),
            "team": self._teams.get(data.get("team") or ""),
            "assignee": UNASSIGNED if assignee == UNASSIGNED else self._officers.get(assignee),
            "kinds": list(data.get("kind") or []) or None,
        }

    def kind_group(self) -> dict:
        return checkbox_group(self["kind"])

    def kind_labels(self) -> list[str]:
        """The labels of the chosen kinds of duty (empty for every kind)."""
        if not self.is_bound or not self.is_valid():
            return []
        return [registry.kind_label(code) for code in self.cleaned_data.get("kind") or []]


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
