"""Demand forecast forms: they parse input; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class _ForForce(forms.Form):
    force = forms.ModelChoiceField(
        label=_("Force"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose the force the forecast is for")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the forecast")},
    )

    def __init__(self, *args, forces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = forces


class RecordsForm(_ForForce):
    """Run a forecast from the force's own records."""


class SeriesForm(_ForForce):
    file = forms.FileField(
        label=_("Yearly series (CSV)"),
        help_text=_(
            "Two columns, period_end and value: one row a year, such as 2016-03-31,52770. "
            "Years may be missing; at least five rows."
        ),
        error_messages={"required": _("Choose a CSV file of the yearly series")},
    )
