"""Points I, P and Q: the register reconciled, reactive nominals and PND checks."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vigil.accounts import access
from vigil.assurance.evidence.common import NOMINAL_COLUMNS, nominal_visible
from vigil.assurance.evidence.nominals import TEAM_THEN, active_nominals_then, nominals_then
from vigil.assurance.metrics import GapColumn, Window, declare_metric

# --- I, P, Q: measured once the register app and the offenders app's PND checks and
# management modes are installed (built alongside this module); until then not measurable.
# A nominal's status, risk level and team are those in force at the moment (its history;
# see nominals.py).


def _register_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("vigil.register")


def _offenders_have(name: str):
    def available() -> bool:
        from vigil.offenders import models

        return hasattr(models, name)

    return available


def _register_clean(w: Window) -> Q:
    """No discrepancy open about the nominal at the moment, and its force's register
    extract reconciled by then (the register app's point I rule: no extract, no figure
    met)."""
    from vigil.offenders.history import in_force_at
    from vigil.register.choices import ExtractStatus
    from vigil.register.models import Discrepancy, ExtractForce
    from vigil.register.selectors import open_at

    # The force that managed the nominal then had a reconciled extract by then.
    reconciled_forces = ExtractForce.objects.filter(
        extract__status=ExtractStatus.COMPLETE, extract__completed_at__lte=w.moment
    ).values("force_id")
    reconciled = in_force_at(w.moment).filter(
        nominal_id=OuterRef("pk"), team__force_id__in=reconciled_forces
    )
    open_about = Discrepancy.objects.filter(open_at(w.moment), nominal_id=OuterRef("pk"))
    return Q(Exists(reconciled)) & ~Q(Exists(open_about))


declare_metric(
    "rsos_without_register_discrepancy",
    point="I",
    label=_("Active RSOs with no open discrepancy against the latest register extract"),
    definition=_(
        "Of the nominals active at the as-of date, those whose force then had a "
        "reconciled register (ViSOR) extract by then and with no discrepancy open about "
        "them then."
    ),
    denominator=active_nominals_then,
    numerator=_register_clean,
    visible=nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
    reason=_("Vigil does not yet import register (ViSOR) extracts or reconcile against them."),
    available=_register_installed,
    **TEAM_THEN,
)


def _forces_holding_nominals(w: Window):
    from vigil.accounts.models import Force
    from vigil.offenders.choices import NominalStatus
    from vigil.offenders.history import in_force_at

    active = in_force_at(w.moment).filter(
        team__force_id=OuterRef("pk"), status=NominalStatus.ACTIVE
    )
    return Force.objects.filter(Exists(active))


def _reconciled_recently(w: Window) -> Q:
    """The force's latest reconciliation by the moment is no older than the policy in
    force then (register.reconcile_every_days)."""
    from vigil.core.policy_registry import policy_value
    from vigil.register.choices import ExtractStatus
    from vigil.register.models import Extract

    days = policy_value("register.reconcile_every_days", at=w.moment)
    recent = Extract.objects.filter(
        status=ExtractStatus.COMPLETE,
        completed_at__lte=w.moment,
        completed_at__gt=w.moment - dt.timedelta(days=days),
        force_links__force_id=OuterRef("pk"),
    )
    return Q(Exists(recent))


def _force_visible(user) -> Q:
    from vigil.accounts.choices import CASEWORK_ROLES
    from vigil.accounts.models import Team

    team_ids, force_ids = access.team_scope(user, CASEWORK_ROLES)
    in_team = Team.objects.filter(force_id=OuterRef("pk"), id__in=team_ids)
    return Q(pk__in=force_ids) | Q(Exists(in_team))


declare_metric(
    "forces_reconciled_recently",
    point="I",
    label=_("Forces whose latest register reconciliation is recent enough"),
    definition=_(
        "Of the forces holding active nominals at the as-of date, those whose latest "
        "register (ViSOR) extract had been reconciled within the policy's interval "
        "(register.reconcile_every_days) before it: the age of the latest reconciliation."
    ),
    denominator=_forces_holding_nominals,
    numerator=_reconciled_recently,
    team_field="teams",
    force_field="id",
    visible=_force_visible,
    gap_columns=(GapColumn("force", "name", _("Force")),),
    available=_register_installed,
)


def _reactive_nominals(w: Window):
    """Reactively managed at the moment (the latest approved change of mode by then) and
    still subject to notification then (the status then)."""
    from vigil.offenders import reactive
    from vigil.offenders.choices import NominalStatus

    subject = [s for s in NominalStatus.values if s != NominalStatus.NO_LONGER_SUBJECT]
    return nominals_then(w, status__in=subject).filter(reactive.reactive_at(w.moment))


def _reactive_meeting(w: Window) -> Q:
    """Every APP condition met then, decided in the database (the offenders app's
    `all_met_q`, held by its tests to the same answer as the conditions it shows)."""
    from vigil.offenders.reactive import all_met_q

    return all_met_q(as_of=w.moment, include_approval=True)


declare_metric(
    "reactive_nominals_meeting_conditions",
    point="P",
    label=_("Reactively managed RSOs meeting every APP condition"),
    definition=_(
        "Of the nominals reactively managed at the as-of date and still subject to "
        "notification, those meeting every condition for reactive management then (risk "
        "level, time in the community, compliance, approval, eligibility review)."
    ),
    denominator=_reactive_nominals,
    numerator=_reactive_meeting,
    visible=nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
    reason=_("Vigil does not yet record the management mode (active or reactive) of nominals."),
    available=_offenders_have("ModeDecision"),
    **TEAM_THEN,
)


def _pnd_in_date(w: Window) -> Q:
    """An in-date, assessed check; and, at a risk level then for which Vigil's policy
    asks for a check before each home visit (in force then: by default high and very
    high), a check before each home visit made in the interval."""
    from vigil.offenders.selectors import pnd_before_each_visit_q, pnd_in_date_q

    return pnd_in_date_q(w.moment) & pnd_before_each_visit_q(w.moment)


declare_metric(
    "active_rsos_with_in_date_pnd_check",
    point="Q",
    label=_("Active RSOs with an in-date, assessed PND check"),
    definition=_(
        "Of the nominals active at the as-of date, those with a Police National Database "
        "check made within the policy interval before it and assessed by then; for a "
        "nominal whose risk level then calls for a check before each home visit (by "
        "default high and very high), also a check made before each home visit in that "
        "interval (on or before the visit's day, after the home visit before it)."
    ),
    denominator=active_nominals_then,
    numerator=_pnd_in_date,
    visible=nominal_visible(),
    gap_columns=NOMINAL_COLUMNS,
    gap_link=("offenders:detail", "uuid"),
    reason=_("Vigil does not yet record Police National Database checks."),
    available=_offenders_have("PndCheck"),
    **TEAM_THEN,
)
