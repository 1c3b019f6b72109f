"""Points N and O: home visits, their authorisation and dip-checks."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.evidence.common import TEAM, nominal_visible
from vigil.assurance.metrics import GapColumn, Window, declare_metric


def _visits(w: Window):
    from vigil.offenders.models import Visit

    return Visit.objects.filter(w.existed(), w.in_period("visited_at"))


VISIT_COLUMNS = (
    GapColumn("team", "nominal__team__name", TEAM),
    GapColumn("date", "visited_at", _("Visited")),
)

declare_metric(
    "visits_unannounced_in_pairs",
    point="N",
    label=_("Home visits unannounced and with two or more officers"),
    definition=_(
        "Of the home visits made in the period, those unannounced with two or more officers "
        "present (College of Policing APP)."
    ),
    denominator=_visits,
    numerator=lambda w: Q(announced=False, officer_count__gte=2),
    team_field="nominal__team",
    visible=nominal_visible("nominal__"),
    gap_columns=VISIT_COLUMNS,
    gap_link=("offenders:visit-detail", "uuid"),
)


def _visit_authorised(w: Window) -> Q:
    from vigil.offenders.models import VisitAuthorisation

    return Q(
        Exists(
            VisitAuthorisation.objects.filter(
                visit_id=OuterRef("pk"), created_at__lte=w.moment
            ).exclude(rationale="")
        )
    )


declare_metric(
    "noncompliant_visits_authorised",
    point="O",
    label=_("Non-compliant visits authorised with a rationale"),
    definition=_(
        "Of the home visits made in the period that were announced or had fewer than two "
        "officers, those with an authorisation and its rationale recorded by the as-of date."
    ),
    denominator=lambda w: _visits(w).filter(compliant=False),
    numerator=_visit_authorised,
    team_field="nominal__team",
    visible=nominal_visible("nominal__"),
    gap_columns=VISIT_COLUMNS,
    gap_link=("offenders:visit-detail", "uuid"),
)


def _authorisations(w: Window):
    from vigil.offenders.models import VisitAuthorisation

    return VisitAuthorisation.objects.filter(w.existed(), w.in_period("authorised_at"))


def _dip_checked(w: Window) -> Q:
    from vigil.offenders.models import DipCheck

    return Q(
        Exists(
            DipCheck.objects.filter(
                authorisation_id=OuterRef("pk"), checked_at__isnull=False, checked_at__lte=w.moment
            )
        )
    )


declare_metric(
    "authorisations_dip_checked",
    point="O",
    label=_("Visit authorisations dip-checked by a senior reviewer"),
    definition=_(
        "Of the authorisations of non-compliant visits made in the period, those "
        "dip-checked by a senior reviewer by the as-of date."
    ),
    denominator=_authorisations,
    numerator=_dip_checked,
    team_field="visit__nominal__team",
    visible=nominal_visible("visit__nominal__"),
    gap_columns=(
        GapColumn("team", "visit__nominal__team__name", TEAM),
        GapColumn("date", "authorised_at", _("Authorised")),
    ),
    gap_link=("offenders:visit-detail", "visit__uuid"),
)
