from django import forms
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("User's e-mail address"), required=False, max_length=254)
    person = forms.UUIDField(
        label=_("Person's id"),
        required=False,
        help_text=_("The id at the end of the person's page address."),
        error_messages={"invalid": _("Enter the person's id as it appears in the page address")},
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_("For example person.view, or person. for every person action."),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data
