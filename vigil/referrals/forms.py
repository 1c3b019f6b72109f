"""Referral forms: they parse input; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.duties.choices import RiskLevel
from vigil.people.choices import Gender, IdentifierKind
from vigil.referrals.choices import ChildStatus, Source, SuspectAge

IDENTIFIER_SLOTS = 3


class ReceiveForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Receiving team"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose the receiving team")},
    )
    source = forms.ChoiceField(
        label=_("Where did the referral come from?"),
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the referral came from")},
    )
    source_reference = forms.CharField(
        label=_("Source reference"),
        help_text=_("The NCA reference for an NCA/CEOP package (required for those)."),
        required=False,
        max_length=80,
    )
    received_at = forms.DateTimeField(
        label=_("Date and time received"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={
            "required": _("Enter the date and time the referral was received"),
            "invalid": _("Enter the date and time received, like 2026-03-02 09:30"),
        },
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter a summary of the referral")},
    )
    suspect_age = forms.ChoiceField(
        label=_("Is the suspect an adult or a child?"),
        choices=SuspectAge.choices,
        initial=SuspectAge.UNKNOWN,
        widget=forms.RadioSelect,
    )
    suspect_given_name = forms.CharField(label=_("Suspect's given name"), required=False)
    suspect_family_name = forms.CharField(label=_("Suspect's family name"), required=False)
    suspect_date_of_birth = forms.DateField(
        label=_("Suspect's date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date of birth, like 1980-05-17")},
    )
    suspect_gender = forms.ChoiceField(
        label=_("Suspect's gender"), choices=Gender.choices, initial=Gender.UNKNOWN, required=False
    )
    suspect_pnc_id = forms.CharField(label=_("Suspect's PNC ID"), required=False)
    child_status = forms.ChoiceField(
        label=_("Child in the referral"),
        choices=[("", _("No child named")), *ChildStatus.choices],
        required=False,
    )
    child_description = forms.CharField(
        label=_("Child's name or description"), required=False, max_length=300
    )
    child_age = forms.IntegerField(
        label=_("Child's approximate age"), required=False, min_value=0, max_value=17
    )
    material_description = forms.CharField(
        label=_("Material received (description only: never attach material)"),
        required=False,
        max_length=300,
    )
    material_count = forms.IntegerField(
        label=_("Number of items"), required=False, min_value=1, initial=1
    )
    material_category = forms.CharField(
        label=_("Category as graded by the sender"), required=False, max_length=40
    )
    # Set on the matches page: "new", "referral:<uuid>" or "person:<uuid>".
    decision = forms.CharField(required=False, widget=forms.HiddenInput)
    stage = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        for n in range(1, IDENTIFIER_SLOTS + 1):
            self.fields[f"identifier_{n}_kind"] = forms.ChoiceField(
                label=_("Online identifier %(n)s: kind") % {"n": n},
                choices=[("", _("None")), *IdentifierKind.choices],
                required=False,
            )
            self.fields[f"identifier_{n}_value"] = forms.CharField(
                label=_("Online identifier %(n)s: value") % {"n": n}, required=False, max_length=300
            )
            self.fields[f"identifier_{n}_platform"] = forms.CharField(
                label=_("Online identifier %(n)s: platform") % {"n": n},
                required=False,
                max_length=100,
            )

    def identifier_rows(self):
        return [
            [self[f"identifier_{n}_{part}"] for part in ("kind", "value", "platform")]
            for n in range(1, IDENTIFIER_SLOTS + 1)
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        identifiers = [
            (
                data[f"identifier_{n}_kind"],
                data[f"identifier_{n}_value"],
                data[f"identifier_{n}_platform"],
            )
            for n in range(1, IDENTIFIER_SLOTS + 1)
            if data.get(f"identifier_{n}_kind") or data.get(f"identifier_{n}_value")
        ]
        children = (
            [
                {
                    "status": data["child_status"],
                    "description": data["child_description"],
                    "approximate_age": data["child_age"],
                }
            ]
            if data.get("child_status") or data.get("child_description")
            else []
        )
        material = (
            [
                {
                    "description": data["material_description"],
                    "item_count": data["material_count"] or 1,
                    "category": data["material_category"],
                }
            ]
            if data.get("material_description")
            else []
        )
        new_suspect = None
        if data.get("suspect_given_name") or data.get("suspect_family_name"):
            new_suspect = {
                "given_name": data["suspect_given_name"],
                "family_name": data["suspect_family_name"],
                "date_of_birth": data["suspect_date_of_birth"],
                "gender": data["suspect_gender"] or Gender.UNKNOWN,
                "pnc_id": data["suspect_pnc_id"],
            }
        return {
            "team": data["team"],
            "source": data["source"],
            "source_reference": data["source_reference"],
            "received_at": data["received_at"],
            "summary": data["summary"],
            "suspect_age": data["suspect_age"],
            "identifiers": identifiers,
            "children": children,
            "material": material,
            "new_suspect": new_suspect,
        }


class GradeForm(forms.Form):
    child_in_household = forms.BooleanField(
        label=_("A child lives in the suspect's household or the suspect has access to children"),
        required=False,
    )
    position_of_trust = forms.BooleanField(
        label=_("The suspect holds a position of trust"), required=False
    )
    live_or_contact_abuse = forms.BooleanField(
        label=_("There is an indication of live or contact abuse"), required=False
    )
    override_priority = forms.ChoiceField(
        label=_("Override the priority (optional)"),
        help_text=_(
            "Only if your judgement differs from the rules. A supervisor must sign it off."
        ),
        choices=[("", _("No override: use the priority from the rules")), *RiskLevel.choices],
        required=False,
    )
    override_rationale = forms.CharField(
        label=_("Reason for the override"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class AllocateForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"),
        help_text=_("Any team of the force, including units outside POLIT."),
        queryset=None,
        error_messages={"required": _("Choose the team to allocate the referral to")},
    )
    officer = forms.ModelChoiceField(
        label=_("Officer (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No officer yet: the team allocates it"),
    )

    def __init__(self, *args, teams, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["officer"].queryset = officers


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the referral being closed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the reason for closing the referral")},
    )


class ImportForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Receiving team"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose the receiving team")},
    )
    file = forms.FileField(
        label=_("Referral file (CSV or JSON)"),
        error_messages={"required": _("Choose a CSV or JSON file to import")},
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
