"""The evidence metrics of points D, K, R and S (see vigil.assurance.metrics).

Every value a figure depends on is read as it stood at the window's moment: staff in
post by their start and leave dates, FTE and protected time from the hours row in force,
the weights and thresholds from the policies in force, duties open at the moment. The
drill-down lists staff (or teams), never nominals.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.metrics import GapColumn, Metric, Window, declare_metric
from vigil.workforce.selectors import abstractions as abstraction_selectors
from vigil.workforce.selectors import workload
from vigil.workforce.selectors.staff import VIEW_ROLES, WORKFORCE_TEAM_KINDS, workforce_teams

TEAM = _("Team")
OFFICER = _("Officer")


def _visible_staff(user) -> Q:
    return Q(team__in=workforce_teams(user=user, roles=VIEW_ROLES))


def _visible_teams(user) -> Q:
    return Q(pk__in=workforce_teams(user=user, roles=VIEW_ROLES).values("pk"))


# --- D: workload -------------------------------------------------------------------------


def _caseload_officers(w: Window):
    return workload.annotate_workload(workload.caseload_staff(moment=w.moment), w.moment)


declare_metric(
    "officers_within_workload_threshold",
    point="D",
    label=_("Officers within the manageable-workload threshold"),
    definition=_(
        "Of the investigators, offender managers and supervisors in post in POLIT and MOSOVO "
        "teams at the as-of date, those whose weighted workload (nominals by risk level and "
        "management mode, open investigations by priority and stage, referrals in triage "
        "and open duties, weighted by policy) is no more than their role's manageable "
        "threshold, reduced for part-time hours and protected time."
    ),
    denominator=_caseload_officers,
    numerator=lambda w: workload.within_threshold_q(),
    team_field="team",
    visible=_visible_staff,
    gap_columns=(
        GapColumn("officer", "user__full_name", OFFICER),
        GapColumn("team", "team__name", TEAM),
        GapColumn("points", "points", _("Points")),
        GapColumn("capacity", "capacity", _("Capacity")),
    ),
    gap_link=("workforce:staff", "uuid"),
)


def _teams(w: Window):
    from vigil.accounts.models import Team

    teams = Team.objects.filter(kind__in=WORKFORCE_TEAM_KINDS, created_at__lte=w.moment)
    return workload.annotate_demand(teams, w.moment)


declare_metric(
    "teams_demand_within_capacity",
    point="D",
    label=_("POLIT and MOSOVO teams whose demand is within their capacity"),
    definition=_(
        "Of the POLIT and MOSOVO teams, those whose demand (the weighted points of all their "
        "work at the as-of date, allocated or not) is no more than their capacity (the sum "
        "of their people's manageable thresholds, reduced for hours and protected time)."
    ),
    denominator=_teams,
    numerator=lambda w: workload.demand_within_capacity_q(),
    team_field="pk",
    # The row is the team itself: its force is `force` (where the engine knows forces).
    **({"force_field": "force"} if "force_field" in Metric.__dataclass_fields__ else {}),
    visible=_visible_teams,
    gap_columns=(
        GapColumn("team", "name", TEAM),
        GapColumn("demand", "demand", _("Demand (points)")),
        GapColumn("capacity", "capacity", _("Capacity (points)")),
    ),
    gap_link=("workforce:team", "uuid"),
)

# --- K: abstractions ---------------------------------------------------------------------

ABSTRACTION_COLUMNS = (
    GapColumn("officer", "staff__user__full_name", OFFICER),
    GapColumn("team", "team__name", TEAM),
    GapColumn("reason", "reason", _("Reason")),
    GapColumn("date", "starts_on", _("From")),
)


def _reviews_due(w: Window):
    from vigil.workforce.models import Abstraction

    return Abstraction.objects.filter(w.existed(), w.in_period("review_due_at"))


declare_metric(
    "abstractions_reviewed",
    point="K",
    label=_("Abstractions reviewed by a supervisor in time"),
    definition=_(
        "Of the abstractions whose review deadline (the policy's days after the abstraction "
        "ended) fell in the period and had passed by the as-of date, those reviewed by a "
        "supervisor by the deadline."
    ),
    denominator=_reviews_due,
    numerator=lambda w: w.done_by("reviewed_at") & Q(reviewed_at__lte=F("review_due_at")),
    visible=_visible_staff,
    gap_columns=ABSTRACTION_COLUMNS,
    gap_link=("workforce:abstraction", "uuid"),
)


def _officers_with_recent(w: Window):
    _limit, window_days = abstraction_selectors.repeat_settings(w.moment)
    return workload.caseload_staff(moment=w.moment).annotate(
        recent_abstractions=abstraction_selectors.recent_abstractions(w.moment, window_days)
    )


def _within_repeat_limit(w: Window) -> Q:
    limit, _days = abstraction_selectors.repeat_settings(w.moment)
    return Q(recent_abstractions__lte=limit)


declare_metric(
    "officers_within_abstraction_limit",
    point="K",
    label=_("Officers not abstracted more than the repeat limit"),
    definition=_(
        "Of the investigators, offender managers and supervisors in post at the as-of date, "
        "those with no more abstractions beginning in the repeat window before it than the "
        "policy allows (default: no more than 2 in 90 days)."
    ),
    denominator=_officers_with_recent,
    numerator=_within_repeat_limit,
    visible=_visible_staff,
    gap_columns=(
        GapColumn("officer", "user__full_name", OFFICER),
        GapColumn("team", "team__name", TEAM),
        GapColumn("abstractions", "recent_abstractions", _("Abstractions in the window")),
    ),
    gap_link=("workforce:staff", "uuid"),
)


def _abstractions_ended(w: Window):
    from vigil.workforce.models import Abstraction

    return Abstraction.objects.filter(w.existed(), w.in_period("period_end"))


declare_metric(
    "abstractions_without_overdue_work",
    point="K",
    label=_("Abstractions during which none of the officer's duties fell overdue"),
    definition=_(
        "Of the abstractions that ended in the period, those during which no duty assigned "
        "to the officer fell due and was left undone past its due time. The others are the "
        "abstractions whose overdue work is attributable to the abstraction period."
    ),
    denominator=_abstractions_ended,
    numerator=lambda w: ~abstraction_selectors.overdue_during(w.moment),
    visible=_visible_staff,
    gap_columns=ABSTRACTION_COLUMNS,
    gap_link=("workforce:abstraction", "uuid"),
)

# --- R: wellbeing screening --------------------------------------------------------------

STAFF_COLUMNS = (
    GapColumn("name", "user__full_name", _("Name")),
    GapColumn("team", "team__name", TEAM),
)


def _in_scope(w: Window):
    from vigil.workforce.selectors.wellbeing import in_scope_at

    return in_scope_at(w.moment)


def _screened(w: Window):
    from vigil.workforce.selectors.wellbeing import interval_months, screened_since

    return Q(screened_since(w.moment, interval_months(w.moment)))


# The drill-down names who is out of date and their team: never a date (a supervisor may
# know that a screening is due, nothing more).
declare_metric(
    "staff_screened_annually",
    point="R",
    label=_("In-scope staff given psychological health screening in the last 12 months"),
    definition=_(
        "Of the people in post in POLIT and MOSOVO teams at the as-of date and in scope for "
        "screening then, those who attended a screening appointment in the policy's months "
        "(default 12) before it."
    ),
    denominator=_in_scope,
    numerator=_screened,
    visible=_visible_staff,
    gap_columns=STAFF_COLUMNS,
    # The staff page, which shows a supervisor "due" or "in date" and never a date.
    gap_link=("workforce:staff", "uuid"),
)


def _supervisors_in_scope(w: Window):
    from vigil.workforce.choices import SUPERVISING_ROLES

    return _in_scope(w).filter(role__in=SUPERVISING_ROLES)


declare_metric(
    "supervisors_screened_annually",
    point="R",
    label=_("In-scope supervisors given psychological health screening in the last 12 months"),
    definition=_("As the staff figure, for supervisors and managers only."),
    denominator=_supervisors_in_scope,
    numerator=_screened,
    visible=_visible_staff,
    gap_columns=STAFF_COLUMNS,
    # The staff page, which shows a supervisor "due" or "in date" and never a date.
    gap_link=("workforce:staff", "uuid"),
)

# --- S: trauma-informed training and knowledge sharing -----------------------------------


def _training_scope(w: Window):
    from vigil.workforce.selectors.training import training_scope_at

    return training_scope_at(w.moment)


def _trained(w: Window):
    from vigil.workforce.selectors.training import ti_in_date

    return Q(ti_in_date(w.moment))


declare_metric(
    "supervisors_trauma_training_in_date",
    point="S",
    label=_("In-scope supervisors with in-date trauma-informed training"),
    definition=_(
        "Of the people in post in POLIT and MOSOVO teams at the as-of date and in scope for "
        "supervisor training then, those with a trauma-informed course completed on or "
        "before the as-of date and expiring after it (or never), recorded by then and not "
        "withdrawn by then. Training counts wherever the person did it in the force."
    ),
    denominator=_training_scope,
    numerator=_trained,
    visible=_visible_staff,
    gap_columns=STAFF_COLUMNS,
    gap_link=("workforce:training-staff", "uuid"),
)


def _shared(w: Window):
    from vigil.workforce.selectors.training import attended_knowledge_sharing

    return Q(attended_knowledge_sharing(w.moment, w.start, w.as_of))


declare_metric(
    "supervisors_attended_knowledge_sharing",
    point="S",
    label=_("In-scope supervisors who attended a knowledge-sharing session in the period"),
    definition=_(
        "Of the people in post in POLIT and MOSOVO teams at the as-of date and in scope for "
        "supervisor training then, those recorded (by the as-of date, and not withdrawn by "
        "then) as attending at least one knowledge-sharing session held in the period."
    ),
    denominator=_training_scope,
    numerator=_shared,
    visible=_visible_staff,
    gap_columns=STAFF_COLUMNS,
    gap_link=("workforce:training-staff", "uuid"),
)


def _sessions_held(w: Window):
    from vigil.workforce.models import TrainingSession

    return TrainingSession.objects.filter(
        w.existed(), knowledge_sharing=True, held_on__gte=w.start, held_on__lte=w.as_of
    )


def _attended(w: Window):
    from vigil.workforce.models import TrainingCompletion
    from vigil.workforce.selectors.training import counted_at

    return Q(
        Exists(TrainingCompletion.objects.filter(counted_at(w.moment), session=OuterRef("pk")))
    )


declare_metric(
    "knowledge_sharing_sessions_attended",
    point="S",
    label=_("Knowledge-sharing sessions held in the period with attendance recorded"),
    definition=_(
        "Of the knowledge-sharing sessions held in the period (recorded by the as-of date), "
        "those with at least one attendance recorded by then. The count of sessions is the "
        "denominator; who attended is the supervisors' figure above."
    ),
    denominator=_sessions_held,
    numerator=_attended,
    visible=_visible_staff,
    gap_columns=(
        GapColumn("topic", "topic", _("Topic")),
        GapColumn("team", "team__name", TEAM),
        GapColumn("date", "held_on", _("Held on")),
    ),
    gap_link=("workforce:training-session", "uuid"),
)
