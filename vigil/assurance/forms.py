"""Forms of the assurance pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.assurance import trends
from vigil.assurance.choices import PointStatus, Rag, ReportFormat
from vigil.core import clock

DATE = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"invalid": _("Enter a real date, for example 2026-11-28")}


class _AsOfMixin:
    def clean_as_of(self):
        as_of = self.cleaned_data.get("as_of")
        if as_of is not None and as_of > clock.today():
            raise forms.ValidationError(_("The as-of date must be today or in the past"))
        return as_of


class _ForceMixin:
    """A choice of force, for a user who reads the figures of several (the system
    administrator: every force together, or one). Shown only when there is a choice."""

    def _force_field(self, scope) -> None:
        if scope is None:
            return
        choices = [(f.code, f.localised_name) for f in scope.choices]
        if scope.system_wide_allowed:
            choices.insert(0, ("", _("Every force")))
        if len(choices) > 1:
            self.fields["force"] = forms.ChoiceField(
                label=_("Force"), required=False, choices=choices, initial=scope.code
            )


class AsOfForm(_ForceMixin, _AsOfMixin, forms.Form):
    """The dashboard's filter: as-of date, recommendation and status (and the force)."""

    as_of = forms.DateField(
        label=_("Figures as of"),
        required=False,
        widget=DATE,
        help_text=_("Leave blank for today. For example, 2026-10-31."),
        error_messages=DATE_ERRORS,
    )
    recommendation = forms.TypedChoiceField(
        label=_("Recommendation"), required=False, coerce=int, empty_value=None, choices=()
    )
    status = forms.ChoiceField(
        label=_("Evidence status"),
        required=False,
        choices=[("", _("Any status")), *Rag.choices],
    )

    def __init__(self, *args, numbers=(), scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = [("", _("All recommendations"))] + [
            (n, n) for n in numbers
        ]
        self._force_field(scope)


class TrendForm(forms.Form):
    """The range of a point's trends, ending at the as-of date (weekly up to a year,
    monthly beyond)."""

    range = forms.ChoiceField(
        label=_("Show the trend over"),
        required=False,
        choices=[(k, label) for k, (_months, label) in trends.RANGES.items()],
        initial=trends.DEFAULT_RANGE,
    )

    def months(self) -> int:
        key = (self.cleaned_data.get("range") if self.is_valid() else "") or trends.DEFAULT_RANGE
        return trends.RANGES[key][0]


class PointForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=PointStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the point's status")},
    )
    owner_en = forms.CharField(
        label=_("Owner (English)"),
        max_length=200,
        error_messages={"required": _("Enter who owns the point")},
    )
    owner_cy = forms.CharField(
        label=_("Owner (Welsh)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "cy"}),
    )


class NarrativeForm(forms.Form):
    written_on = forms.DateField(
        label=_("Date of the update"),
        required=False,
        widget=DATE,
        help_text=_("Leave blank for today."),
        error_messages=DATE_ERRORS,
    )
    text = forms.CharField(
        label=_("Update"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("What has been done, by whom, and what is next. No personal data."),
        error_messages={"required": _("Enter the update")},
    )


class ReportForm(_ForceMixin, _AsOfMixin, forms.Form):
    as_of = forms.DateField(
        label=_("Figures as of"),
        required=False,
        widget=DATE,
        help_text=_("Leave blank for today."),
        error_messages=DATE_ERRORS,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("en", "English"), ("cy", "Cymraeg")],
        widget=forms.RadioSelect,
        initial="en",
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=ReportFormat.choices, widget=forms.RadioSelect, initial="html"
    )
    publication = forms.BooleanField(
        label=_("For publication: suppress counts from 1 to 4"),
        required=False,
        help_text=_(
            "Any count below 5, and any figure worked out from it, shows as “fewer than 5”."
        ),
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._force_field(scope)
