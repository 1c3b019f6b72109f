from django import forms
from django.utils.translation import gettext_lazy as _


class PolicyOverrideForm(forms.Form):
    value = forms.CharField(
        label=_("New value"), max_length=40, error_messages={"required": _("Enter the new value")}
    )
    effective_from = forms.DateField(
        label=_("In force from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave blank for now. For example, 2026-12-01."),
        error_messages={"invalid": _("Enter a real date, for example 2026-12-01")},
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Say who decided it and why; this is kept in the audit log."),
        error_messages={"required": _("Enter the reason for the change")},
    )
