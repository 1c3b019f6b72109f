"""Forms of the offender-management pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vigil.duties.choices import RiskLevel
from vigil.duties.forms import checkbox_group
from vigil.offenders.choices import (
    ArmsTrigger,
    DipCheckOutcome,
    Disposal,
    MappaCategory,
    MappaLevel,
    NominalStatus,
    NotificationKind,
    OrderKind,
    PlanActionCategory,
    PndResult,
    ReactiveReviewOutcome,
    ReviewOutcome,
    StaticTool,
    VisitAccess,
    VisitLocation,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# The answers to a question about what happened ("Was the visit announced?"): Welsh
# answers a past-tense question with Do / Naddo, not Ie / Na.
YES_NO = [
    ("no", pgettext_lazy("answer about the past", "No")),
    ("yes", pgettext_lazy("answer about the past", "Yes")),
]


def _radios(choices, label, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class RegisterForm(forms.Form):
    register_reference = forms.CharField(
        label=_("Register (ViSOR) reference of the person"),
        help_text=_("The person's record must already exist in Vigil."),
        max_length=30,
    )
    team = forms.ModelChoiceField(label=_("Managing team"), queryset=None, empty_label=None)
    offender_manager = forms.ModelChoiceField(
        label=_("Offender manager"), queryset=None, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=NominalStatus.choices)
    mappa_category = forms.TypedChoiceField(
        label=_("MAPPA category"), choices=MappaCategory.choices, coerce=int
    )
    mappa_level = forms.TypedChoiceField(
        label=_("MAPPA level"), choices=MappaLevel.choices, coerce=int
    )
    financial_details_held = forms.BooleanField(
        label=_("Financial details are held on the register"), required=False
    )

    def __init__(self, *args, teams, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["offender_manager"].queryset = officers


class NominalEditForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=NominalStatus.choices)
    offender_manager = forms.ModelChoiceField(
        label=_("Offender manager"), queryset=None, required=False
    )
    mappa_category = forms.TypedChoiceField(
        label=_("MAPPA category"), choices=MappaCategory.choices, coerce=int
    )
    mappa_level = forms.TypedChoiceField(
        label=_("MAPPA level"), choices=MappaLevel.choices, coerce=int
    )
    financial_details_held = forms.BooleanField(
        label=_("Financial details are held on the register"), required=False
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offender_manager"].queryset = officers


class RequirementForm(forms.Form):
    start_date = forms.DateField(
        label=_("Start date (date of conviction, finding or caution)"), widget=DATE
    )
    disposal = _radios(Disposal.choices, _("Sentence or disposal"))
    custodial_months = forms.IntegerField(
        label=_("Custodial term in months (imprisonment only)"), required=False, min_value=1
    )
    discharge_months = forms.IntegerField(
        label=_("Period of the conditional discharge in months"), required=False, min_value=1
    )
    under_18 = forms.BooleanField(label=_("Under 18 when dealt with"), required=False)
    offence = forms.CharField(label=_("Offence"), required=False, max_length=300)


class NotificationOpenForm(forms.Form):
    kind = _radios(
        [c for c in NotificationKind.choices if c[0] != NotificationKind.ANNUAL],
        _("Kind of notification"),
    )
    event_date = forms.DateField(
        label=_("Date of the event"),
        help_text=_("The date of the change, of leaving the country, or of the first stay."),
        widget=DATE,
    )
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea)


class NotificationRecordForm(forms.Form):
    notified_on = forms.DateField(label=_("Date the nominal notified"), widget=DATE)
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea)


class OrderForm(forms.Form):
    kind = _radios(OrderKind.choices, _("Kind of order"))
    description = forms.CharField(label=_("Description (other orders)"), required=False)
    court = forms.CharField(label=_("Court"), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty if the order has no end date."),
    )
    prohibitions = forms.CharField(label=_("Prohibitions"), required=False, widget=forms.Textarea)
    requirements = forms.CharField(
        label=_("Positive requirements"), required=False, widget=forms.Textarea
    )


class BreachForm(forms.Form):
    order = forms.ModelChoiceField(
        label=_("Order breached"),
        queryset=None,
        required=False,
        empty_label=_("Notification requirements"),
    )
    occurred_on = forms.DateField(label=_("Date of the breach"), widget=DATE)
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    action_taken = forms.CharField(label=_("Action taken"), required=False, widget=forms.Textarea)

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = orders


class StaticToolForm(forms.Form):
    """The parts of an ARMS record outside the instrument: reason and static tool result."""

    trigger = forms.ChoiceField(label=_("Reason for the assessment"), choices=ArmsTrigger.choices)
    static_tool = _radios(StaticTool.choices, _("Static tool used"))
    static_band = _radios(
        RiskLevel.choices,
        _("Band the static tool gave"),
        help_text=_("Enter the result the licensed tool gave: Vigil does not compute it."),
    )
    static_tool_version = forms.CharField(label=_("Version of the static tool"), max_length=40)


class PlanForm(forms.Form):
    summary = forms.CharField(label=_("Summary of the plan"), required=False, widget=forms.Textarea)
    visit_every_months = forms.IntegerField(
        label=_("Home visit every (months)"), min_value=1, max_value=24
    )
    review_due = forms.DateField(label=_("Review due"), widget=DATE)
    action_category = forms.ChoiceField(
        label=_("Action category"), choices=PlanActionCategory.choices, required=False
    )
    action_description = forms.CharField(label=_("Action"), required=False)
    action_owner = forms.CharField(label=_("Action owner"), required=False)
    action_due = forms.DateField(label=_("Action due"), required=False, widget=DATE)

    def actions(self) -> list[dict]:
        d = self.cleaned_data
        if not (d.get("action_description") or d.get("action_owner") or d.get("action_due")):
            return []
        return [
            {
                "category": d.get("action_category"),
                "description": d.get("action_description"),
                "owner": d.get("action_owner"),
                "due_date": d.get("action_due"),
            }
        ]

    def add_service_error(self, field, message):
        name = field.replace("actions.0.", "action_").replace("action_due_date", "action_due")
        self.add_error(name if name in self.fields else None, message)


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(
        label=_("Date and time of the visit"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    location = _radios(VisitLocation.choices, _("Where did the visit take place?"))
    announced = _radios(YES_NO, _("Was the visit announced?"))
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers present"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the officers present")},
    )
    access = _radios(VisitAccess.choices, _("Access"))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea)
    concerns = forms.CharField(label=_("Concerns"), required=False, widget=forms.Textarea)
    intelligence_submitted = forms.BooleanField(label=_("Intelligence submitted"), required=False)
    notification_checked = forms.BooleanField(
        label=_("Notification details checked"), required=False
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        self.fields["officers"].label_from_instance = lambda u: u.full_name

    def officers_group(self) -> dict:
        """The officers as GOV.UK checkboxes (see duties.forms.checkbox_group)."""
        return checkbox_group(self["officers"])


class AuthoriseForm(forms.Form):
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea,
        error_messages={"required": _("Give the rationale for the authorisation")},
    )


class ReviewForm(forms.Form):
    outcome = _radios(ReviewOutcome.choices, _("Outcome"))
    actions = forms.CharField(
        label=_("Actions or comments"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Required when you return it."),
    )


class IntelligenceForm(forms.Form):
    received_on = forms.DateField(label=_("Date received"), widget=DATE)
    source = forms.CharField(label=_("Source"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea)


class IntelligenceReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What does it mean for managing the risk?"), widget=forms.Textarea
    )
    arms_needed = forms.BooleanField(
        label=_("It calls for a fresh ARMS assessment"), required=False
    )


class DipCheckForm(forms.Form):
    outcome = _radios(DipCheckOutcome.choices, _("Your view of the authorisation"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea)


class PndCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Date of the check"), widget=DATE)
    officer = forms.ModelChoiceField(label=_("Officer who made the check"), queryset=None)
    result = _radios(PndResult.choices, _("Result"))
    summary = forms.CharField(
        label=_("Summary of what was found"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Required when information was found."),
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda u: u.full_name


class PndAssessForm(forms.Form):
    action_taken = forms.CharField(
        label=_("Assessment and action taken"),
        help_text=_("What the result means for managing the risk, and what was done."),
        widget=forms.Textarea,
    )


class ReactiveRequestForm(forms.Form):
    proposal = forms.CharField(
        label=_("Why do you propose reactive management?"), widget=forms.Textarea
    )


DECISIONS = [("approve", _("Approve reactive management")), ("decline", _("Decline"))]


class ModeDecisionForm(forms.Form):
    decision = _radios(DECISIONS, _("Your decision"))
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea,
        error_messages={"required": _("Give the rationale for the decision")},
    )


class ReactiveReviewForm(forms.Form):
    outcome = _radios(ReactiveReviewOutcome.choices, _("Outcome of the review"))
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea,
        error_messages={"required": _("Give the rationale for the review")},
    )


class ReturnActiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the nominal return to active management?"), widget=forms.Textarea
    )


class TransferRequestForm(forms.Form):
    to_force = forms.ModelChoiceField(label=_("Force to transfer the management to"), queryset=None)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)

    def __init__(self, *args, forces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_force"].queryset = forces
        self.fields["to_force"].label_from_instance = lambda f: f.name


class TransferAcceptForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Receiving team"), queryset=None, empty_label=None)
    offender_manager = forms.ModelChoiceField(label=_("Offender manager"), queryset=None)

    def __init__(self, *args, teams, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda t: t.name
        self.fields["offender_manager"].queryset = officers
        self.fields["offender_manager"].label_from_instance = lambda u: u.full_name


class TransferDeclineForm(forms.Form):
    decision_reason = forms.CharField(
        label=_("Why is the transfer declined?"), widget=forms.Textarea
    )
