"""Point A: referrals risk-assessed and graded before allocation, and seen by target."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.evidence.common import TEAM
from vigil.assurance.metrics import GapColumn, Window, declare_metric

# --- A: referrals --------------------------------------------------------------------------


def _referral_visible(user) -> Q:
    from vigil.referrals.selectors import referral_scope

    return Q(pk__in=referral_scope(user).values("pk"))


def _not_linked_then(w: Window) -> Q:
    """Not linked to an earlier referral at the moment (a referral linked later still
    counts for the dates before it was linked)."""
    return Q(linked_at__isnull=True) | Q(linked_at__gt=w.moment)


def _referrals_received(w: Window):
    from vigil.referrals.models import Referral

    return Referral.objects.filter(w.existed(), w.in_period("received_at"), _not_linked_then(w))


def _graded_before_allocation(w: Window) -> Q:
    return (
        ~Q(priority="")
        & w.done_by("graded_at")
        & (Q(allocated_at__isnull=True) | Q(allocated_at__gte=F("graded_at")))
    )


REFERRAL_COLUMNS = (
    GapColumn("reference", "source_reference", _("Reference")),
    GapColumn("team", "team__name", TEAM),
    GapColumn("status", "status", _("Status")),
    GapColumn("date", "received_at", _("Received")),
)

declare_metric(
    "referrals_assessed_before_allocation",
    point="A",
    label=_("Referrals risk-assessed and graded before allocation"),
    definition=_(
        "Of the referrals received in the period (not linked to an earlier referral by the "
        "as-of date), those with a completed risk assessment and a priority grade by the "
        "as-of date, made before any allocation."
    ),
    denominator=_referrals_received,
    numerator=_graded_before_allocation,
    visible=_referral_visible,
    gap_columns=REFERRAL_COLUMNS,
    gap_link=("referrals:detail", "uuid"),
    force_field="force",
)


def _referrals_target_due(w: Window):
    from vigil.referrals.models import Referral

    closed_untouched = Q(
        closed_at__isnull=False, closed_at__lte=F("target_at"), actioned_at__isnull=True
    )
    return (
        Referral.objects.filter(w.existed(), w.done_by("graded_at"), w.in_period("target_at"))
        .filter(_not_linked_then(w))
        .exclude(closed_untouched)
    )


declare_metric(
    "referrals_actioned_within_target",
    point="A",
    label=_("Referrals actioned within their priority's target time"),
    definition=_(
        "Of the graded referrals whose target time (set from the priority and the policy in "
        "force at grading) fell in the period, those first actioned by it. A referral closed "
        "before its target without action is not counted."
    ),
    denominator=_referrals_target_due,
    numerator=lambda w: w.done_by("actioned_at") & Q(actioned_at__lte=F("target_at")),
    visible=_referral_visible,
    gap_columns=(
        GapColumn("reference", "source_reference", _("Reference")),
        GapColumn("team", "team__name", TEAM),
        GapColumn("priority", "priority", _("Priority")),
        GapColumn("date", "target_at", _("Target")),
    ),
    gap_link=("referrals:detail", "uuid"),
    force_field="force",
)
