"""Points L and M: outstanding offender-management work, and plan reviews in time."""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.assurance.evidence.common import TEAM, nominal_visible
from vigil.assurance.metrics import GapColumn, Window, declare_metric


def _then(w: Window, field_name: str):
    """The duty's `field_name` (risk level or due date) as it was at the moment: its latest
    revision by then, else (a row written without the duties services) its value now."""
    from vigil.duties.models import DutyRevision

    latest = (
        DutyRevision.objects.filter(duty_id=OuterRef("pk"), effective_at__lte=w.moment)
        .order_by("-effective_at", "-id")
        .values(field_name)[:1]
    )
    return Coalesce(Subquery(latest), F(field_name))


def _outstanding(risk: str | None):
    def denominator(w: Window):
        from vigil.duties.models import Duty
        from vigil.offenders.duty_kinds import OUTSTANDING_KINDS

        qs = Duty.objects.filter(w.existed(), w.open_at(), kind__in=OUTSTANDING_KINDS).annotate(
            risk_then=_then(w, "risk_level"), due_then=_then(w, "due_at")
        )
        return qs.filter(risk_then=risk) if risk else qs

    return denominator


def _duty_visible(user) -> Q:
    from vigil.offenders.selectors import nominals_for

    return access.teams_q(user, SUPERVISORY_ROLES) & Q(
        person__nominal__in=nominals_for(user).values("pk")
    )


DUTY_COLUMNS = (
    GapColumn("kind", "kind", _("Work")),
    GapColumn("risk", "risk_level", _("Risk level")),
    GapColumn("team", "team__name", TEAM),
    GapColumn("date", "due_at", _("Due")),
)

_L_LABELS = {
    None: _("Outstanding ARMS, plan reviews and visits not overdue (all risk levels)"),
    "very_high": _("Outstanding ARMS, plan reviews and visits not overdue (very high risk)"),
    "high": _("Outstanding ARMS, plan reviews and visits not overdue (high risk)"),
    "medium": _("Outstanding ARMS, plan reviews and visits not overdue (medium risk)"),
    "low": _("Outstanding ARMS, plan reviews and visits not overdue (low risk)"),
    "unassessed": _(
        "Outstanding ARMS, plan reviews and visits not overdue (risk not yet assessed)"
    ),
}
for _risk, _label in _L_LABELS.items():
    declare_metric(
        "outstanding_work_not_overdue" + (f"_{_risk}" if _risk else ""),
        point="L",
        label=_label,
        definition=_(
            "Of the ARMS assessments, plan reviews and home visits outstanding at the as-of "
            "date, those not yet past their due date then (the rest are overdue; the "
            "outstanding-work matrix shows by how much). Each is counted at the risk level "
            "and due date it had at the as-of date; the work of a nominal whose risk had not "
            "yet been assessed is counted apart, not as low risk."
        ),
        denominator=_outstanding(_risk),
        numerator=lambda w: Q(due_then__gte=w.moment),
        visible=_duty_visible,
        gap_columns=DUTY_COLUMNS,
        gap_link=("offenders:detail", "person__nominal__uuid"),
    )


def _reviews_due(w: Window):
    from vigil.offenders.models import Review

    return Review.objects.filter(w.existed(), w.in_period("due_at"))


declare_metric(
    "supervisor_reviews_within_month",
    point="M",
    label=_("Supervisor reviews of ARMS, plans and visits completed within one month"),
    definition=_(
        "Of the supervisor reviews of completed ARMS assessments, plans and visits that fell "
        "due in the period (one month after the work), those completed by the date due."
    ),
    denominator=_reviews_due,
    numerator=lambda w: w.done_by("reviewed_at") & Q(reviewed_at__lte=F("due_at")),
    team_field="nominal__team",
    visible=nominal_visible("nominal__"),
    gap_columns=(
        GapColumn("subject", "subject", _("Reviewing")),
        GapColumn("team", "nominal__team__name", TEAM),
        GapColumn("date", "due_at", _("Due")),
    ),
    gap_link=("offenders:detail", "nominal__uuid"),
)
