"""Points N and O: home visits, their authorisation and dip-checks."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vigil.assurance.evidence.common import TEAM, nominal_visible
from vigil.assurance.metrics import GapColumn, Window, declare_metric


def _visits(w: Window):
    """The home visits made in the period (a visit recorded at another location is not a
    home visit, and counts in neither N nor O)."""
    from vigil.offenders.choices import VisitLocation
    from vigil.offenders.models import Visit

    return Visit.objects.filter(w.existed(), w.in_period("visited_at"), location=VisitLocation.HOME)


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


def _visit_authorised(*, in_time_only: bool):
    def numerator(w: Window) -> Q:
        from vigil.offenders.models import VisitAuthorisation

        made = VisitAuthorisation.objects.filter(
            visit_id=OuterRef("pk"), created_at__lte=w.moment
        ).exclude(rationale="")
        if in_time_only:
            # Before the visit or within the policy's hours after it
            # (`offenders.visit_authorisation_hours`, the value in force when it was made).
            made = made.filter(in_time=True)
        return Q(Exists(made))

    return numerator


declare_metric(
    "noncompliant_visits_authorised",
    point="O",
    label=_("Non-compliant visits authorised with a rationale in time"),
    definition=_(
        "Of the home visits made in the period that were announced or had fewer than two "
        "officers, those with an authorisation and its rationale recorded by the as-of date "
        "and made before the visit or within the policy's hours after it (default 24). An "
        "authorisation made later is not counted here: it is counted in the next figure."
    ),
    denominator=lambda w: _visits(w).filter(compliant=False),
    numerator=_visit_authorised(in_time_only=True),
    team_field="nominal__team",
    visible=nominal_visible("nominal__"),
    gap_columns=VISIT_COLUMNS,
    gap_link=("offenders:visit-detail", "uuid"),
)

declare_metric(
    "noncompliant_visits_authorised_at_all",
    point="O",
    label=_("Non-compliant visits authorised with a rationale, in time or late"),
    definition=_(
        "Of the same visits, those with an authorisation and its rationale recorded by the "
        "as-of date, however late it was made (Vigil's figure before the requirement's time "
        "limit was applied). The difference from the figure above is the visits authorised "
        "late."
    ),
    denominator=lambda w: _visits(w).filter(compliant=False),
    numerator=_visit_authorised(in_time_only=False),
    team_field="nominal__team",
    visible=nominal_visible("nominal__"),
    gap_columns=VISIT_COLUMNS,
    gap_link=("offenders:visit-detail", "uuid"),
)


def _authorisations(w: Window):
    from vigil.offenders.choices import VisitLocation
    from vigil.offenders.models import VisitAuthorisation

    return VisitAuthorisation.objects.filter(
        w.existed(), w.in_period("authorised_at"), visit__location=VisitLocation.HOME
    )


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
