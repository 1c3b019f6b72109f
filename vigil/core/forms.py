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
        help_text=_("Today or a later date; leave blank for now. For example, 2026-12-01."),
        error_messages={"invalid": _("Enter a real date, for example 2026-12-01")},
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Say who decided it and why; this is kept in the audit log."),
        error_messages={"required": _("Enter the reason for the change")},
    )


def add_service_errors(form: forms.Form, exc) -> None:
    """Show a service's errors (a VigilError) on the form: each against its field when the
    form has it, otherwise above the form in the error summary. A form may take an error
    for a field it shows under another name by defining `add_service_error(field, msg)`."""
    for field, message in exc.errors or [(None, exc.message)]:
        if field and hasattr(form, "add_service_error"):
            form.add_service_error(field, message)
        else:
            form.add_error(field if field in form.fields else None, message)
