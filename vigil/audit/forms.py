from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.audit.actions import action_label


def action_choices(actions: list[str]) -> list[tuple[str, str]]:
    """The search page's choice of action: any; then, for each kind of record, every action
    on it (the prefix, "person.") followed by each action, in words where there are words
    for it, always with its code (which is what the log and the CSV file show)."""
    choices = [("", _("Any action"))]
    prefixes = sorted({a.split(".", 1)[0] for a in actions if "." in a})
    for prefix in prefixes:
        choices.append((f"{prefix}.", _("Every “%(prefix)s.” action") % {"prefix": prefix}))
        for action in actions:
            if action.startswith(f"{prefix}."):
                label = action_label(action)
                choices.append((action, f"{action}: {label}" if label else action))
    choices.extend((a, a) for a in actions if "." not in a)
    return choices


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("User's e-mail address"), required=False, max_length=254)
    person = forms.UUIDField(
        label=_("Person's id"),
        required=False,
        help_text=_("The id at the end of the person's page address."),
        error_messages={"invalid": _("Enter the person's id as it appears in the page address")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[],
        help_text=_("One action, or every action on one kind of record."),
        error_messages={"invalid_choice": _("Choose an action from the list")},
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = action_choices(list(actions))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data
