"""Points L and M: outstanding offender-management work, and plan reviews in time."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES
from vigil.assurance.evidence.common import TEAM, nominal_visible
from vigil.assurance.metrics import GapColumn, Window, declare_metric


def _outstanding(risk: str | None):
    def denominator(w: Window):
        from vigil.duties.models import Duty
        from vigil.offenders.duty_kinds import OUTSTANDING_KINDS

        qs = Duty.objects.filter(w.existed(), w.open_at(), kind__in=OUTSTANDING_KINDS)
        return qs.filter(risk_level=risk) if risk else qs

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
}
for _risk, _label in _L_LABELS.items():
    declare_metric(
        "outstanding_work_not_overdue" + (f"_{_risk}" if _risk else ""),
        point="L",
        label=_label,
        definition=_(
            "Of the ARMS assessments, plan reviews and home visits outstanding at the as-of "
            "date, those not yet past their due date (the rest are overdue; the "
            "outstanding-work matrix shows by how much)."
        ),
        denominator=_outstanding(_risk),
        numerator=lambda w: Q(due_at__gte=w.moment),
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
