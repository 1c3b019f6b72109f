"""What the offender-management services share: access checks, rank lookups, the wrappers
that open, move and close a nominal's duties (carrying the nominal's risk level), and the
work a change in one sub-domain makes due in another (a fresh ARMS, a supervisor review,
a review of reactive management).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, RANK_LEVEL, SUPERVISORY_ROLES
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties import services as duties
from vigil.duties.choices import RiskLevel
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import ManagementMode, NominalStatus, ReviewSubject
from vigil.offenders.models import Nominal, Review
from vigil.offenders.notification_period import add_months

# --- access ---------------------------------------------------------------------------


def _not_found() -> NotFound:
    return NotFound(_("There is no nominal with that id, or you do not have access to it."))


def _fail(errors: list[tuple[str, str]]) -> None:
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)


def _reaches(user, team, roles=CASEWORK_ROLES) -> bool:
    team_ids, force_ids = access.team_scope(user, roles)
    return team.pk in team_ids or team.force_id in force_ids


def _person_visible(user, person) -> bool:
    return not person.is_restricted or person.restricted_to.filter(pk=user.pk).exists()


def require_casework(actor, nominal: Nominal) -> None:
    """The actor does casework for the nominal's managing team and may see the person."""
    if not access.is_casework_user(actor):
        raise PermissionDenied(_("Only MOSOVO casework roles can change a nominal's record."))
    if not _reaches(actor, nominal.team) or not _person_visible(actor, nominal.person):
        raise _not_found()


def require_supervisor(actor, nominal: Nominal) -> None:
    require_casework(actor, nominal)
    if not _reaches(actor, nominal.team, SUPERVISORY_ROLES):
        raise PermissionDenied(_("Only a supervisor or manager of the managing team can do this."))


# --- ranks ----------------------------------------------------------------------------


def _lowest_rank(level: int) -> str:
    """The rank a policy's rank level names (the police rank at that level)."""
    ranks = [r for r, lv in RANK_LEVEL.items() if lv == level and not r.startswith("staff")]
    return (ranks or [r for r, lv in RANK_LEVEL.items() if lv == level])[0]


def rank_label(rank: str) -> str:
    from vigil.accounts.choices import Rank

    return str(Rank(rank).label).lower()


# --- the nominal's duties, carrying its risk level ------------------------------------


def _nominal_risk(nominal: Nominal) -> str:
    return nominal.risk_level or RiskLevel.LOW


def _open(actor, kind, subject, nominal, due_at, *, assignee="manager", note=""):
    return duties.duty_open(
        actor=actor,
        kind=kind,
        subject=subject,
        team=nominal.team,
        due_at=due_at,
        person=nominal.person,
        assignee=nominal.offender_manager if assignee == "manager" else assignee,
        risk_level=_nominal_risk(nominal),
        note=note,
    )


def _reschedule(actor, kind, subject, nominal, due_at, *, note=""):
    """Move the open duty of `kind` to `due_at` (the ledger keeps the duty, its escalation
    history and an audited change of date), or open one due then when none is open. The
    duty is not closed: moving a due date is not meeting the obligation."""
    moved = duties.duty_reschedule(
        actor=actor, kind=kind, subject=subject, due_at=due_at, reason=note
    )
    if moved is not None:
        return moved
    return _open(actor, kind, subject, nominal, due_at, note=note)


def _close(actor, kind, subject):
    return duties.duty_complete(actor=actor, kind=kind, subject=subject)


# --- work a change in one sub-domain makes due in another -----------------------------


def _trigger_due() -> dt.datetime:
    days = policy_value("offenders.arms_trigger_days")
    return end_of_day(clock.today() + dt.timedelta(days=days))


def _arms_trigger(actor, nominal, trigger):
    """Bring the ARMS duty forward to the trigger deadline (never later than it was)."""
    if nominal.status != NominalStatus.ACTIVE:
        return None
    due = _trigger_due()
    current = Duty.objects.filter(
        kind=kinds.ARMS,
        subject_type="offenders.nominal",
        subject_id=nominal.uuid,
        completed_at__isnull=True,
    ).first()
    if current is not None and current.due_at <= due:
        return current
    return _reschedule(actor, kinds.ARMS, nominal, nominal, due, note=trigger)


def _open_review(actor, nominal, subject_kind, obj) -> Review:
    now = clock.now()
    months = policy_value("offenders.supervisor_review_months")
    due = end_of_day(add_months(timezone.localdate(now), months))
    review = Review.objects.create(
        nominal=nominal,
        subject=subject_kind,
        opened_at=now,
        due_at=due,
        **{subject_kind: obj},
    )
    _open(
        actor,
        kinds.SUPERVISOR_REVIEW,
        review,
        nominal,
        due,
        assignee=None,
        note=str(ReviewSubject(subject_kind).label),
    )
    return review


def _is_reactive(nominal) -> bool:
    return Nominal.objects.filter(pk=nominal.pk, management_mode=ManagementMode.REACTIVE).exists()


def _reactive_trigger(actor, nominal, trigger: str) -> Duty | None:
    """New intelligence, a breach, a change of circumstances or status, or an ARMS that
    is not low, on a reactively managed nominal: a review of reactive management falls
    due for the offender manager within the policy days (one open review at a time)."""
    row = (
        Nominal.objects.filter(pk=nominal.pk)
        .values("management_mode", "status", "reactive_review_triggered_on")
        .first()
    )
    if (
        row is None
        or row["management_mode"] != ManagementMode.REACTIVE
        or row["status"] == NominalStatus.NO_LONGER_SUBJECT
    ):
        return None
    today = clock.today()
    if row["reactive_review_triggered_on"] is None:
        Nominal.objects.filter(pk=nominal.pk).update(
            reactive_review_triggered_on=today, updated_at=clock.now()
        )
    nominal.reactive_review_triggered_on = row["reactive_review_triggered_on"] or today
    audit.record(
        actor,
        "nominal.reactive_trigger",
        nominal,
        changes={"trigger": str(trigger)},
        person=nominal.person,
    )
    days = policy_value("offenders.reactive_trigger_review_days")
    return _open(
        actor,
        kinds.REACTIVE_TRIGGER,
        nominal,
        nominal,
        end_of_day(today + dt.timedelta(days=days)),
        note=str(trigger),
    )
