"""Register forms: they parse input; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.register.choices import (
    USER_RESOLUTIONS,
    DiscrepancyKind,
    DiscrepancyStatus,
    Field,
)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register extract (CSV or JSON)"),
        help_text=_("The format is described in docs/formats/register-extract.md."),
        error_messages={"required": _("Choose a CSV or JSON extract file to import")},
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=None,
        error_messages={"required": _("Choose who to assign the discrepancy to")},
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("How was it resolved?"),
        choices=[(str(r), r.label) for r in USER_RESOLUTIONS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose corrected in Vigil, register to be corrected, or explained")
        },
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("What was corrected, what the register needs, or why the difference is right."),
        error_messages={"required": _("Enter a note saying what was done or why")},
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (DiscrepancyStatus.OPEN, DiscrepancyStatus.OPEN.label),
            (DiscrepancyStatus.CLOSED, DiscrepancyStatus.CLOSED.label),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *DiscrepancyKind.choices]
    )
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("Any field")), *Field.choices]
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        required=False,
        queryset=None,
        empty_label=_("Any team"),
        to_field_name="uuid",
    )
    mine = forms.BooleanField(label=_("Only those assigned to me"), required=False)
    unassigned = forms.BooleanField(label=_("Only those not yet assigned"), required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
