"""Forms of the assurance pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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


class AsOfForm(_AsOfMixin, forms.Form):
    """The dashboard's filter: as-of date, recommendation and status."""

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

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = [("", _("All recommendations"))] + [
            (n, n) for n in numbers
        ]


class TrendForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=DATE, error_messages=DATE_ERRORS
    )
    end = forms.DateField(label=_("To"), required=False, widget=DATE, error_messages=DATE_ERRORS)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the range must be on or after its start"))
        return data


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


class ReportForm(_AsOfMixin, forms.Form):
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
