"""Forms for people's records: they parse input; the services decide and validate the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.people.choices import ChildRelationship, Gender, IdentifierKind, Language


def _date(label, *, required: bool = False, hint=None, required_message=None) -> forms.DateField:
    messages = {"invalid": _("Enter a real date, like 2026-03-27")}
    if required_message:
        messages["required"] = required_message
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=hint or "",
        error_messages=messages,
    )


def _text(
    label, max_length: int, *, required: bool = True, required_message=None, hint=None, **attrs
):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=hint or "",
        error_messages={"required": required_message} if required_message else {},
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


class PersonDetailsForm(forms.Form):
    """The fields every person's record has."""

    given_name = _text(
        _("Given name"),
        100,
        required_message=_("Enter the person's given name"),
        autocomplete="off",
        spellcheck="false",
    )
    family_name = _text(
        _("Family name"),
        100,
        required_message=_("Enter the person's family name"),
        autocomplete="off",
        spellcheck="false",
    )
    date_of_birth = _date(_("Date of birth"), hint=_("Leave blank if it is not known."))
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        initial=Gender.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the person's gender")},
    )
    pnc_id = _text(
        _("PNC ID (optional)"),
        20,
        required=False,
        hint=_("For example, 12/345678A or 2012/0345678A."),
        autocomplete="off",
        spellcheck="false",
    )
    register_reference = _text(
        _("Register (ViSOR) reference (optional)"),
        30,
        required=False,
        autocomplete="off",
        spellcheck="false",
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the person's preferred language")},
    )


class PersonCreateForm(PersonDetailsForm):
    """A new person's record, with an optional first online identifier. `decision` carries
    the answer to the duplicate check: "different", or the id of the matching record."""

    team = forms.ModelChoiceField(
        label=_("Owning team"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Select the team that owns the record"),
            "invalid_choice": _("Select the team that owns the record"),
        },
    )
    identifier_kind = forms.ChoiceField(
        label=_("Kind of online identifier (optional)"),
        choices=[("", _("None")), *IdentifierKind.choices],
        required=False,
    )
    identifier_value = _text(
        _("Online identifier (optional)"),
        300,
        required=False,
        hint=_("A username, e-mail address, phone number, IP address or device ID."),
        autocomplete="off",
        spellcheck="false",
    )
    decision = forms.CharField(required=False, widget=forms.HiddenInput)
    stage = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean(self):
        data = super().clean()
        if data.get("identifier_value") and not data.get("identifier_kind"):
            self.add_error("identifier_kind", _("Select the kind of online identifier"))
        if data.get("identifier_kind") and not data.get("identifier_value"):
            self.add_error("identifier_value", _("Enter the online identifier, or choose None"))
        return data


class PersonEditForm(PersonDetailsForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked: this is not the same person as the possible matches shown"),
        required=False,
    )


class AliasForm(forms.Form):
    given_name = _text(
        _("Given name"),
        100,
        required_message=_("Enter the given name of the alias"),
        autocomplete="off",
        spellcheck="false",
    )
    family_name = _text(
        _("Family name"),
        100,
        required_message=_("Enter the family name of the alias"),
        autocomplete="off",
        spellcheck="false",
    )


class AddressForm(forms.Form):
    line1 = _text(
        _("Address line 1"),
        200,
        required_message=_("Enter address line 1, typically the building and street"),
        autocomplete="off",
    )
    line2 = _text(_("Address line 2 (optional)"), 200, required=False, autocomplete="off")
    town = _text(
        _("Town or city"), 100, required_message=_("Enter the town or city"), autocomplete="off"
    )
    postcode = _text(
        _("Postcode"),
        10,
        required_message=_("Enter the postcode"),
        autocomplete="off",
        spellcheck="false",
    )
    valid_from = _date(
        _("Lived here from"),
        required=True,
        required_message=_("Enter the date the person started living at the address"),
    )
    valid_to = _date(
        _("Lived here until (optional)"),
        hint=_(
            "Leave blank if this is their current address: the previous current address will be "
            "closed the day before this one starts."
        ),
    )


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of identifier"),
        choices=IdentifierKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of identifier")},
    )
    value = _text(
        _("Identifier"),
        300,
        required_message=_("Enter the identifier"),
        autocomplete="off",
        spellcheck="false",
    )
    platform = _text(
        _("Platform or service (optional)"),
        100,
        required=False,
        hint=_("For example, the app or website the username is on."),
        autocomplete="off",
    )


class ChildLinkForm(forms.Form):
    child_name = _text(
        _("Child's name or description"),
        200,
        required_message=_("Enter the child's name, or a description if the name is not known"),
        autocomplete="off",
    )
    date_of_birth = _date(_("Child's date of birth (optional)"))
    relationship = forms.ChoiceField(
        label=_("How is the child linked to the person?"),
        choices=ChildRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the child is linked to the person")},
    )
    valid_from = _date(_("Linked from (optional)"))
    valid_to = _date(_("Linked until (optional)"))


def _reason(label, required_message, hint=None) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=hint or "",
        error_messages={"required": required_message},
    )


class AddressEndForm(forms.Form):
    valid_to = _date(
        _("Date the person moved out"),
        required=True,
        required_message=_("Enter the date the person moved out"),
        hint=_("If you know where they moved to, add the new address instead."),
    )


class AddressCorrectForm(AddressForm):
    valid_to = _date(
        _("Lived here until"),
        hint=_("Blank for their current address."),
    )
    reason = _reason(
        _("Reason for the correction"),
        _("Enter the reason for the correction"),
        hint=_("For example, the postcode was typed wrongly."),
    )


class ChildLinkEndForm(forms.Form):
    valid_to = _date(
        _("Date the link ended"),
        required=True,
        required_message=_("Enter the date the link ended"),
    )
    reason = _reason(
        _("Reason the link ended"),
        _("Enter the reason the link ended"),
        hint=_("For example, the child moved out of the household, or contact stopped."),
    )


class AliasRemoveForm(forms.Form):
    reason = _reason(
        _("Reason for removing the alias"),
        _("Enter the reason for removing the alias"),
        hint=_("For example, it was recorded in error."),
    )


class IdentifierRemoveForm(forms.Form):
    reason = _reason(
        _("Reason for removing the identifier"),
        _("Enter the reason for removing the identifier"),
        hint=_("For example, it was recorded in error, or belongs to someone else."),
    )


class RestrictForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Who may see the record"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "You are always included. Everyone else who works on this team's records will see only that "
            "the record is restricted."
        ),
        error_messages={
            "invalid_choice": _("Select people from the list"),
            "invalid_pk_value": _("Select people from the list"),
        },
    )
    reason = forms.CharField(
        label=_("Reason for the restriction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter the reason for restricting the record")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = candidates
        self.fields["users"].label_from_instance = lambda u: f"{u.full_name} ({u.email})"


class UnrestrictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing the restriction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter the reason for removing the restriction")},
    )


class RestrictionReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the restriction still needed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter why the restriction is still needed")},
    )
