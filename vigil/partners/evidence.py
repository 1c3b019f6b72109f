"""Evidence metrics of point T, declared when the app is ready (replacing the
"not yet measurable" entry the assurance module had for it).

Each reads only what existed at the window's moment: requests recorded by then, answers
given by then, escalations made by then (see vigil.assurance.metrics.Window)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.metrics import GapColumn, Window, declare_metric
from vigil.duties.choices import EscalationLevel
from vigil.partners.choices import Direction

COLUMNS = (
    GapColumn("reference", "reference", _("Reference")),
    GapColumn("kind", "kind", _("Kind of request")),
    GapColumn("team", "police_team__name", _("Team")),
    GapColumn("state", "state", _("State")),
    GapColumn("due", "due_at", _("Due")),
)


def _visible(user) -> Q:
    from vigil.partners.selectors import request_scope

    return Q(pk__in=request_scope(user).values("pk"))


def _due(direction: str):
    def denominator(w: Window):
        from vigil.partners.models import Request

        return Request.objects.filter(w.existed(), w.in_period("due_at"), direction=direction)

    return denominator


def _answered_in_time(w: Window) -> Q:
    return w.done_by("answered_at") & Q(answered_at__lte=F("due_at"))


declare_metric(
    "partner_requests_answered_within_sla",
    point="T",
    label=_("Requests from the force to Probation answered within the agreed time"),
    definition=_(
        "Of the requests the force raised with Probation whose due time (fixed by the "
        "agreement version in force when each was raised) fell in the period, those "
        "responded to or declined with a reason by their due time."
    ),
    denominator=_due(Direction.TO_PROBATION),
    numerator=_answered_in_time,
    team_field="police_team",
    visible=_visible,
    gap_columns=COLUMNS,
    gap_link=("partners:request", "uuid"),
)
declare_metric(
    "partner_requests_to_police_answered_within_sla",
    point="T",
    label=_("Requests from Probation to the force answered within the agreed time"),
    definition=_(
        "Of the requests Probation raised with the force whose due time fell in the "
        "period, those responded to or declined with a reason by their due time."
    ),
    denominator=_due(Direction.TO_POLICE),
    numerator=_answered_in_time,
    team_field="police_team",
    visible=_visible,
    gap_columns=COLUMNS,
    gap_link=("partners:request", "uuid"),
)


def _escalation(level: int, w: Window, *, in_period: bool):
    from vigil.duties.models import Escalation

    q = Escalation.objects.filter(
        duty__kind="partners.request",
        duty__subject_id=OuterRef("uuid"),
        level=level,
        escalated_at__lte=w.moment,
    )
    if in_period:
        q = q.filter(escalated_at__gte=w.period_start, escalated_at__lt=w.period_end)
    return Exists(q)


def _escalated(w: Window):
    from vigil.partners.models import Request

    return Request.objects.filter(
        w.existed(), _escalation(EscalationLevel.SUPERVISOR, w, in_period=True)
    )


def _resolved_before_manager(w: Window) -> Q:
    return w.done_by("answered_at") & ~Q(_escalation(EscalationLevel.MANAGER, w, in_period=False))


declare_metric(
    "partner_escalations_resolved",
    point="T",
    label=_("Escalated partner requests answered before reaching the managers"),
    definition=_(
        "Of the requests (either way) first escalated to the supervisors in the period, "
        "those answered by the as-of date without having to be escalated to the managers "
        "and the agreement's owner."
    ),
    denominator=_escalated,
    numerator=_resolved_before_manager,
    team_field="police_team",
    visible=_visible,
    gap_columns=COLUMNS,
    gap_link=("partners:request", "uuid"),
)
