"""Forms of the workforce pages: they parse input; the services validate across rows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.choices import Rank
from vigil.workforce.choices import AbstractionReason, Attendance, StaffRole

DATE_HINT = _("For example, 2026-11-02.")
DATE_ERRORS = {"invalid": _("Enter a real date, for example 2026-11-02")}


def _date(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=DATE_HINT,
        error_messages={**DATE_ERRORS, "required": _("Enter the date")},
    )


class StaffCreateForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        error_messages={"required": _("Choose the person")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=StaffRole.choices,
        error_messages={"required": _("Choose a role")},
    )
    grade = forms.ChoiceField(
        label=_("Rank or grade"),
        choices=Rank.choices,
        error_messages={"required": _("Choose a rank or grade")},
    )
    started_on = _date(_("Started in the team"))
    fte = forms.DecimalField(
        label=_("Full-time equivalent"),
        min_value=0.01,
        max_value=1,
        decimal_places=2,
        help_text=_("1 for full time; 0.6 for three days a week."),
        error_messages={
            "required": _("Enter the FTE"),
            "invalid": _("Enter the FTE as a number, for example 0.8"),
        },
    )
    protected_percent = forms.IntegerField(
        label=_("Protected time (% of hours)"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("Time kept from casework: tutoring, a staff association role."),
        error_messages={"required": _("Enter the protected time, or 0")},
    )
    screening_in_scope = forms.BooleanField(
        label=_("In scope for wellbeing screening"), required=False, initial=True
    )
    training_in_scope = forms.BooleanField(
        label=_("In scope for supervisor trauma-informed training"), required=False
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.email})"


class HoursForm(forms.Form):
    fte = StaffCreateForm.base_fields["fte"]
    protected_percent = StaffCreateForm.base_fields["protected_percent"]
    screening_in_scope = StaffCreateForm.base_fields["screening_in_scope"]
    training_in_scope = StaffCreateForm.base_fields["training_in_scope"]
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        error_messages={"required": _("Enter the reason for the change")},
    )


class LeaveForm(forms.Form):
    left_on = _date(_("Left the team on"))


class EstablishmentForm(forms.Form):
    posts = forms.DecimalField(
        label=_("Posts funded (FTE)"),
        min_value=0,
        max_value=9999,
        decimal_places=2,
        error_messages={
            "required": _("Enter the posts funded"),
            "invalid": _("Enter the posts funded as a number"),
        },
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        error_messages={"required": _("Enter the reason for the change")},
    )


class AbstractionForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("Officer"), queryset=None, error_messages={"required": _("Choose the officer")}
    )
    starts_on = _date(_("From"))
    ends_on = _date(_("To"))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=0.1,
        max_value=2000,
        decimal_places=1,
        error_messages={
            "required": _("Enter the hours"),
            "invalid": _("Enter the hours as a number more than 0"),
        },
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "")] + list(AbstractionReason.choices),
        error_messages={"required": _("Choose the reason for the abstraction")},
    )
    authorised_by = forms.ModelChoiceField(
        label=_("Authorised by"),
        queryset=None,
        error_messages={"required": _("Choose who authorised it")},
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args, staff, authorisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: s.user.full_name
        self.fields["authorised_by"].queryset = authorisers
        self.fields["authorised_by"].label_from_instance = lambda u: u.full_name


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What the review found"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Enter what the review found")},
    )


class ScreeningBookForm(forms.Form):
    appointment_on = _date(_("Appointment date"))


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=[c for c in Attendance.choices if c[0] != Attendance.BOOKED],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose attended, did not attend or cancelled")},
    )


class SupportReferForm(forms.Form):
    referred_on = _date(_("Referred on"))
    first_appointment_on = _date(_("First appointment (if known)"), required=False)


class SupportAttendanceForm(forms.Form):
    first_appointment_on = _date(_("First appointment"), required=False)
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the attendance")},
    )


class CourseForm(forms.Form):
    title = forms.CharField(
        label=_("Title in English"),
        max_length=200,
        error_messages={"required": _("Enter the course title in English")},
    )
    title_cy = forms.CharField(
        label=_("Title in Welsh"),
        max_length=200,
        error_messages={"required": _("Enter the course title in Welsh")},
    )
    trauma_informed = forms.BooleanField(
        label=_("Trauma-informed (counts for the supervisors' training figure)"), required=False
    )
    refresh_months = forms.IntegerField(
        label=_("Refresh every (months)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Leave empty for a course done once that does not expire."),
        error_messages={
            "invalid": _("Enter the refresh period as a whole number of months from 1 to 120"),
            "min_value": _("Enter the refresh period as a whole number of months from 1 to 120"),
            "max_value": _("Enter the refresh period as a whole number of months from 1 to 120"),
        },
    )

    def __init__(self, *args, forces=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A manager in more than one force chooses whose catalogue the course joins.
        if forces is not None and len(forces) > 1:
            self.fields["force"] = forms.ModelChoiceField(
                label=_("Force"),
                queryset=forces,
                error_messages={"required": _("Choose the force")},
            )


class SessionForm(forms.Form):
    KIND_CHOICES = [
        ("training", _("A running of a course")),
        ("knowledge_sharing", _("A knowledge-sharing session")),
    ]
    kind = forms.ChoiceField(
        label=_("Kind of session"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of session")},
    )
    course = forms.ModelChoiceField(
        label=_("Course (for a running of a course)"),
        queryset=None,
        required=False,
    )
    topic = forms.CharField(
        label=_("Topic (for a knowledge-sharing session)"), max_length=200, required=False
    )
    held_on = _date(_("Date"))
    facilitator = forms.CharField(
        label=_("Facilitator"),
        max_length=200,
        help_text=_("Who leads it: a name, or the organisation that delivers the course."),
        error_messages={"required": _("Enter who facilitates the session")},
    )
    team = forms.ModelChoiceField(
        label=_("Hosting team"),
        queryset=None,
        error_messages={"required": _("Choose the hosting team")},
    )

    def __init__(self, *args, courses, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = lambda c: c.localised_title
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda t: t.localised_name

    def clean(self):
        # Named with the other errors, so that one submission shows every problem.
        data = super().clean()
        if data.get("kind") == "knowledge_sharing" and not (data.get("topic") or "").strip():
            self.add_error("topic", _("Enter the topic of the knowledge-sharing session"))
        if data.get("kind") == "training" and not data.get("course"):
            self.add_error("course", _("Choose the course"))
        return data


class TrainingAttendanceForm(forms.Form):
    staff = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person who attended")},
    )
    completed_on = _date(_("Completed on (if not the session's date)"), required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: (
            f"{s.user.full_name} ({s.team.localised_name})"
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the record withdrawn?"),
        max_length=300,
        help_text=_("For example: recorded against the wrong person."),
        error_messages={"required": _("Enter why the record is withdrawn")},
    )
