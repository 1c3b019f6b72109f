"""Staff, posts, abstractions, wellbeing screening and training of POLIT and MOSOVO teams.

Values a figure depends on keep their history: a team's establishment and a person's
hours are effective-dated rows (the row in force at a moment is the latest one whose
`effective_from` is not after it), and a staff record carries its start and leave dates
in the team. Wellbeing rows hold dates and attendance only, never clinical content.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.accounts.choices import Rank
from vigil.core.models import BaseModel
from vigil.workforce.choices import AbstractionReason, Attendance, StaffRole

USER = settings.AUTH_USER_MODEL


class StaffRecord(BaseModel):
    """One person's time in a POLIT or MOSOVO team: role, grade and dates (their hours and
    scope flags are effective-dated StaffHours rows).

    A person who leaves and comes back has a second record; while `left_on` is empty
    (or after the moment) they are in post.
    """

    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="staff_records", verbose_name=_("person")
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="staff_records",
        verbose_name=_("team"),
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    grade = models.CharField(_("rank or grade"), max_length=30, choices=Rank.choices)
    started_on = models.DateField(_("started in the team"))
    left_on = models.DateField(_("left the team"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("staff record")
        verbose_name_plural = _("staff records")
        ordering = ["team__name", "user__full_name"]
        indexes = [models.Index(fields=["team", "left_on"], name="staff_team_left_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team"],
                condition=Q(left_on__isnull=True),
                name="staff_one_open_record_per_team",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("started_on")),
                name="staff_left_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.team}"


class StaffHours(BaseModel):
    """A person's terms from a date: contracted hours (FTE), protected time, and whether
    they are in scope for screening and for supervisor training. A change is a new row,
    so a figure for a past date reads the terms in force then."""

    staff = models.ForeignKey(
        StaffRecord, on_delete=models.CASCADE, related_name="hours", verbose_name=_("staff record")
    )
    effective_from = models.DateTimeField(_("in force from"))
    fte = models.DecimalField(_("full-time equivalent"), max_digits=3, decimal_places=2)
    protected_percent = models.PositiveSmallIntegerField(
        _("protected time (% of hours)"), default=0
    )
    screening_in_scope = models.BooleanField(_("in scope for wellbeing screening"), default=True)
    training_in_scope = models.BooleanField(
        _("in scope for supervisor trauma-informed training"), default=False
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("contracted hours")
        verbose_name_plural = _("contracted hours")
        ordering = ["staff", "-effective_from", "-id"]
        indexes = [models.Index(fields=["staff", "effective_from"], name="hours_staff_from_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1), name="hours_fte_between_0_and_1"
            ),
            models.CheckConstraint(
                condition=Q(protected_percent__lte=100), name="hours_protected_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fte} FTE from {self.effective_from:%Y-%m-%d}"


class Establishment(BaseModel):
    """The posts funded for a team (in FTE), from a date until the next row."""

    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="establishments",
        verbose_name=_("team"),
    )
    effective_from = models.DateTimeField(_("in force from"))
    posts = models.DecimalField(_("posts funded (FTE)"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["team", "-effective_from", "-id"]
        indexes = [
            models.Index(fields=["team", "effective_from"], name="establishment_team_from_idx")
        ]
        constraints = [models.CheckConstraint(condition=Q(posts__gte=0), name="posts_not_negative")]

    def __str__(self) -> str:
        return f"{self.team}: {self.posts} posts from {self.effective_from:%Y-%m-%d}"


class Abstraction(BaseModel):
    """Time an officer was taken away from their team's work, and its supervisor review."""

    staff = models.ForeignKey(
        StaffRecord,
        on_delete=models.PROTECT,
        related_name="abstractions",
        verbose_name=_("officer"),
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    # The same days as instants (start of the first, end of the last, Europe/London), so
    # that duties falling due during the abstraction are found by a plain comparison.
    period_start = models.DateTimeField(_("starts at"))
    period_end = models.DateTimeField(_("ends at"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=20, choices=AbstractionReason.choices)
    authorised_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("authorised by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    review_due_at = models.DateTimeField(_("review due"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_note = models.CharField(_("review note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("abstraction")
        verbose_name_plural = _("abstractions")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["team", "starts_on"], name="abstraction_team_start_idx"),
            models.Index(fields=["staff", "starts_on"], name="abstraction_staff_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="abstraction_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="abstraction_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class ScreeningAppointment(BaseModel):
    """A psychological health screening appointment: its date and whether it was kept."""

    staff = models.ForeignKey(
        StaffRecord,
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("person"),
    )
    appointment_on = models.DateField(_("appointment date"))
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.BOOKED
    )
    attended_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("screening appointment")
        verbose_name_plural = _("screening appointments")
        ordering = ["-appointment_on", "-id"]
        indexes = [models.Index(fields=["staff", "appointment_on"], name="screening_staff_idx")]

    def __str__(self) -> str:
        # No date: this text goes into the audit log, which others may read.
        return "Screening appointment"


class SupportReferral(BaseModel):
    """A referral to follow-on support after screening: dates and attendance only."""

    screening = models.ForeignKey(
        ScreeningAppointment,
        on_delete=models.PROTECT,
        related_name="support_referrals",
        verbose_name=_("screening"),
    )
    referred_on = models.DateField(_("referred on"))
    first_appointment_on = models.DateField(_("first appointment"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.BOOKED
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("referral to follow-on support")
        verbose_name_plural = _("referrals to follow-on support")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        # No date: this text goes into the audit log, which others may read.
        return "Referral to follow-on support"


class Course(BaseModel):
    """A course in the training catalogue."""

    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200)
    trauma_informed = models.BooleanField(_("trauma-informed"), default=False)
    refresh_months = models.PositiveSmallIntegerField(
        _("refresh every (months)"), null=True, blank=True
    )
    force = models.ForeignKey(
        "accounts.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["force", "title"], name="course_unique_title")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def localised_title(self) -> str:
        """The title in the language of the page."""
        from django.utils.translation import get_language

        if self.title_cy and (get_language() or "").startswith("cy"):
            return self.title_cy
        return self.title


class TrainingSession(BaseModel):
    """One running of a course, or a knowledge-sharing session (no course)."""

    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("course"),
    )
    knowledge_sharing = models.BooleanField(_("knowledge-sharing session"), default=False)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    held_on = models.DateField(_("held on"))
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["knowledge_sharing", "held_on"], name="session_kind_held_idx"),
            models.Index(fields=["team", "held_on"], name="session_team_held_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(knowledge_sharing=True) | Q(course__isnull=False),
                name="session_course_or_knowledge_sharing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course or self.topic} {self.held_on:%Y-%m-%d}"


class TrainingCompletion(BaseModel):
    """A person completing a course (or attending a knowledge-sharing session).

    `expires_on` is fixed when the record is made (completion plus the course's refresh
    period then), so a later change to the course does not rewrite past figures. A wrong
    record is withdrawn with a reason, never deleted: figures for a moment before the
    withdrawal still count it, as they did then.
    """

    staff = models.ForeignKey(
        StaffRecord,
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("person"),
    )
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("session"),
    )
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        ordering = ["-completed_on", "-id"]
        indexes = [
            models.Index(fields=["staff", "completed_on"], name="completion_staff_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "session"],
                condition=Q(withdrawn_at__isnull=True),
                name="completion_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="completion_expires_after_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.session}"
