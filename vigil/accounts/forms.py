from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User


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
