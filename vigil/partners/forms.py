"""Partnership forms: they parse input; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.partners.choices import Direction, Rating, RequestKind, RequestState, TimeUnit

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


# --- setting up -------------------------------------------------------------------------


class RegionForm(forms.Form):
    force = forms.ModelChoiceField(
        label=_("Force"),
        queryset=None,
        error_messages={"required": _("Choose the force the region works with")},
    )
    name = forms.CharField(
        label=_("Name of the probation region"),
        max_length=150,
        help_text=_("For example, Wales."),
        error_messages={
            "required": _("Enter the region's name"),
            "max_length": _("Enter a name of 150 characters or fewer"),
        },
    )
    name_cy = forms.CharField(
        label=_("Name in Welsh (optional)"),
        max_length=150,
        required=False,
        help_text=_("For example, Cymru."),
        error_messages={"max_length": _("Enter a name of 150 characters or fewer")},
    )

    def __init__(self, *args, forces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = forces
        self.fields["force"].label_from_instance = lambda f: f.localised_name
        if len(forces) == 1:
            self.fields["force"].initial = forces[0].pk


class PractitionerForm(forms.Form):
    email = forms.EmailField(
        label=_("Practitioner's email address"),
        help_text=_("The email address of their Vigil account."),
        error_messages={
            "required": _("Enter the practitioner's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )


class TermsForm(forms.Form):
    """The response times of a version: for each direction and kind of request, the time
    and its unit, and the urgent time and its unit (fields `<direction>__<kind>__<part>`)."""

    UNITS = TimeUnit.choices

    def __init__(self, *args, initial_terms: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.term_keys = []
        for term in initial_terms:
            key = f"{term['direction']}__{term['kind']}"
            self.term_keys.append((term["direction"], term["kind"], key))
            where = {
                "kind": RequestKind(term["kind"]).label,
                "direction": Direction(term["direction"]).label,
            }
            number_error = _(
                "Enter the response time for %(kind)s (%(direction)s) as a whole number "
                "from 1 to 999"
            )
            urgent_error = _(
                "Enter the urgent response time for %(kind)s (%(direction)s) as a whole "
                "number from 1 to 999"
            )
            for part, initial, message in (
                ("amount", term["amount"], number_error),
                ("urgent_amount", term["urgent_amount"], urgent_error),
            ):
                errors = dict.fromkeys(
                    ("required", "invalid", "min_value", "max_value"), message % where
                )
                self.fields[f"{key}__{part}"] = forms.IntegerField(
                    label=_("Response time") if part == "amount" else _("Urgent response time"),
                    min_value=1,
                    max_value=999,
                    initial=initial,
                    error_messages=errors,
                )
            for part, initial in (("unit", term["unit"]), ("urgent_unit", term["urgent_unit"])):
                self.fields[f"{key}__{part}"] = forms.ChoiceField(
                    label=_("Unit"),
                    choices=self.UNITS,
                    initial=initial,
                    error_messages={
                        "required": _("Choose working days or hours"),
                        "invalid_choice": _("Choose working days or hours"),
                    },
                )

    def rows(self, direction: str):
        for d, kind, key in self.term_keys:
            if d != direction:
                continue
            yield {
                "label": RequestKind(kind).label,
                "pairs": [
                    (self[f"{key}__amount"], self[f"{key}__unit"]),
                    (self[f"{key}__urgent_amount"], self[f"{key}__urgent_unit"]),
                ],
            }

    def directions(self):
        return [
            {"label": d.label, "rows": list(self.rows(d.value))}
            for d in Direction
            if any(k[0] == d.value for k in self.term_keys)
        ]

    def terms(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "kind": kind,
                "direction": d,
                "amount": data[f"{key}__amount"],
                "unit": data[f"{key}__unit"],
                "urgent_amount": data[f"{key}__urgent_amount"],
                "urgent_unit": data[f"{key}__urgent_unit"],
            }
            for d, kind, key in self.term_keys
        ]


class AgreementForm(TermsForm):
    police_owner = forms.ModelChoiceField(
        label=_("Police owner"),
        queryset=None,
        help_text=_("A supervisor or manager of the force: the top of the police escalation."),
        error_messages={"required": _("Choose the police owner of the agreement")},
    )
    probation_owner = forms.ModelChoiceField(
        label=_("Probation owner"),
        queryset=None,
        help_text=_("A practitioner of the region: the top of the Probation escalation."),
        error_messages={"required": _("Choose the probation owner of the agreement")},
    )
    started_on = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the date the agreement starts"),
            "invalid": _("Enter a real date, for example 2026-12-01"),
        },
    )
    first_review_on = forms.DateField(
        label=_("First review (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave blank for the policy's interval after the start."),
        error_messages={"invalid": _("Enter a real date, for example 2026-12-01")},
    )

    def __init__(self, *args, police, probation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_owner"].queryset = police
        self.fields["police_owner"].label_from_instance = lambda u: u.full_name
        self.fields["probation_owner"].queryset = probation
        self.fields["probation_owner"].label_from_instance = lambda u: u.full_name


class VersionForm(TermsForm):
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Requests raised before this date keep the terms they were raised under."),
        error_messages={
            "required": _("Enter the date the new version comes into force"),
            "invalid": _("Enter a real date, for example 2026-12-01"),
        },
    )
    notes = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter what changed in this version")},
    )
