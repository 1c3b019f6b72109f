from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.accounts.models import Force, Team, User

PASSWORD_HELP = _("At least 12 characters, not a common password.")


class TeamChoiceField(forms.ModelChoiceField):
    """A team, named with its force (teams in different forces may share a name)."""

    def label_from_instance(self, obj):
        return f"{obj.localised_name} ({obj.force.localised_name})"


class ForceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.localised_name


class ScopedFormMixin:
    """Limit the team (and force) choices to what the actor administers."""

    def _limit_choices(self, actor) -> None:
        from vigil.accounts import selectors

        if "team" in self.fields:
            self.fields["team"].queryset = selectors.teams_in_reach(actor=actor)
        if "force" in self.fields:
            self.fields["force"].queryset = selectors.forces_in_reach(actor=actor)


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
        queryset=User.objects.none(),
        help_text=_("The token has exactly this user's access. Create a user for each system."),
        error_messages={"required": _("Select the user the token acts as")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Which system uses it, for example: force data warehouse."),
        error_messages={"required": _("Enter a name for the token")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("A token opens Vigil to another system: enter your own password again."),
        error_messages={"required": _("Enter your password")},
    )

    def __init__(self, *args, actor, **kwargs):
        from vigil.accounts import selectors

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.token_users(actor=actor)


class UserDetailsForm(forms.Form):
    """Who a user is: the fields an administrator gives at creation and may correct."""

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


class TemporaryPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Temporary password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters, not a common password. Give it to the user in person."
        ),
        error_messages={"required": _("Enter a temporary password")},
    )


class UserCreateForm(ScopedFormMixin, UserDetailsForm, TemporaryPasswordForm):
    field_order = ["full_name", "email", "collar_number", "rank", "team", "role", "scope"]

    team = TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
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

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_choices(actor)


class MembershipForm(ScopedFormMixin, forms.Form):
    team = TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
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

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_choices(actor)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason")},
    )


class SecondFactorResetForm(ReasonForm):
    """Resetting another user's second factor: a reason, and the administrator's own
    password again (re-authentication, ASVS 2.2 / 3.7.1)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_(
            "Resetting a second factor lets someone set up a new one: enter your own password again."
        ),
        error_messages={"required": _("Enter your password")},
    )


class TeamCreateForm(ScopedFormMixin, forms.Form):
    force = ForceChoiceField(
        label=_("Force"),
        queryset=Force.objects.none(),
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

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_choices(actor)


class ForceCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "A short name for the force in the API and in files: lower-case letters, numbers and hyphens, like dyfed-powys."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
        error_messages={"required": _("Enter the force's code")},
    )
    name = forms.CharField(
        label=_("Name in English"),
        max_length=200,
        error_messages={"required": _("Enter the force's name")},
    )
    name_cy = forms.CharField(
        label=_("Name in Welsh (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "cy"}),
    )


class UserEditForm(UserDetailsForm):
    """The user's details, as an administrator corrects them."""


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label=_("Current password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your current password")},
    )
    new_password = forms.CharField(
        label=_("New password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
        error_messages={"required": _("Enter a new password")},
    )
    confirm_password = forms.CharField(
        label=_("Confirm the new password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter the new password again")},
    )

    def clean(self):
        data = super().clean()
        new, confirm = data.get("new_password"), data.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error("confirm_password", _("The two new passwords are not the same"))
        return data
