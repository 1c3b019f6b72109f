"""Partnership forms: they parse input; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.partners.choices import Direction, Rating, RequestKind, RequestState

ANY = [("", _("Any"))]


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of request"), required=False, choices=ANY + list(RequestKind.choices)
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=ANY + list(RequestState.choices)
    )
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=ANY + list(Direction.choices)
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class RaiseForm(forms.Form):
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=None,
        error_messages={"required": _("Choose the agreement the request is made under")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of request"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of request")},
    )
    register_reference = forms.CharField(
        label=_("Nominal's register reference"),
        max_length=30,
        help_text=_("The reference on the register (ViSOR), for example 19/123456."),
        error_messages={"required": _("Enter the nominal's register reference")},
    )
    urgent = forms.BooleanField(
        label=_("Urgent"),
        required=False,
        help_text=_("The agreement's shorter response time applies."),
    )
    details = forms.CharField(
        label=_("What are you asking for?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Enter what you are asking for")},
    )

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].label_from_instance = lambda a: a.region.localised_name
        if len(agreements) == 1:
            self.fields["agreement"].initial = agreements[0].pk


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("What you are sharing, or what was done."),
        error_messages={"required": _("Enter the response: what you are sharing")},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you declining the request?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Enter why the request is declined")},
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How good was the response?"),
        choices=[(str(v), label) for v, label in Rating.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 (poor) to 5 (excellent)")},
    )
    feedback = forms.CharField(
        label=_("Feedback (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )


class ReviewForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the review"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the date of the review"),
            "invalid": _("Enter a real date"),
        },
    )
    period_start = forms.DateField(
        label=_("Period reviewed: from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the start of the period"),
            "invalid": _("Enter a real date"),
        },
    )
    period_end = forms.DateField(
        label=_("Period reviewed: to"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the end of the period"),
            "invalid": _("Enter a real date"),
        },
    )
    police_notes = forms.CharField(
        label=_("Police notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    probation_notes = forms.CharField(
        label=_("Probation notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    actions = forms.CharField(
        label=_("Actions agreed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the actions agreed (or that none were)")},
    )
