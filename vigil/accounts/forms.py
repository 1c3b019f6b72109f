from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.accounts.models import Force, Team, User


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@police.uk"),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("The 6-digit code your authenticator app shows for Vigil."),
        error_messages={
            "required": _("Enter the 6-digit code"),
            "invalid": _("Enter the code as 6 digits, like 123456"),
        },
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class ApiTokenForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User the token acts as"),
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        help_text=_("The token has exactly this user's access. Create a user for each system."),
        error_messages={"required": _("Select the user the token acts as")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Which system uses it, for example: force data warehouse."),
        error_messages={"required": _("Enter a name for the token")},
    )


class UserCreateForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter the user's full name")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter the user's e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@police.uk"),
        },
    )
    collar_number = forms.CharField(
        label=_("Collar or staff number (optional)"), max_length=20, required=False
    )
    rank = forms.ChoiceField(
        label=_("Rank or grade"),
        choices=Rank.choices,
        error_messages={"required": _("Select the rank or grade")},
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.select_related("force"),
        error_messages={"required": _("Select the team")},
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, error_messages={"required": _("Select the role")}
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=Scope.choices,
        initial=Scope.TEAM,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how far the role reaches")},
    )
    password = forms.CharField(
        label=_("Temporary password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters, not a common password. Give it to the user in person."
        ),
        error_messages={"required": _("Enter a temporary password")},
    )


class MembershipForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.select_related("force"),
        error_messages={"required": _("Select the team")},
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, error_messages={"required": _("Select the role")}
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=Scope.choices,
        initial=Scope.TEAM,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how far the role reaches")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason")},
    )


class TeamCreateForm(forms.Form):
    force = forms.ModelChoiceField(
        label=_("Force"),
        queryset=Force.objects.all(),
        error_messages={"required": _("Select the force")},
    )
    name = forms.CharField(
        label=_("Name in English"),
        max_length=200,
        error_messages={"required": _("Enter the team's name")},
    )
    name_cy = forms.CharField(
        label=_("Name in Welsh (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "cy"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of team"),
        choices=TeamKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of team")},
    )
