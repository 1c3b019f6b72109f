"""Forms of the investigation pages. They parse input; every rule is in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.duties.choices import RiskLevel
from vigil.investigations.choices import (
    CheckMethod,
    CheckOutcome,
    CourtOutcome,
    DecisionKind,
    EscalationStatus,
    EscalationTrigger,
    ReassessmentTrigger,
    ReviewOutcome,
    State,
    SupportOfferStatus,
    WelfareAssessment,
)

TEXT_ROWS = {"rows": 4}
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"invalid": _("Enter a real date, for example 2026-03-27")}


def lines(text: str) -> list[str]:
    """One entry a line, blank lines ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ListFilterForm(forms.Form):
    """The filters of the investigations list (?state=&band=&mine=&external=)."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any open state")), *State.choices],
    )
    band = forms.ChoiceField(
        label=_("Risk band"), required=False, choices=[("", _("Any band")), *RiskLevel.choices]
    )
    mine = forms.BooleanField(label=_("Only investigations allocated to me"), required=False)
    external = forms.BooleanField(label=_("Only those allocated outside the team"), required=False)


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(
        label=_("What has happened?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what has happened")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [(m.to, m.label) for m in moves]


class ReassessmentTriggerForm(forms.Form):
    trigger = forms.ChoiceField(
        label=_("Why is the risk being reassessed?"),
        widget=forms.RadioSelect,
        choices=[c for c in ReassessmentTrigger.choices if c[0] != ReassessmentTrigger.INITIAL],
        error_messages={"required": _("Choose why the risk is being reassessed")},
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_("Why this decision: the evidence, the risk to children and the suspect."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    exceptional_rationale = forms.CharField(
        label=_("Exceptional circumstances (release under investigation only)"),
        help_text=_(
            "Release under investigation is used only in exceptional circumstances in these "
            "cases. Say what they are and why bail is not appropriate."
        ),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    override_rationale = forms.CharField(
        label=_("Supervisor's override: reason for enforcement without a recent reassessment"),
        help_text=_(
            "Only if the risk has not been reassessed within the policy window before an arrest "
            "or voluntary attendance. Supervisors only."
        ),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )

    welfare_assessment = forms.ChoiceField(
        label=_("Suspect welfare: has the risk of self-harm and suicide been considered?"),
        help_text=_(
            "Arrest and voluntary attendance only. Arrest for these offences is a time of "
            "high risk of self-harm and suicide."
        ),
        widget=forms.RadioSelect,
        choices=WelfareAssessment.choices,
        required=False,
    )
    welfare_measures = forms.CharField(
        label=_("Welfare measures"),
        help_text=_(
            "Required when a risk is identified: the measures taken (custody, referral, who "
            "was told)."
        ),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    bail_conditions = forms.CharField(
        label=_("Bail conditions (pre-charge bail only)"),
        help_text=_("One condition a line. Leave empty for bail without conditions."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    victim_views = forms.CharField(
        label=_("Alleged victims' views on the conditions"),
        help_text=_("Seek them before setting conditions, and record them here."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    victim_views_not_sought_reason = forms.CharField(
        label=_("Or: why the alleged victims' views were not sought"),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )

    BAIL_FIELDS = ("bail_conditions", "victim_views", "victim_views_not_sought_reason")
    WELFARE_FIELDS = ("welfare_assessment", "welfare_measures")

    def __init__(self, *args, kinds, can_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, DecisionKind(k).label) for k in kinds]
        if DecisionKind.RUI not in kinds:
            del self.fields["exceptional_rationale"]
        if not can_override or not {DecisionKind.ARREST} & set(kinds):
            del self.fields["override_rationale"]
        if DecisionKind.PRE_CHARGE_BAIL not in kinds:
            for name in self.BAIL_FIELDS:
                del self.fields[name]
        if DecisionKind.ARREST not in kinds:
            for name in self.WELFARE_FIELDS:
                del self.fields[name]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "kind": data["kind"],
            "rationale": data["rationale"],
            "exceptional_rationale": data.get("exceptional_rationale", ""),
            "override_rationale": data.get("override_rationale", ""),
            "welfare_assessment": data.get("welfare_assessment", ""),
            "welfare_measures": data.get("welfare_measures", ""),
        }
        if data["kind"] == DecisionKind.PRE_CHARGE_BAIL:
            kwargs["bail_conditions"] = lines(data.get("bail_conditions", ""))
            kwargs["victim_views"] = data.get("victim_views", "")
            kwargs["victim_views_not_sought_reason"] = data.get(
                "victim_views_not_sought_reason", ""
            )
        return kwargs


class OversightReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome of the review"),
        widget=forms.RadioSelect,
        choices=ReviewOutcome.choices,
        error_messages={"required": _("Choose the outcome of the review")},
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Required when action is required: say what, by whom and by when."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )


class AllocateForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team or unit"),
        queryset=None,
        empty_label=_("Choose a team"),
        error_messages={"required": _("Choose the team or unit to allocate it to")},
    )
    officer = forms.ModelChoiceField(
        label=_("Officer in the case (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No officer yet"),
    )

    def __init__(self, *args, teams, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda u: u.full_name


class EscalationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any")),
            ("unresolved", _("Not resolved")),
            *EscalationStatus.choices,
        ],
    )
    trigger = forms.ChoiceField(
        label=_("Trigger"),
        required=False,
        choices=[("", _("Any trigger")), *EscalationTrigger.choices],
    )


class EscalationResolveForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        help_text=_("What was done about it."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )


# --- pre-charge bail (point F) -------------------------------------------------------------


class BailExtendForm(forms.Form):
    rationale = forms.CharField(
        label=_("Grounds for the extension"),
        help_text=_(
            "Why the investigation needs more time, that it is being conducted diligently and "
            "expeditiously, and why bail remains necessary and proportionate."
        ),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )


class BailConditionsForm(forms.Form):
    add = forms.CharField(
        label=_("Conditions to add"),
        help_text=_("One condition a line."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    remove = forms.MultipleChoiceField(
        label=_("Conditions to remove"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    victim_views = forms.CharField(
        label=_("Alleged victims' views on the change"),
        help_text=_("Leave empty if you recorded their views for this change already."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    victim_views_not_sought_reason = forms.CharField(
        label=_("Or: why the alleged victims' views were not sought"),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )

    def __init__(self, *args, conditions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [(str(c.uuid), c.text) for c in conditions]
        if not conditions:
            del self.fields["remove"]


class VictimViewsForm(forms.Form):
    views = forms.CharField(
        label=_("Alleged victims' views"),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    not_sought_reason = forms.CharField(
        label=_("Or: why their views were not sought"),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )


class BailCheckForm(forms.Form):
    checked_on = forms.DateField(
        label=_("Date of the check"),
        widget=DATE_INPUT,
        error_messages={"required": _("Enter the date of the check"), **DATE_ERRORS},
    )
    checked_time = forms.TimeField(
        label=_("Time of the check"),
        help_text=_("24-hour clock, for example 14:30."),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": _("Enter the time of the check"),
            "invalid": _("Enter a real time, for example 14:30"),
        },
    )
    method = forms.ChoiceField(
        label=_("How were the conditions checked?"),
        widget=forms.RadioSelect,
        choices=CheckMethod.choices,
        error_messages={"required": _("Choose how the conditions were checked")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=CheckOutcome.choices,
        error_messages={"required": _("Choose the outcome of the check")},
    )
    breach_action = forms.CharField(
        label=_("Action taken on the breach"),
        help_text=_("Required when there was a breach: arrest for breach, warning, and so on."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs=TEXT_ROWS)
    )


class CourtApplicationForm(forms.Form):
    court = forms.CharField(
        label=_("Magistrates' court"),
        max_length=200,
        error_messages={"required": _("Enter the magistrates' court applied to")},
    )
    grounds = forms.CharField(
        label=_("Grounds of the application"),
        widget=forms.Textarea(attrs=TEXT_ROWS),
        error_messages={"required": _("Enter the grounds of the application")},
    )


class CourtDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The court's decision"),
        widget=forms.RadioSelect,
        choices=CourtOutcome.choices,
        error_messages={"required": _("Choose the court's decision")},
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=DATE_INPUT,
        error_messages={"required": _("Enter the date of the court's decision"), **DATE_ERRORS},
    )
    new_end_date = forms.DateField(
        label=_("New last day of bail"),
        help_text=_("If the extension was granted."),
        required=False,
        widget=DATE_INPUT,
        error_messages=DATE_ERRORS,
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs=TEXT_ROWS)
    )


# --- support for the suspect's family (point G) ---------------------------------------------

LANGUAGE_CHOICES = [("en", _("English")), ("cy", _("Welsh"))]


class FamilySupportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Offer of support to the family"),
        widget=forms.RadioSelect,
        choices=SupportOfferStatus.choices,
        error_messages={"required": _("Choose what happened to the offer of support")},
    )
    offered_on = forms.DateField(
        label=_("Date"),
        help_text=_(
            "The date the offer was made (or found not applicable). Leave empty for today."
        ),
        required=False,
        widget=DATE_INPUT,
        error_messages=DATE_ERRORS,
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        help_text=_("Required when not applicable: for example, the suspect lives alone."),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    leaflet_language = forms.ChoiceField(
        label=_("Leaflet given in"),
        required=False,
        choices=[("", _("No leaflet given")), *LANGUAGE_CHOICES],
    )

    def __init__(self, *args, updating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if updating:
            del self.fields["offered_on"]


NATIONAL = "national"


class SupportOrganisationForm(forms.Form):
    force = forms.ChoiceField(
        label=_("Who the organisation is listed for"),
        help_text=_(
            "Your force's own entries are shown only to your force. National organisations "
            "are shown to every force and kept by the Vigil administrators."
        ),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the force the organisation is for, or national"),
            "invalid_choice": _("Choose the force the organisation is for, or national"),
        },
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    name_cy = forms.CharField(
        label=_("Name (Welsh)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "cy"}),
    )
    description_en = forms.CharField(
        label=_("What it offers (English)"), required=False, widget=forms.Textarea(attrs=TEXT_ROWS)
    )
    description_cy = forms.CharField(
        label=_("What it offers (Welsh)"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT_ROWS, "lang": "cy"}),
    )
    website = forms.CharField(label=_("Website"), required=False, max_length=200)
    phone = forms.CharField(label=_("Telephone"), required=False, max_length=40)
    email = forms.CharField(label=_("E-mail address"), required=False, max_length=254)
    details_note = forms.CharField(
        label=_("Note on the contact details"),
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    position = forms.IntegerField(label=_("Order in the leaflet"), required=False, min_value=0)
    active = forms.BooleanField(label=_("Show in leaflets"), required=False)
    confirm_details = forms.BooleanField(
        label=_("I have checked these contact details with the organisation"), required=False
    )

    def __init__(self, *args, forces=(), national: bool = False, updating: bool = False, **kwargs):
        """`forces`: the forces the user keeps entries for; `national`: whether they may
        keep national ones (administrators). With a single choice, there is nothing to
        ask and the field is left out; on a change, an empty choice leaves the entry
        where it is."""
        super().__init__(*args, **kwargs)
        self.fields["force"].required = not updating
        self.forces = {f.code: f for f in forces}
        choices = [(code, f.localised_name) for code, f in self.forces.items()]
        if national:
            choices.insert(0, (NATIONAL, _("National: shown to every force")))
        self.only_choice = choices[0][0] if len(choices) == 1 else None
        self.only_choice_label = choices[0][1] if len(choices) == 1 else ""
        if self.only_choice is not None or not choices:
            del self.fields["force"]
        else:
            self.fields["force"].choices = choices

    def moves(self) -> bool:
        """Whether a force (or national) was chosen, rather than left as it is."""
        return bool(self.cleaned_data.get("force"))

    def chosen_force(self):
        """The chosen force (a Force; None: national)."""
        code = self.cleaned_data.get("force") or self.only_choice
        return self.forces.get(code)  # national (or, with no choice at all, refused as one)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("force", None)
        data["position"] = data.get("position") or 0
        return data
