"""Every write of offender management: registration, notification, orders, ARMS, plans,
visits and their authorisation, supervisor reviews, intelligence, dip-checks, PND checks,
reactive management and transfers of management to another force.

Each service checks the actor's access, validates everything before writing, writes,
records the audit event and opens or closes the duties in one transaction. Duties on a
nominal carry the nominal's current risk level, so the outstanding-work matrix counts
them by risk.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, RANK_LEVEL, SUPERVISORY_ROLES, TeamKind
from vigil.accounts.models import Force, Team, User
from vigil.core import clock
from vigil.core.calendar import end_of_day, start_of_day
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties import services as duties
from vigil.duties.choices import RiskLevel
from vigil.duties.models import Duty
from vigil.duties.selectors import assignable_officers
from vigil.instruments import services as instruments
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import (
    ArmsTrigger,
    DipCheckOutcome,
    Disposal,
    ManagementMode,
    MappaCategory,
    MappaLevel,
    ModeDecisionKind,
    ModeDecisionStatus,
    NominalStatus,
    NotificationKind,
    NotificationStatus,
    OrderKind,
    PlanActionCategory,
    PndResult,
    ReactiveReviewOutcome,
    ReactiveTrigger,
    ReviewOutcome,
    ReviewSubject,
    StaticTool,
    TransferStatus,
    VisitAccess,
    VisitLocation,
)
from vigil.offenders.models import (
    Arms,
    Breach,
    DipCheck,
    Intelligence,
    ManagementTransfer,
    ModeDecision,
    Nominal,
    NotificationEvent,
    NotificationRequirement,
    Order,
    Plan,
    PlanAction,
    PndCheck,
    Review,
    Visit,
    VisitAuthorisation,
)
from vigil.offenders.notification_period import add_months, notification_period
from vigil.people import services as people_services

ARMS_INSTRUMENT = "arms"
# Notifications that restart the yearly clock (Sexual Offences Act 2003 s85).
RESETS_ANNUAL = {
    NotificationKind.INITIAL,
    NotificationKind.CHANGE,
    NotificationKind.ANNUAL,
    NotificationKind.HOUSEHOLD_CHILD,
}


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


def _lowest_rank(level: int) -> str:
    """The rank a policy's rank level names (the police rank at that level)."""
    ranks = [r for r, lv in RANK_LEVEL.items() if lv == level and not r.startswith("staff")]
    return (ranks or [r for r, lv in RANK_LEVEL.items() if lv == level])[0]


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


# --- registration (H) -----------------------------------------------------------------


def _check_manager(team, manager, status, errors):
    if status == NominalStatus.ACTIVE and manager is None:
        errors.append(
            ("offender_manager", _("Choose the offender manager: an active nominal needs one"))
        )
    if manager is not None and not assignable_officers(team=team).filter(pk=manager.pk).exists():
        errors.append(
            (
                "offender_manager",
                _("Choose an offender manager who works in %(team)s") % {"team": team.name},
            )
        )


def _check_mappa(category, level, errors):
    if category is not None and category not in MappaCategory.values:
        errors.append(("mappa_category", _("Choose MAPPA category 1, 2 or 3")))
    if level is not None and level not in MappaLevel.values:
        errors.append(("mappa_level", _("Choose MAPPA level 1, 2 or 3")))


@transaction.atomic
def nominal_register(
    *,
    actor,
    person,
    team,
    offender_manager=None,
    status: str = NominalStatus.ACTIVE,
    mappa_category: int | None = MappaCategory.ONE,
    mappa_level: int | None = MappaLevel.ONE,
    financial_details_held: bool = False,
) -> Nominal:
    """Register a person as a nominal managed by a MOSOVO team.

    Steps: the actor does casework for the team and may see the person (else 404); the
    team is a MOSOVO team; the person is not already a nominal; an active nominal has an
    offender manager of the team; write; audit; open the first ARMS duty when active.
    """
    if not access.is_casework_user(actor):
        raise PermissionDenied(_("Only MOSOVO casework roles can register a nominal."))
    if not _reaches(actor, team) or not _person_visible(actor, person):
        raise _not_found()
    errors: list[tuple[str, str]] = []
    if team.kind != TeamKind.MOSOVO:
        errors.append(("team", _("Choose a MOSOVO team to manage the nominal")))
    if status not in NominalStatus.values:
        errors.append(("status", _("Choose a status")))
    _check_manager(team, offender_manager, status, errors)
    _check_mappa(mappa_category, mappa_level, errors)
    _fail(errors)
    if Nominal.objects.filter(person=person).exists():
        raise Conflict(_("This person is already registered as a nominal."))
    nominal = Nominal.objects.create(
        person=person,
        team=team,
        offender_manager=offender_manager,
        status=status,
        mappa_category=mappa_category,
        mappa_level=mappa_level,
        financial_details_held=financial_details_held,
        registered_by=actor,
    )
    audit.record(
        actor,
        "nominal.register",
        nominal,
        changes={
            "team": str(team.uuid),
            "offender_manager": offender_manager.email if offender_manager else None,
            "status": status,
            "mappa": [mappa_category, mappa_level],
        },
        person=person,
    )
    if status == NominalStatus.ACTIVE:
        _open(actor, kinds.ARMS, nominal, nominal, _trigger_due(), note=ArmsTrigger.INITIAL)
        _schedule_pnd(actor, nominal)
    return nominal


def _trigger_due() -> dt.datetime:
    days = policy_value("offenders.arms_trigger_days")
    return end_of_day(clock.today() + dt.timedelta(days=days))


@transaction.atomic
def nominal_update(
    *,
    actor,
    nominal: Nominal,
    status: str | None = None,
    offender_manager: User | None | str = "unchanged",
    mappa_category: int | None | str = "unchanged",
    mappa_level: int | None | str = "unchanged",
    financial_details_held: bool | None = None,
) -> Nominal:
    """Change a nominal's status, offender manager, MAPPA or financial-details flag.

    Steps: casework access (a new offender manager needs a supervisor of the team, who
    also moves the manager's open duties on this nominal); validate; write; audit; then
    the duties the status implies: leaving "active" closes the ARMS, plan-review and
    visit duties; returning to "active" from custody opens an ARMS (release from
    custody) and the visit duty again; "no longer subject" cancels pending notifications.
    """
    require_casework(actor, nominal)
    locked = Nominal.objects.select_for_update().select_related("person", "team").get(pk=nominal.pk)
    before = {
        "status": locked.status,
        "offender_manager": locked.offender_manager.email if locked.offender_manager else None,
        "mappa": [locked.mappa_category, locked.mappa_level],
        "financial_details_held": locked.financial_details_held,
    }
    new_status = status or locked.status
    new_manager = locked.offender_manager if offender_manager == "unchanged" else offender_manager
    errors: list[tuple[str, str]] = []
    if new_status not in NominalStatus.values:
        errors.append(("status", _("Choose a status")))
    manager_changes = offender_manager != "unchanged" and new_manager != locked.offender_manager
    if manager_changes and not _reaches(actor, locked.team, SUPERVISORY_ROLES):
        raise PermissionDenied(
            _("Only a supervisor or manager of the team can change the offender manager.")
        )
    _check_manager(locked.team, new_manager, new_status, errors)
    category = locked.mappa_category if mappa_category == "unchanged" else mappa_category
    level = locked.mappa_level if mappa_level == "unchanged" else mappa_level
    _check_mappa(category, level, errors)
    _fail(errors)
    old_status, old_manager = locked.status, locked.offender_manager
    locked.status = new_status
    locked.offender_manager = new_manager
    locked.mappa_category, locked.mappa_level = category, level
    if financial_details_held is not None:
        locked.financial_details_held = financial_details_held
    locked.save()
    after = {
        "status": locked.status,
        "offender_manager": new_manager.email if new_manager else None,
        "mappa": [category, level],
        "financial_details_held": locked.financial_details_held,
    }
    audit.record(
        actor,
        "nominal.update",
        locked,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        person=locked.person,
    )
    if new_manager is not None and old_manager is not None and new_manager.pk != old_manager.pk:
        for duty in Duty.objects.filter(
            person=locked.person,
            assignee=old_manager,
            completed_at__isnull=True,
            kind__startswith="offenders.",
        ):
            duties.duty_reassign(actor=actor, duty=duty, assignee=new_manager)
    if old_status != new_status:
        _status_duties(actor, locked, old_status, new_status)
    nominal.__dict__.update(
        {
            k: getattr(locked, k)
            for k in (
                "status",
                "offender_manager_id",
                "mappa_category",
                "mappa_level",
                "financial_details_held",
            )
        }
    )
    nominal._state.fields_cache.pop("offender_manager", None)
    return locked


def _status_duties(actor, nominal, old, new):
    _reactive_trigger(actor, nominal, ReactiveTrigger.STATUS)
    if old == NominalStatus.ACTIVE:
        _close(actor, kinds.ARMS, nominal)
        _close(actor, kinds.VISIT, nominal)
        _close(actor, kinds.PND_CHECK, nominal)
        plan = nominal.plans.order_by("-version").first()
        if plan is not None:
            _close(actor, kinds.PLAN_REVIEW, plan)
    if new == NominalStatus.ACTIVE:
        trigger = ArmsTrigger.RELEASE if old == NominalStatus.CUSTODY else ArmsTrigger.CIRCUMSTANCES
        _open(actor, kinds.ARMS, nominal, nominal, _trigger_due(), note=trigger)
        plan = nominal.plans.order_by("-version").first()
        if plan is not None:
            _open(actor, kinds.PLAN_REVIEW, plan, nominal, end_of_day(plan.review_due))
            _schedule_visit(actor, nominal)
        _schedule_pnd(actor, nominal)
    if old == NominalStatus.NO_LONGER_SUBJECT and _is_reactive(nominal):
        _open(actor, kinds.REACTIVE_REVIEW, nominal, nominal, end_of_day(clock.today()))
    if new == NominalStatus.NO_LONGER_SUBJECT:
        _close(actor, kinds.REACTIVE_REVIEW, nominal)
        _close(actor, kinds.REACTIVE_TRIGGER, nominal)
        for event in nominal.notifications.filter(status=NotificationStatus.PENDING):
            event.status = NotificationStatus.CANCELLED
            event.save(update_fields=["status", "updated_at"])
            _close(actor, kinds.NOTIFICATION, event)


# --- notification ---------------------------------------------------------------------


@transaction.atomic
def requirement_add(
    *,
    actor,
    nominal: Nominal,
    start_date: dt.date,
    disposal: str,
    custodial_months: int | None = None,
    discharge_months: int | None = None,
    under_18: bool = False,
    offence: str = "",
) -> NotificationRequirement:
    """Record the notification requirements a conviction brings, with the period, end date
    and review date from the s82 table; open the initial notification if none is recorded.
    """
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    if disposal not in Disposal.values:
        errors.append(("disposal", _("Choose the sentence or disposal")))
    if start_date is None:
        errors.append(("start_date", _("Enter the start date")))
    elif start_date > clock.today():
        errors.append(("start_date", _("The start date must be today or in the past")))
    if disposal == Disposal.IMPRISONMENT and not (custodial_months and custodial_months > 0):
        errors.append(("custodial_months", _("Enter the custodial term in whole months")))
    if disposal == Disposal.CONDITIONAL_DISCHARGE and not (
        discharge_months and discharge_months > 0
    ):
        errors.append(
            ("discharge_months", _("Enter the period of the conditional discharge in months"))
        )
    _fail(errors)
    period = notification_period(
        disposal,
        start=start_date,
        custodial_months=custodial_months if disposal == Disposal.IMPRISONMENT else None,
        discharge_months=discharge_months if disposal == Disposal.CONDITIONAL_DISCHARGE else None,
        under_18=under_18,
    )
    requirement = NotificationRequirement.objects.create(
        nominal=nominal,
        start_date=start_date,
        disposal=disposal,
        custodial_months=custodial_months if disposal == Disposal.IMPRISONMENT else None,
        discharge_months=discharge_months if disposal == Disposal.CONDITIONAL_DISCHARGE else None,
        under_18=under_18,
        offence=offence,
        period_months=period.months,
        end_date=period.end_date,
        review_date=period.review_date,
    )
    audit.record(
        actor,
        "nominal.requirement_add",
        requirement,
        changes={
            "disposal": disposal,
            "start_date": start_date.isoformat(),
            "period_months": period.months,
            "end_date": period.end_date.isoformat() if period.end_date else None,
        },
        person=nominal.person,
    )
    if not nominal.notifications.filter(kind=NotificationKind.INITIAL).exists():
        notification_open(
            actor=actor, nominal=nominal, kind=NotificationKind.INITIAL, event_date=start_date
        )
    return requirement


def notification_due_date(kind: str, event_date: dt.date, *, at=None) -> dt.date:
    """The last day a notification of `kind` may be made, for an event on `event_date`.

    Initial, changes and staying with a child: within N days beginning with the day
    (default 3: the day and the two after). Annual: a year after the last notification.
    Foreign travel: N days before leaving (default 7). Weekly: 7 days after the last.
    """
    p = policy_values(
        [
            "offenders.notify_within_days",
            "offenders.renotify_months",
            "offenders.foreign_travel_notice_days",
            "offenders.weekly_reporting_days",
        ],
        at=at,
    )
    if kind in (
        NotificationKind.INITIAL,
        NotificationKind.CHANGE,
        NotificationKind.HOUSEHOLD_CHILD,
    ):
        return event_date + dt.timedelta(days=p["offenders.notify_within_days"] - 1)
    if kind == NotificationKind.ANNUAL:
        return add_months(event_date, p["offenders.renotify_months"])
    if kind == NotificationKind.FOREIGN_TRAVEL:
        return event_date - dt.timedelta(days=p["offenders.foreign_travel_notice_days"])
    if kind == NotificationKind.WEEKLY:
        return event_date + dt.timedelta(days=p["offenders.weekly_reporting_days"])
    raise ValueError(f"unknown notification kind {kind!r}")


@transaction.atomic
def notification_open(
    *, actor, nominal: Nominal, kind: str, event_date: dt.date, details: str = ""
) -> NotificationEvent:
    """A notification the nominal must make: the change, travel or stay that calls for it
    (`event_date`), its due date from the law, and a duty for the offender manager."""
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    if kind not in NotificationKind.values:
        errors.append(("kind", _("Choose the kind of notification")))
    if event_date is None:
        errors.append(("event_date", _("Enter the date of the event")))
    if nominal.status == NominalStatus.NO_LONGER_SUBJECT:
        errors.append(("kind", _("This nominal is no longer subject to notification")))
    _fail(errors)
    event = NotificationEvent.objects.create(
        nominal=nominal,
        kind=kind,
        event_date=event_date,
        due_date=notification_due_date(kind, event_date),
        details=details,
    )
    audit.record(
        actor,
        "nominal.notification_open",
        event,
        changes={"kind": kind, "due_date": event.due_date.isoformat()},
        person=nominal.person,
    )
    _open(actor, kinds.NOTIFICATION, event, nominal, end_of_day(event.due_date))
    if kind in (NotificationKind.CHANGE, NotificationKind.HOUSEHOLD_CHILD):
        _reactive_trigger(actor, nominal, ReactiveTrigger.CIRCUMSTANCES)
    return event


@transaction.atomic
def notification_record(
    *, actor, event: NotificationEvent, notified_on: dt.date, details: str = ""
) -> NotificationEvent:
    """The nominal made the notification on `notified_on`.

    Steps: access; it must still be due; the date is not in the future; write; audit;
    close its duty; then the follow-ons: a notification that restarts the yearly clock
    (initial, changes, annual, child) replaces the pending annual re-notification with one
    due a year later (so the annual due date moves); weekly reporting opens the next week.
    """
    nominal = event.nominal
    require_casework(actor, nominal)
    locked = NotificationEvent.objects.select_for_update().get(pk=event.pk)
    if locked.status != NotificationStatus.PENDING:
        raise Conflict(_("This notification has already been recorded or is no longer due."))
    if notified_on is None:
        raise ValidationFailed(_("Enter the date the nominal notified"), field="notified_on")
    if notified_on > clock.today():
        raise ValidationFailed(
            _("The date notified must be today or in the past"), field="notified_on"
        )
    locked.status = NotificationStatus.NOTIFIED
    locked.notified_on = notified_on
    if details:
        locked.details = details
    locked.save(update_fields=["status", "notified_on", "details", "updated_at"])
    audit.record(
        actor,
        "nominal.notification_record",
        locked,
        changes={
            "kind": locked.kind,
            "notified_on": notified_on.isoformat(),
            "on_time": locked.on_time,
        },
        person=nominal.person,
    )
    _close(actor, kinds.NOTIFICATION, locked)
    if locked.kind in RESETS_ANNUAL:
        for pending in nominal.notifications.filter(
            kind=NotificationKind.ANNUAL, status=NotificationStatus.PENDING
        ).exclude(pk=locked.pk):
            pending.status = NotificationStatus.SUPERSEDED
            pending.save(update_fields=["status", "updated_at"])
            _close(actor, kinds.NOTIFICATION, pending)
        notification_open(
            actor=actor, nominal=nominal, kind=NotificationKind.ANNUAL, event_date=notified_on
        )
    elif locked.kind == NotificationKind.WEEKLY:
        notification_open(
            actor=actor, nominal=nominal, kind=NotificationKind.WEEKLY, event_date=notified_on
        )
    event.__dict__.update(status=locked.status, notified_on=locked.notified_on)
    return locked


@transaction.atomic
def notification_cancel(*, actor, event: NotificationEvent, reason: str) -> NotificationEvent:
    """A due notification no longer required (travel cancelled, a fixed abode found)."""
    require_casework(actor, event.nominal)
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the notification is no longer required"), field="reason")
    locked = NotificationEvent.objects.select_for_update().get(pk=event.pk)
    if locked.status != NotificationStatus.PENDING:
        raise Conflict(_("This notification has already been recorded or is no longer due."))
    locked.status = NotificationStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    audit.record(
        actor, "nominal.notification_cancel", locked, reason=reason, person=event.nominal.person
    )
    _close(actor, kinds.NOTIFICATION, locked)
    return locked


# --- orders and breaches ----------------------------------------------------------------


def _order_errors(kind, description, start_date, end_date):
    errors: list[tuple[str, str]] = []
    if kind not in OrderKind.values:
        errors.append(("kind", _("Choose the kind of order")))
    if kind == OrderKind.OTHER and not (description or "").strip():
        errors.append(("description", _("Describe the order")))
    if start_date is None:
        errors.append(("start_date", _("Enter the date the order starts")))
    elif end_date is not None and end_date < start_date:
        errors.append(("end_date", _("The end date must be on or after the start date")))
    return errors


@transaction.atomic
def order_add(
    *,
    actor,
    nominal: Nominal,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    prohibitions: str = "",
    requirements: str = "",
    court: str = "",
    description: str = "",
) -> Order:
    """Record an order (SHPO, SRO, notification order or other) with its terms."""
    require_casework(actor, nominal)
    _fail(_order_errors(kind, description, start_date, end_date))
    order = Order.objects.create(
        nominal=nominal,
        kind=kind,
        description=description,
        court=court,
        start_date=start_date,
        end_date=end_date,
        prohibitions=prohibitions,
        requirements=requirements,
    )
    audit.record(
        actor,
        "nominal.order_add",
        order,
        changes={"kind": kind, "start_date": start_date.isoformat()},
        person=nominal.person,
    )
    return order


@transaction.atomic
def order_update(*, actor, order: Order, **fields) -> Order:
    """Change an order's terms or dates (the fields given)."""
    require_casework(actor, order.nominal)
    allowed = {
        "kind",
        "description",
        "court",
        "start_date",
        "end_date",
        "prohibitions",
        "requirements",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"order_update does not change {sorted(unknown)}")
    merged = {k: fields.get(k, getattr(order, k)) for k in allowed}
    _fail(
        _order_errors(
            merged["kind"], merged["description"], merged["start_date"], merged["end_date"]
        )
    )
    locked = Order.objects.select_for_update().get(pk=order.pk)
    changes = {}
    for key, value in fields.items():
        old = getattr(locked, key)
        if old != value:
            changes[key] = [
                str(old) if old is not None else None,
                str(value) if value is not None else None,
            ]
            setattr(locked, key, value)
    locked.save()
    audit.record(
        actor, "nominal.order_update", locked, changes=changes, person=order.nominal.person
    )
    return locked


@transaction.atomic
def breach_record(
    *,
    actor,
    nominal: Nominal,
    occurred_on: dt.date,
    summary: str,
    order: Order | None = None,
    action_taken: str = "",
) -> Breach:
    """Record a breach (of an order, or of the notification requirements); a breach calls
    for a fresh ARMS assessment."""
    require_casework(actor, nominal)
    errors = []
    if occurred_on is None or occurred_on > clock.today():
        errors.append(("occurred_on", _("Enter the date of the breach, today or earlier")))
    if not (summary or "").strip():
        errors.append(("summary", _("Say what happened")))
    if order is not None and order.nominal_id != nominal.pk:
        errors.append(("order", _("Choose one of this nominal's orders")))
    _fail(errors)
    breach = Breach.objects.create(
        nominal=nominal,
        order=order,
        occurred_on=occurred_on,
        summary=summary,
        action_taken=action_taken,
        recorded_by=actor,
    )
    audit.record(
        actor,
        "nominal.breach_record",
        breach,
        changes={
            "occurred_on": occurred_on.isoformat(),
            "order": str(order.uuid) if order else None,
        },
        person=nominal.person,
    )
    _arms_trigger(actor, nominal, ArmsTrigger.BREACH)
    _reactive_trigger(actor, nominal, ReactiveTrigger.BREACH)
    return breach


# --- ARMS -------------------------------------------------------------------------------


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


@transaction.atomic
def arms_trigger(*, actor, nominal: Nominal, trigger: str, note: str = "") -> Duty | None:
    """Something that calls for a fresh ARMS (change of circumstances, and so on): the ARMS
    falls due within the trigger period unless it already falls due sooner."""
    require_casework(actor, nominal)
    if trigger not in ArmsTrigger.values or trigger in (ArmsTrigger.SCHEDULED, ArmsTrigger.INITIAL):
        raise ValidationFailed(_("Choose what calls for a fresh assessment"), field="trigger")
    audit.record(
        actor,
        "nominal.arms_trigger",
        nominal,
        changes={"trigger": trigger},
        reason=note,
        person=nominal.person,
    )
    if trigger == ArmsTrigger.CIRCUMSTANCES:
        _reactive_trigger(actor, nominal, ReactiveTrigger.CIRCUMSTANCES)
    return _arms_trigger(actor, nominal, trigger)


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


@transaction.atomic
def arms_record(
    *,
    actor,
    nominal: Nominal,
    answers: dict,
    formulation: str,
    judgement_level: str,
    static_tool: str,
    static_band: str,
    static_tool_version: str,
    trigger: str = ArmsTrigger.SCHEDULED,
) -> Arms:
    """Record a completed ARMS assessment.

    Steps: access; the static tool result is the assessor's (tool, band, version, all
    required); the instrument service scores and stores the answers against this ARMS;
    close the ARMS duty and open the next one the policy interval later; open the
    supervisor review (due one month later). The nominal's risk level changes only when
    a supervisor approves it.
    """
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    if static_tool not in StaticTool.values:
        errors.append(("static_tool", _("Choose the static tool used")))
    if static_band not in RiskLevel.values:
        errors.append(("static_band", _("Choose the band the static tool gave")))
    if not (static_tool_version or "").strip():
        errors.append(("static_tool_version", _("Enter the version of the static tool")))
    if trigger not in ArmsTrigger.values:
        errors.append(("trigger", _("Choose the reason for the assessment")))
    _fail(errors)
    arms = Arms.objects.create(
        nominal=nominal,
        trigger=trigger,
        risk_level=RiskLevel.LOW,
        static_tool=static_tool,
        static_band=static_band,
        static_tool_version=static_tool_version.strip(),
        assessor=actor,
        completed_at=clock.now(),
    )
    assessment = instruments.assessment_record(
        actor=actor,
        code=ARMS_INSTRUMENT,
        subject=arms,
        person=nominal.person,
        answers=answers,
        formulation=formulation,
        judgement_level=judgement_level,
    )
    arms.assessment = assessment
    arms.risk_level = assessment.final_band
    arms.save(update_fields=["assessment", "risk_level", "updated_at"])
    audit.record(
        actor,
        "nominal.arms_record",
        arms,
        changes={
            "risk_level": arms.risk_level,
            "static": [static_tool, static_band, static_tool_version],
        },
        person=nominal.person,
    )
    _close(actor, kinds.ARMS, nominal)
    if nominal.status == NominalStatus.ACTIVE:
        months = policy_value("offenders.arms_interval_months")
        _open(
            actor,
            kinds.ARMS,
            nominal,
            nominal,
            end_of_day(add_months(timezone.localdate(arms.completed_at), months)),
            note=ArmsTrigger.SCHEDULED,
        )
    _open_review(actor, nominal, ReviewSubject.ARMS, arms)
    if arms.risk_level != RiskLevel.LOW:
        _reactive_trigger(actor, nominal, ReactiveTrigger.ARMS)
    return arms


# --- plans ------------------------------------------------------------------------------


def _plan_level(nominal) -> str:
    """The risk level a plan is checked against: the current (approved) level, else the
    latest ARMS, else very high (the strictest) when none has been made."""
    if nominal.risk_level:
        return nominal.risk_level
    latest = nominal.arms.order_by("-completed_at").values_list("risk_level", flat=True).first()
    return latest or RiskLevel.VERY_HIGH


def max_visit_months(level: str, *, at=None) -> int:
    return policy_value(f"offenders.visit_max_months.{level}", at=at)


def _visit_interval(nominal, plan) -> int:
    return min(plan.visit_every_months, max_visit_months(_plan_level(nominal)))


def _schedule_visit(actor, nominal, *, note="", visit=None):
    """Set the visit duty's due date: the last visit plus the plan's interval (capped at
    the policy maximum for the risk level), or the plan's start plus it when never visited.

    When `visit` (just recorded) is the latest visit, the obligation was met: the open
    visit duty is completed and the next one opened. Otherwise (a new plan, a new risk
    level, a visit recorded late that is not the latest) the open duty is moved.
    """
    if nominal.status != NominalStatus.ACTIVE or _is_reactive(nominal):
        return None
    plan = nominal.plans.order_by("-version").first()
    if plan is None:
        return None
    last = nominal.visits.order_by("-visited_at", "-pk").only("pk", "visited_at").first()
    since = timezone.localdate(last.visited_at) if last else timezone.localdate(plan.completed_at)
    due = end_of_day(add_months(since, _visit_interval(nominal, plan)))
    if visit is not None and last is not None and last.pk == visit.pk:
        _close(actor, kinds.VISIT, nominal)
        return _open(actor, kinds.VISIT, nominal, nominal, due, note=note)
    return _reschedule(actor, kinds.VISIT, nominal, nominal, due, note=note)


@transaction.atomic
def plan_create(
    *,
    actor,
    nominal: Nominal,
    visit_every_months: int,
    review_due: dt.date,
    summary: str = "",
    actions: Iterable[dict] = (),
) -> Plan:
    """A new version of the risk management plan.

    Steps: access; the visit frequency is at least the policy minimum for the risk level
    (APP regime before 2017); the review date is in the future; every action has a
    category, description, owner and date; write the version and its actions; audit;
    close the previous version's review duty and open this one's; move the visit duty to
    the new frequency; open the supervisor review.
    """
    require_casework(actor, nominal)
    level = _plan_level(nominal)
    maximum = max_visit_months(level)
    errors: list[tuple[str, str]] = []
    if not visit_every_months or visit_every_months < 1:
        errors.append(("visit_every_months", _("Enter how often to visit, in whole months")))
    elif visit_every_months > maximum:
        errors.append(
            (
                "visit_every_months",
                _("Visit at least every %(months)s months: the minimum for %(level)s risk")
                % {"months": maximum, "level": RiskLevel(level).label.lower()},
            )
        )
    if review_due is None or review_due <= clock.today():
        errors.append(("review_due", _("Enter a review date in the future")))
    actions = list(actions)
    for i, a in enumerate(actions):
        if a.get("category") not in PlanActionCategory.values:
            errors.append((f"actions.{i}.category", _("Choose the action's category")))
        if not (a.get("description") or "").strip():
            errors.append((f"actions.{i}.description", _("Describe the action")))
        if not (a.get("owner") or "").strip():
            errors.append((f"actions.{i}.owner", _("Name the action's owner")))
        if not a.get("due_date"):
            errors.append((f"actions.{i}.due_date", _("Enter the date the action is due")))
    _fail(errors)
    previous = nominal.plans.select_for_update().order_by("-version").first()
    plan = Plan.objects.create(
        nominal=nominal,
        version=(previous.version + 1) if previous else 1,
        summary=summary,
        visit_every_months=visit_every_months,
        review_due=review_due,
        risk_level=level,
        author=actor,
        completed_at=clock.now(),
    )
    PlanAction.objects.bulk_create(
        [
            PlanAction(
                plan=plan,
                category=a["category"],
                description=a["description"].strip(),
                owner=a["owner"].strip(),
                due_date=a["due_date"],
            )
            for a in actions
        ]
    )
    audit.record(
        actor,
        "nominal.plan_create",
        plan,
        changes={
            "version": plan.version,
            "visit_every_months": visit_every_months,
            "review_due": review_due.isoformat(),
            "actions": len(actions),
        },
        person=nominal.person,
    )
    if previous is not None:
        _close(actor, kinds.PLAN_REVIEW, previous)
    if nominal.status == NominalStatus.ACTIVE:
        _open(actor, kinds.PLAN_REVIEW, plan, nominal, end_of_day(review_due))
        _schedule_visit(actor, nominal)
        if pnd_before_visit(_nominal_risk(nominal)):
            _schedule_pnd(actor, nominal)
    _open_review(actor, nominal, ReviewSubject.PLAN, plan)
    return plan


# --- visits (N, O) ----------------------------------------------------------------------


def is_compliant(*, announced: bool, officer_count: int) -> bool:
    """APP: unannounced and with two or more officers present."""
    return not announced and officer_count >= 2


@transaction.atomic
def visit_record(
    *,
    actor,
    nominal: Nominal,
    visited_at: dt.datetime,
    location: str,
    announced: bool,
    officers: list,
    access_result: str,
    outcome: str,
    concerns: str = "",
    intelligence_submitted: bool = False,
    notification_checked: bool = False,
) -> Visit:
    """Record a home visit.

    Steps: access; validate (not in the future, officers present are active users, an
    outcome); compliance (unannounced and in pairs); write; audit; a non-compliant visit
    opens an authorisation duty for the team's supervisors, due the policy hours after
    the visit; move the visit duty on from this visit; open the supervisor review.
    """
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    if visited_at is None:
        errors.append(("visited_at", _("Enter the date and time of the visit")))
    elif timezone.is_naive(visited_at):
        raise ValueError("visited_at must be timezone-aware")
    elif visited_at > clock.now():
        errors.append(("visited_at", _("The visit must be in the past: record it afterwards")))
    if location not in VisitLocation.values:
        errors.append(("location", _("Choose where the visit took place")))
    if access_result not in VisitAccess.values:
        errors.append(("access", _("Choose whether access was gained")))
    officers = list({o.pk: o for o in officers or []}.values())
    if not officers:
        errors.append(("officers", _("Choose the officers present")))
    elif any(not o.is_active for o in officers):
        errors.append(("officers", _("Choose officers whose accounts are active")))
    if not (outcome or "").strip():
        errors.append(("outcome", _("Describe the outcome of the visit")))
    _fail(errors)
    compliant = is_compliant(announced=announced, officer_count=len(officers))
    visit = Visit.objects.create(
        nominal=nominal,
        visited_at=visited_at,
        location=location,
        announced=announced,
        officer_count=len(officers),
        access=access_result,
        outcome=outcome.strip(),
        concerns=concerns,
        intelligence_submitted=intelligence_submitted,
        notification_checked=notification_checked,
        compliant=compliant,
        recorded_by=actor,
    )
    visit.officers.set(officers)
    audit.record(
        actor,
        "nominal.visit_record",
        visit,
        changes={
            "visited_at": visited_at.isoformat(),
            "announced": announced,
            "officers": sorted(o.email for o in officers),
            "compliant": compliant,
            "access": access_result,
        },
        person=nominal.person,
    )
    if not compliant:
        hours = policy_value("offenders.visit_authorisation_hours")
        _open(
            actor,
            kinds.VISIT_AUTHORISATION,
            visit,
            nominal,
            visited_at + dt.timedelta(hours=hours),
            assignee=None,
        )
    _schedule_visit(actor, nominal, visit=visit)
    if pnd_before_visit(_nominal_risk(nominal)):  # the visit used the latest check
        _schedule_pnd(actor, nominal)
    _open_review(actor, nominal, ReviewSubject.VISIT, visit)
    return visit


def authoriser_rank() -> str:
    return _lowest_rank(policy_value("offenders.visit_authorisation_rank_level"))


@transaction.atomic
def visit_authorise(
    *, actor, visit: Visit, rationale: str, decided_at: dt.datetime | None = None
) -> VisitAuthorisation:
    """Authorise a non-compliant visit (announced, or fewer than two officers).

    Steps: access to the nominal; the actor's rank is at least the policy rank (default
    sergeant); the visit is non-compliant and not yet authorised; a rationale; the
    decision time is now unless the authoriser says it was made earlier (before the
    visit, for example: never in the future, at most the policy's days (default 14)
    before the visit, as in force at the visit — the audit keeps when it was entered); in time when made before the visit or within the policy
    hours after it, otherwise it is flagged; close the authorisation duty.
    """
    require_casework(actor, visit.nominal)
    rank = authoriser_rank()
    if not access.rank_at_least(actor, rank):
        raise PermissionDenied(
            _(
                "A visit that is announced or has fewer than two officers must be authorised by "
                "a %(rank)s or above."
            )
            % {"rank": _rank_label(rank)}
        )
    if visit.compliant:
        raise Conflict(_("This visit was unannounced and in pairs: it needs no authorisation."))
    if VisitAuthorisation.objects.filter(visit=visit).exists():
        raise Conflict(_("This visit has already been authorised."))
    now = clock.now()
    decided = decided_at or now
    errors = []
    if not (rationale or "").strip():
        errors.append(("rationale", _("Give the rationale for the authorisation")))
    backdate_days = policy_value("offenders.visit_authorisation_backdate_days", at=visit.visited_at)
    if decided > now or decided < visit.visited_at - dt.timedelta(days=backdate_days):
        errors.append(
            (
                "decided_at",
                ngettext(
                    "Enter when you made the decision: not in the future, and no more than "
                    "%(days)s day before the visit",
                    "Enter when you made the decision: not in the future, and no more than "
                    "%(days)s days before the visit",
                    backdate_days,
                )
                % {"days": backdate_days},
            )
        )
    _fail(errors)
    hours = policy_value("offenders.visit_authorisation_hours", at=visit.visited_at)
    authorisation = VisitAuthorisation.objects.create(
        visit=visit,
        authorised_by=actor,
        authorised_at=decided,
        rationale=rationale.strip(),
        in_time=decided <= visit.visited_at + dt.timedelta(hours=hours),
    )
    audit.record(
        actor,
        "nominal.visit_authorise",
        authorisation,
        changes={
            "visit": str(visit.uuid),
            "decided_at": decided.isoformat(),
            "in_time": authorisation.in_time,
        },
        reason=rationale,
        person=visit.nominal.person,
    )
    _close(actor, kinds.VISIT_AUTHORISATION, visit)
    return authorisation


def _rank_label(rank: str) -> str:
    from vigil.accounts.choices import Rank

    return str(Rank(rank).label).lower()


# --- supervisor reviews (M) -------------------------------------------------------------


def _author_ids(review: Review) -> set[int]:
    if review.subject == ReviewSubject.ARMS:
        return {review.arms.assessor_id}
    if review.subject == ReviewSubject.PLAN:
        return {review.plan.author_id}
    return {review.visit.recorded_by_id, *review.visit.officers.values_list("pk", flat=True)}


@transaction.atomic
def review_record(*, actor, review: Review, outcome: str, actions: str = "") -> Review:
    """A supervisor reviews a completed ARMS, plan or visit.

    Steps: the actor supervises the managing team and did not do the work; the review is
    still open; returned needs the actions; write; audit; close the review duty. Then:
    an approved ARMS that is the latest approved one sets the nominal's risk level (and
    the risk level of the nominal's open duties, and the plan is brought forward for
    review if its visit frequency is now below the minimum); a returned ARMS brings the
    next ARMS forward; an approved plan is marked approved; a returned plan is due for
    review within the trigger period.
    """
    nominal = review.nominal
    require_supervisor(actor, nominal)
    if actor.pk in _author_ids(review):
        raise PermissionDenied(_("You did this work, so another supervisor must review it."))
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.reviewed_at is not None:
        raise Conflict(_("This has already been reviewed."))
    errors = []
    if outcome not in ReviewOutcome.values:
        errors.append(("outcome", _("Choose approved or returned with actions")))
    elif outcome == ReviewOutcome.RETURNED and not (actions or "").strip():
        errors.append(("actions", _("Say what must be done before it can be approved")))
    _fail(errors)
    now = clock.now()
    locked.outcome, locked.actions = outcome, actions.strip()
    locked.reviewer, locked.reviewed_at = actor, now
    locked.save(update_fields=["outcome", "actions", "reviewer", "reviewed_at", "updated_at"])
    audit.record(
        actor,
        "nominal.review_record",
        locked,
        changes={"subject": locked.subject, "outcome": outcome, "in_time": now <= locked.due_at},
        reason=actions,
        person=nominal.person,
    )
    _close(actor, kinds.SUPERVISOR_REVIEW, locked)
    if locked.subject == ReviewSubject.ARMS:
        _after_arms_review(actor, nominal, review.arms, outcome, now)
    elif locked.subject == ReviewSubject.PLAN:
        plan = review.plan
        if outcome == ReviewOutcome.APPROVED:
            Plan.objects.filter(pk=plan.pk).update(approved_at=now)
        elif nominal.status == NominalStatus.ACTIVE and _is_latest_plan(plan):
            _reschedule(
                actor, kinds.PLAN_REVIEW, plan, nominal, _trigger_due(), note=ReviewOutcome.RETURNED
            )
    review.__dict__.update(outcome=outcome, reviewed_at=now, reviewer_id=actor.pk)
    return locked


def _is_latest_plan(plan) -> bool:
    return not Plan.objects.filter(nominal_id=plan.nominal_id, version__gt=plan.version).exists()


def _after_arms_review(actor, nominal, arms, outcome, now):
    if outcome == ReviewOutcome.RETURNED:
        _arms_trigger(actor, nominal, ReviewOutcome.RETURNED)
        return
    Arms.objects.filter(pk=arms.pk).update(approved_at=now)
    if (
        arms.assessment_id
        and instruments.person_in_scope(actor, nominal.person, SUPERVISORY_ROLES)
        and arms.assessor_id != actor.pk
    ):
        instruments.assessment_sign_off(actor=actor, assessment=arms.assessment)
    later_approved = Arms.objects.filter(
        nominal=nominal, approved_at__isnull=False, completed_at__gt=arms.completed_at
    ).exists()
    if later_approved or nominal.risk_level == arms.risk_level:
        return
    _set_risk_level(actor, nominal, arms.risk_level)


def _set_risk_level(actor, nominal, level):
    """The nominal's current risk level changes: keep its open duties' risk level with it
    (the outstanding-work matrix counts them by risk), and bring the plan forward for
    review when its visit frequency is below the new minimum."""
    before = nominal.risk_level
    Nominal.objects.filter(pk=nominal.pk).update(risk_level=level, updated_at=clock.now())
    nominal.risk_level = level
    moved = duties.duty_set_risk_level(
        actor=actor, person=nominal.person, risk_level=level, kinds=kinds.ALL_KINDS
    )
    audit.record(
        actor,
        "nominal.risk_level",
        nominal,
        changes={"risk_level": [before, level], "open_duties": moved},
        person=nominal.person,
    )
    plan = nominal.plans.order_by("-version").first()
    if plan is not None and nominal.status == NominalStatus.ACTIVE:
        if plan.visit_every_months > max_visit_months(level):
            _reschedule(actor, kinds.PLAN_REVIEW, plan, nominal, _trigger_due(), note="risk_level")
        _schedule_visit(actor, nominal)
    if nominal.status == NominalStatus.ACTIVE:
        _schedule_pnd(actor, nominal)


# --- intelligence -----------------------------------------------------------------------


@transaction.atomic
def intelligence_record(
    *, actor, nominal: Nominal, received_on: dt.date, source: str, summary: str
) -> Intelligence:
    """An intelligence entry; opens a review duty for the offender manager."""
    require_casework(actor, nominal)
    errors = []
    if received_on is None or received_on > clock.today():
        errors.append(("received_on", _("Enter the date received, today or earlier")))
    if not (source or "").strip():
        errors.append(("source", _("Enter the source of the intelligence")))
    if not (summary or "").strip():
        errors.append(("summary", _("Summarise the intelligence")))
    _fail(errors)
    entry = Intelligence.objects.create(
        nominal=nominal,
        received_on=received_on,
        source=source.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor,
        "nominal.intelligence_record",
        entry,
        changes={"received_on": received_on.isoformat()},
        person=nominal.person,
    )
    days = policy_value("offenders.intelligence_review_days")
    _open(
        actor,
        kinds.INTELLIGENCE_REVIEW,
        entry,
        nominal,
        end_of_day(clock.today() + dt.timedelta(days=days)),
    )
    _reactive_trigger(actor, nominal, ReactiveTrigger.INTELLIGENCE)
    return entry


@transaction.atomic
def intelligence_review(
    *, actor, entry: Intelligence, note: str, arms_needed: bool
) -> Intelligence:
    """The offender manager (or a colleague) reviews an intelligence entry and says whether
    it calls for a fresh ARMS (which then falls due within the trigger period)."""
    require_casework(actor, entry.nominal)
    if not (note or "").strip():
        raise ValidationFailed(
            _("Say what the intelligence means for managing the risk"), field="note"
        )
    locked = Intelligence.objects.select_for_update().get(pk=entry.pk)
    if locked.reviewed_at is not None:
        raise Conflict(_("This intelligence has already been reviewed."))
    locked.reviewed_by, locked.reviewed_at = actor, clock.now()
    locked.review_note, locked.arms_needed = note.strip(), bool(arms_needed)
    locked.save(
        update_fields=["reviewed_by", "reviewed_at", "review_note", "arms_needed", "updated_at"]
    )
    audit.record(
        actor,
        "nominal.intelligence_review",
        locked,
        changes={"arms_needed": bool(arms_needed)},
        person=entry.nominal.person,
    )
    _close(actor, kinds.INTELLIGENCE_REVIEW, locked)
    if arms_needed:
        _arms_trigger(actor, entry.nominal, ArmsTrigger.INTELLIGENCE)
    return locked


# --- dip-checks of authorisations (O) ---------------------------------------------------


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    return start_of_day(first), start_of_day(add_months(first, 1))


@transaction.atomic
def dip_check_sample(*, actor=None, month: dt.date) -> list[DipCheck]:
    """Assign a sample of the month's visit authorisations to senior reviewers.

    Idempotent per month: when the month has been sampled, the existing sample is
    returned. Steps: the authorisations made in the month (Europe/London); the sample
    size is the policy percentage rounded up; a reproducible random choice (seeded by the
    month); each goes to a reviewer of at least the policy rank who supervises the
    managing team and did not make the decision, the one with fewest checks that month
    first; a duty for each reviewer.
    """
    first = month.replace(day=1)
    existing = list(DipCheck.objects.filter(month=first))
    if existing:
        return existing
    start, end = _month_bounds(first)
    candidates = list(
        VisitAuthorisation.objects.filter(authorised_at__gte=start, authorised_at__lt=end)
        .select_related(
            "visit__nominal__team", "visit__nominal__person", "visit__nominal__offender_manager"
        )
        .order_by("pk")
    )
    if not candidates:
        return []
    percent = policy_value("offenders.dip_check_percent", at=end)
    size = min(len(candidates), math.ceil(len(candidates) * percent / 100))
    # A reproducible sample (seeded by the month), not a secret: S311 does not apply.
    chosen = random.Random(first.isoformat()).sample(candidates, size)  # noqa: S311
    level = policy_value("offenders.dip_check_rank_level", at=end)
    ranks = [r for r, lv in RANK_LEVEL.items() if lv >= level]
    loads: dict[int, int] = {}
    checks = []
    for authorisation in chosen:
        team = authorisation.visit.nominal.team
        reviewers = list(
            User.objects.filter(
                Q(memberships__team_id=team.pk)
                | Q(memberships__scope="force", memberships__team__force_id=team.force_id),
                is_active=True,
                rank__in=ranks,
                memberships__role__in=SUPERVISORY_ROLES,
            )
            .exclude(pk=authorisation.authorised_by_id)
            .distinct()
            .order_by("pk")
        )
        if not reviewers:
            continue
        reviewer = min(reviewers, key=lambda u: (loads.get(u.pk, 0), u.pk))
        loads[reviewer.pk] = loads.get(reviewer.pk, 0) + 1
        check = DipCheck.objects.create(authorisation=authorisation, month=first, reviewer=reviewer)
        audit.record(
            actor,
            "nominal.dip_check_assign",
            check,
            changes={"month": first.isoformat(), "reviewer": reviewer.email},
            person=authorisation.visit.nominal.person,
        )
        nominal = authorisation.visit.nominal
        _open(
            actor,
            kinds.DIP_CHECK,
            check,
            nominal,
            end_of_day(add_months(timezone.localdate(clock.now()), 1)),
            assignee=reviewer,
        )
        checks.append(check)
    return checks


@transaction.atomic
def dip_check_record(*, actor, dip_check: DipCheck, outcome: str, note: str) -> DipCheck:
    """The assigned reviewer agrees or disagrees with the authorisation, with a note."""
    if dip_check.reviewer_id != actor.pk:
        raise NotFound(_("There is no dip-check with that id assigned to you."))
    locked = DipCheck.objects.select_for_update().get(pk=dip_check.pk)
    if locked.checked_at is not None:
        raise Conflict(_("This dip-check has already been recorded."))
    errors = []
    if outcome not in DipCheckOutcome.values:
        errors.append(("outcome", _("Choose agree or disagree")))
    if not (note or "").strip():
        errors.append(("note", _("Add a note explaining your view")))
    _fail(errors)
    locked.outcome, locked.note, locked.checked_at = outcome, note.strip(), clock.now()
    locked.save(update_fields=["outcome", "note", "checked_at", "updated_at"])
    person = locked.authorisation.visit.nominal.person
    audit.record(
        actor,
        "nominal.dip_check_record",
        locked,
        changes={"outcome": outcome},
        reason=note,
        person=person,
    )
    _close(actor, kinds.DIP_CHECK, locked)
    return locked


def dip_check_counts(month: dt.date) -> dict:
    """How many were sampled and checked in a month (for the command's report)."""
    return DipCheck.objects.filter(month=month.replace(day=1)).aggregate(
        sampled=Count("pk"), checked=Count("pk", filter=Q(checked_at__isnull=False))
    )


# --- PND checks (Q) ---------------------------------------------------------------------


def pnd_before_visit(level: str, *, at=None) -> bool:
    """Whether a PND check is due before each home visit at risk `level` (policy)."""
    return bool(policy_value(f"offenders.pnd_before_visit.{level}", at=at))


def pnd_due(nominal: Nominal) -> dt.datetime | None:
    """When the nominal's next PND check (carried out and assessed) is due; None when
    none is due (not active in the community).

    The latest assessed check plus the policy interval (default 12 months), or the
    registration plus the first-check period when there has been none; a check recorded
    and not yet assessed is due for assessment within the policy days of being recorded;
    for the risk levels the policy names (default high and very high) a check is also due
    before the next home visit when there has been a visit since the latest check.
    """
    if nominal.status != NominalStatus.ACTIVE:
        return None
    p = policy_values(
        [
            "offenders.pnd_interval_months",
            "offenders.pnd_first_check_days",
            "offenders.pnd_assess_days",
        ]
    )
    checks = list(
        PndCheck.objects.filter(nominal_id=nominal.pk)
        .order_by("-checked_on", "-pk")
        .values("checked_on", "assessed_at", "created_at")
    )
    assessed = [c for c in checks if c["assessed_at"] is not None]
    if assessed:
        due = end_of_day(add_months(assessed[0]["checked_on"], p["offenders.pnd_interval_months"]))
    else:
        registered = timezone.localdate(nominal.created_at)
        due = end_of_day(registered + dt.timedelta(days=p["offenders.pnd_first_check_days"]))
    waiting = [c for c in checks if c["assessed_at"] is None]
    if waiting:
        recorded = timezone.localdate(min(c["created_at"] for c in waiting))
        due = min(due, end_of_day(recorded + dt.timedelta(days=p["offenders.pnd_assess_days"])))
    if pnd_before_visit(_nominal_risk(nominal)):
        visit_due = (
            Duty.objects.filter(
                kind=kinds.VISIT,
                subject_type="offenders.nominal",
                subject_id=nominal.uuid,
                completed_at__isnull=True,
            )
            .values_list("due_at", flat=True)
            .first()
        )
        last_visit = nominal.visits.order_by("-visited_at").values_list("visited_at", flat=True)
        last_visit = last_visit.first()
        latest = checks[0]["checked_on"] if checks else None
        used = latest is None or (
            last_visit is not None and timezone.localdate(last_visit) >= latest
        )
        if visit_due is not None and used:
            due = min(due, visit_due)
    return due


def _schedule_pnd(actor, nominal, *, met: bool = False):
    """Keep the nominal's PND-check duty at `pnd_due`: completed and opened again when
    the obligation was met (every check assessed), otherwise moved."""
    due = pnd_due(nominal)
    if due is None:
        return None
    if met:
        _close(actor, kinds.PND_CHECK, nominal)
        return _open(actor, kinds.PND_CHECK, nominal, nominal, due)
    return _reschedule(actor, kinds.PND_CHECK, nominal, nominal, due)


@transaction.atomic
def pnd_check_record(
    *,
    actor,
    nominal: Nominal,
    checked_on: dt.date,
    result: str,
    summary: str = "",
    officer: User | None = None,
) -> PndCheck:
    """Record a PND check: the date, the officer who made it (default the actor, who must
    work on the managing team), the result and a summary (required when information was
    found). The check is then due for assessment (the PND-check duty moves to it)."""
    require_casework(actor, nominal)
    officer = officer or actor
    errors: list[tuple[str, str]] = []
    if checked_on is None or checked_on > clock.today():
        errors.append(("checked_on", _("Enter the date of the check, today or earlier")))
    if result not in PndResult.values:
        errors.append(("result", _("Choose the result of the check")))
    elif result == PndResult.INFORMATION and not (summary or "").strip():
        errors.append(("summary", _("Summarise the information found")))
    if not assignable_officers(team=nominal.team).filter(pk=officer.pk).exists():
        errors.append(
            (
                "officer",
                _("Choose an officer who works in %(team)s") % {"team": nominal.team.name},
            )
        )
    _fail(errors)
    check = PndCheck.objects.create(
        nominal=nominal,
        checked_on=checked_on,
        officer=officer,
        result=result,
        summary=(summary or "").strip(),
        recorded_by=actor,
    )
    audit.record(
        actor,
        "nominal.pnd_check_record",
        check,
        changes={"checked_on": checked_on.isoformat(), "result": result, "officer": officer.email},
        person=nominal.person,
    )
    _schedule_pnd(actor, nominal)
    return check


@transaction.atomic
def pnd_check_assess(*, actor, check: PndCheck, action_taken: str) -> PndCheck:
    """Assess a PND check: say what action was taken (or that none was needed). When no
    check is left unassessed the PND-check duty is met: it is completed and the next one
    opened (a year after the latest check, or before the next visit for high risk)."""
    nominal = check.nominal
    require_casework(actor, nominal)
    if not (action_taken or "").strip():
        raise ValidationFailed(
            _("Say what action was taken, or that none was needed"), field="action_taken"
        )
    locked = PndCheck.objects.select_for_update().get(pk=check.pk)
    if locked.assessed_at is not None:
        raise Conflict(_("This PND check has already been assessed."))
    locked.assessed_by, locked.assessed_at = actor, clock.now()
    locked.action_taken = action_taken.strip()
    locked.save(update_fields=["assessed_by", "assessed_at", "action_taken", "updated_at"])
    audit.record(
        actor,
        "nominal.pnd_check_assess",
        locked,
        changes={"checked_on": locked.checked_on.isoformat(), "result": locked.result},
        reason=action_taken,
        person=nominal.person,
    )
    met = not nominal.pnd_checks.filter(assessed_at__isnull=True).exists()
    _schedule_pnd(actor, nominal, met=met)
    check.__dict__.update(assessed_at=locked.assessed_at, assessed_by_id=actor.pk)
    return locked


# --- reactive management (P) -------------------------------------------------------------


def reactive_approver_rank() -> str:
    return _lowest_rank(policy_value("offenders.reactive_approval_rank_level"))


def _is_reactive(nominal) -> bool:
    return Nominal.objects.filter(pk=nominal.pk, management_mode=ManagementMode.REACTIVE).exists()


def reactive_assessment(nominal: Nominal, *, include_approval: bool | None = None):
    """The reactive-management conditions of one nominal now (see reactive.py)."""
    from vigil.offenders import reactive

    return reactive.evaluate(
        Nominal.objects.filter(pk=nominal.pk), include_approval=include_approval
    )[nominal.pk]


def _snapshot(assessment) -> list[dict]:
    return [{"code": c.code, "met": c.met, "reason": c.reason} for c in assessment.conditions]


def _unmet_errors(assessment) -> list[tuple[str, str]]:
    return [
        (c.code, _("%(condition)s: %(reason)s") % {"condition": c.label, "reason": c.reason})
        for c in assessment.unmet
    ]


def circumstances_changed(actor, person, what: str) -> None:
    """The person's record shows a change of circumstances (a new current address or a
    child linked, recorded in the people app): for a reactively managed nominal, a review
    of reactive management falls due (see _reactive_trigger)."""
    nominal = Nominal.objects.filter(person=person).first()
    if nominal is not None:
        _reactive_trigger(actor, nominal, ReactiveTrigger.CIRCUMSTANCES)


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


@transaction.atomic
def reactive_request(*, actor, nominal: Nominal, proposal: str) -> ModeDecision:
    """Ask for a nominal to be managed reactively.

    Steps: casework access; the nominal is on active management with no request waiting;
    a reason; every entry condition is met now (in the community, risk low, low for the
    policy years, no breach or intelligence of concern in that time) — otherwise the
    request is refused with every unmet condition and its reason, and nothing is written;
    write the request with the conditions as evaluated; audit; a duty for the team's
    supervisors to decide it.
    """
    require_casework(actor, nominal)
    locked = Nominal.objects.select_for_update().get(pk=nominal.pk)
    if locked.management_mode == ManagementMode.REACTIVE:
        raise Conflict(_("This nominal is already on reactive management."))
    if ModeDecision.objects.filter(nominal=locked, status=ModeDecisionStatus.PROPOSED).exists():
        raise Conflict(_("A request for reactive management is already waiting for a decision."))
    assessment = reactive_assessment(locked, include_approval=False)
    errors = _unmet_errors(assessment)
    if not (proposal or "").strip():
        errors.append(("proposal", _("Say why reactive management is proposed")))
    _fail(errors)
    now = clock.now()
    decision = ModeDecision.objects.create(
        nominal=locked,
        kind=ModeDecisionKind.TO_REACTIVE,
        status=ModeDecisionStatus.PROPOSED,
        proposed_by=actor,
        proposed_at=now,
        proposal=proposal.strip(),
        conditions=_snapshot(assessment),
    )
    audit.record(
        actor,
        "nominal.reactive_request",
        decision,
        changes={"conditions": [c.code for c in assessment.conditions if c.met]},
        reason=proposal,
        person=locked.person,
    )
    days = policy_value("offenders.reactive_approval_days")
    _open(
        actor,
        kinds.REACTIVE_APPROVAL,
        decision,
        locked,
        end_of_day(timezone.localdate(now) + dt.timedelta(days=days)),
        assignee=None,
    )
    return decision


def _next_review_due() -> dt.date:
    return add_months(clock.today(), policy_value("offenders.reactive_review_months"))


@transaction.atomic
def reactive_decide(
    *, actor, decision: ModeDecision, approve: bool, rationale: str
) -> ModeDecision:
    """Approve or decline a request for reactive management.

    Steps: casework access to the nominal; the actor holds at least the policy rank
    (default inspector) and did not make the request; the request is still waiting; a
    rationale; on approval every entry condition is checked again (refused with the
    reasons when one is no longer met); write the decision (with the approver's rank and
    the next eligibility review date); audit; close the decision duty. On approval: the
    nominal is reactive, its scheduled-visit duty is closed, the eligibility review duty
    opened (policy months), and the PND-check duty follows (no visits to precede).
    """
    nominal = decision.nominal
    require_casework(actor, nominal)
    rank = reactive_approver_rank()
    if not access.rank_at_least(actor, rank):
        raise PermissionDenied(
            _("Reactive management must be approved at %(rank)s rank or above.")
            % {"rank": _rank_label(rank)}
        )
    if decision.proposed_by_id == actor.pk:
        raise PermissionDenied(_("You made this request, so someone else must decide it."))
    locked = ModeDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.status != ModeDecisionStatus.PROPOSED:
        raise Conflict(_("This request has already been decided."))
    errors: list[tuple[str, str]] = []
    assessment = None
    if approve:
        assessment = reactive_assessment(nominal, include_approval=False)
        errors += _unmet_errors(assessment)
    if not (rationale or "").strip():
        errors.append(("rationale", _("Give the rationale for the decision")))
    _fail(errors)
    now = clock.now()
    locked.status = ModeDecisionStatus.APPROVED if approve else ModeDecisionStatus.DECLINED
    locked.decided_by, locked.decided_at, locked.decided_rank = actor, now, actor.rank
    locked.rationale = rationale.strip()
    if approve:
        locked.next_review_due = _next_review_due()
        locked.conditions = _snapshot(assessment)
    locked.save()
    audit.record(
        actor,
        "nominal.reactive_approve" if approve else "nominal.reactive_decline",
        locked,
        changes={
            "status": locked.status,
            "rank": actor.rank,
            "next_review_due": locked.next_review_due.isoformat() if approve else None,
        },
        reason=rationale,
        person=nominal.person,
    )
    _close(actor, kinds.REACTIVE_APPROVAL, locked)
    if approve:
        Nominal.objects.filter(pk=nominal.pk).update(
            management_mode=ManagementMode.REACTIVE,
            reactive_review_triggered_on=None,
            updated_at=now,
        )
        nominal.management_mode = ManagementMode.REACTIVE
        nominal.reactive_review_triggered_on = None
        _close(actor, kinds.VISIT, nominal)
        _open(
            actor,
            kinds.REACTIVE_REVIEW,
            nominal,
            nominal,
            end_of_day(locked.next_review_due),
            note=ModeDecisionKind.TO_REACTIVE,
        )
        _schedule_pnd(actor, nominal)
    decision.__dict__.update(
        status=locked.status,
        decided_at=now,
        decided_by_id=actor.pk,
        next_review_due=locked.next_review_due,
        rationale=locked.rationale,
    )
    return locked


def _back_to_active(actor, nominal, kind, reason, now) -> ModeDecision:
    decision = ModeDecision.objects.create(
        nominal=nominal,
        kind=ModeDecisionKind.TO_ACTIVE,
        status=ModeDecisionStatus.APPROVED,
        proposed_by=actor,
        proposed_at=now,
        proposal=reason.strip(),
        decided_by=actor,
        decided_rank=actor.rank,
        decided_at=now,
        rationale=reason.strip(),
        conditions=_snapshot(reactive_assessment(nominal)),
    )
    Nominal.objects.filter(pk=nominal.pk).update(
        management_mode=ManagementMode.ACTIVE, reactive_review_triggered_on=None, updated_at=now
    )
    nominal.management_mode = ManagementMode.ACTIVE
    nominal.reactive_review_triggered_on = None
    audit.record(
        actor,
        "nominal.reactive_return",
        decision,
        changes={"via": kind},
        reason=reason,
        person=nominal.person,
    )
    _close(actor, kinds.REACTIVE_REVIEW, nominal)
    _close(actor, kinds.REACTIVE_TRIGGER, nominal)
    _schedule_visit(actor, nominal)
    _schedule_pnd(actor, nominal)
    return decision


@transaction.atomic
def reactive_return(*, actor, nominal: Nominal, reason: str) -> ModeDecision:
    """Return a reactively managed nominal to active management: any casework user of the
    team may (it is the safe direction), with a reason. The scheduled-visit duty opens
    again from the plan; the reactive review duties close."""
    require_casework(actor, nominal)
    locked = Nominal.objects.select_for_update().select_related("person").get(pk=nominal.pk)
    if locked.management_mode != ManagementMode.REACTIVE:
        raise Conflict(_("This nominal is already on active management."))
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Say why the nominal returns to active management"), field="reason"
        )
    decision = _back_to_active(actor, locked, "return", reason, clock.now())
    nominal.management_mode = ManagementMode.ACTIVE
    nominal.reactive_review_triggered_on = None
    return decision


@transaction.atomic
def reactive_review_record(
    *, actor, nominal: Nominal, outcome: str, rationale: str
) -> ModeDecision:
    """Review a reactively managed nominal (the yearly eligibility review, or one called
    for by new information).

    Steps: casework access; the nominal is reactive; an outcome and a rationale; to stay
    reactive every entry condition must still be met (otherwise refused with the reasons:
    return the nominal to active management instead); write the review with the next
    review date; audit; the called-for review (if any) is closed, and the eligibility
    review duty completed and opened again for the next date. Returning goes back to
    active management as `reactive_return` does.
    """
    require_casework(actor, nominal)
    locked = Nominal.objects.select_for_update().select_related("person").get(pk=nominal.pk)
    if locked.management_mode != ManagementMode.REACTIVE:
        raise Conflict(_("This nominal is not on reactive management."))
    errors: list[tuple[str, str]] = []
    if outcome not in ReactiveReviewOutcome.values:
        errors.append(("outcome", _("Choose whether the nominal stays on reactive management")))
    if not (rationale or "").strip():
        errors.append(("rationale", _("Give the rationale for the review")))
    assessment = None
    if outcome == ReactiveReviewOutcome.CONTINUE:
        assessment = reactive_assessment(locked, include_approval=False)
        errors += _unmet_errors(assessment)
    _fail(errors)
    now = clock.now()
    if outcome == ReactiveReviewOutcome.RETURN:
        decision = _back_to_active(actor, locked, "review", rationale, now)
        nominal.management_mode = ManagementMode.ACTIVE
        nominal.reactive_review_triggered_on = None
        return decision
    decision = ModeDecision.objects.create(
        nominal=locked,
        kind=ModeDecisionKind.REVIEW,
        status=ModeDecisionStatus.APPROVED,
        proposed_by=actor,
        proposed_at=now,
        proposal=rationale.strip(),
        decided_by=actor,
        decided_rank=actor.rank,
        decided_at=now,
        rationale=rationale.strip(),
        next_review_due=_next_review_due(),
        conditions=_snapshot(assessment),
    )
    Nominal.objects.filter(pk=locked.pk).update(reactive_review_triggered_on=None, updated_at=now)
    nominal.reactive_review_triggered_on = None
    audit.record(
        actor,
        "nominal.reactive_review",
        decision,
        changes={"next_review_due": decision.next_review_due.isoformat()},
        reason=rationale,
        person=locked.person,
    )
    _close(actor, kinds.REACTIVE_TRIGGER, locked)
    _close(actor, kinds.REACTIVE_REVIEW, locked)
    _open(
        actor,
        kinds.REACTIVE_REVIEW,
        locked,
        locked,
        end_of_day(decision.next_review_due),
        note=ModeDecisionKind.REVIEW,
    )
    return decision


# --- transfer of management to another force ---------------------------------------------


def receiving_team(force: Force) -> Team | None:
    """The MOSOVO team of `force` that a transfer request is sent to (the first by name)."""
    return Team.objects.filter(force=force, kind=TeamKind.MOSOVO).order_by("name", "pk").first()


def _receives(user, force_id: int) -> bool:
    """The user supervises a MOSOVO team of the force (team or force scope)."""
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    if force_id in force_ids:
        return True
    return Team.objects.filter(pk__in=team_ids, force_id=force_id, kind=TeamKind.MOSOVO).exists()


@transaction.atomic
def transfer_request(
    *, actor, nominal: Nominal, to_force: Force, reason: str
) -> ManagementTransfer:
    """Ask another force to take over the management of a nominal (they have moved
    there, say). Steps: casework access; the nominal is still subject to notification;
    another force, with a MOSOVO team in Vigil; a reason; no request already waiting;
    write; audit; a duty for the receiving force's MOSOVO supervisors to decide it,
    due within the policy's days (default 14) in force at the request."""
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    team = None
    if to_force is None:
        errors.append(("to_force", _("Choose the force to transfer the management to")))
    elif to_force.pk == nominal.team.force_id:
        errors.append(
            ("to_force", _("Choose another force: the nominal is already managed by this one"))
        )
    else:
        team = receiving_team(to_force)
        if team is None:
            errors.append(
                (
                    "to_force",
                    _("%(force)s has no MOSOVO team in Vigil to receive the nominal")
                    % {"force": to_force.name},
                )
            )
    if nominal.status == NominalStatus.NO_LONGER_SUBJECT:
        errors.append(("to_force", _("This nominal is no longer subject to notification")))
    if not (reason or "").strip():
        errors.append(("reason", _("Say why the management should transfer")))
    _fail(errors)
    if ManagementTransfer.objects.filter(nominal=nominal, status=TransferStatus.REQUESTED).exists():
        raise Conflict(_("A transfer of this nominal is already waiting for a decision."))
    now = clock.now()
    transfer = ManagementTransfer.objects.create(
        nominal=nominal,
        from_team=nominal.team,
        to_force=to_force,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=now,
    )
    audit.record(
        actor,
        "nominal.transfer_request",
        transfer,
        changes={"from_team": str(nominal.team.uuid), "to_force": to_force.code},
        reason=reason,
        person=nominal.person,
    )
    duties.duty_open(
        actor=actor,
        kind=kinds.TRANSFER,
        subject=transfer,
        team=team,
        due_at=end_of_day(
            timezone.localdate(now)
            + dt.timedelta(days=policy_value("offenders.transfer_decision_days", at=now))
        ),
        person=nominal.person,
        risk_level=_nominal_risk(nominal),
    )
    return transfer


def _require_receiver(actor, transfer) -> None:
    if not access.is_supervisor(actor):
        raise PermissionDenied(
            _("Only a supervisor or manager of the receiving force can decide a transfer.")
        )
    if not _receives(actor, transfer.to_force_id):
        raise NotFound(_("There is no transfer with that id, or you do not have access to it."))


def _move_duties(actor, nominal, team, manager) -> int:
    """Move the nominal's open offender-management duties to the receiving team: work
    assigned to someone goes to the new offender manager, team work stays team work.
    Dip-checks (of the sending force's authorisations) and the transfer itself stay."""
    rows = Duty.objects.filter(
        person=nominal.person, completed_at__isnull=True, kind__startswith="offenders."
    ).exclude(kind__in=[kinds.DIP_CHECK, kinds.TRANSFER])
    moved = 0
    for duty in rows:
        duties.duty_transfer(
            actor=actor,
            duty=duty,
            team=team,
            assignee=manager if duty.assignee_id is not None else None,
        )
        moved += 1
    return moved


@transaction.atomic
def transfer_accept(
    *, actor, transfer: ManagementTransfer, team: Team, offender_manager: User
) -> ManagementTransfer:
    """Accept a transfer into the actor's force: the nominal is then managed by `team`
    (a MOSOVO team of the receiving force the actor supervises) and `offender_manager`
    (an officer of that team); its open duties move with it."""
    _require_receiver(actor, transfer)
    locked = ManagementTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status != TransferStatus.REQUESTED:
        raise Conflict(_("This transfer has already been decided."))
    errors: list[tuple[str, str]] = []
    if (
        team is None
        or team.force_id != locked.to_force_id
        or team.kind != TeamKind.MOSOVO
        or not _reaches(actor, team, SUPERVISORY_ROLES)
    ):
        errors.append(("team", _("Choose a MOSOVO team of your force that you supervise")))
    elif offender_manager is None or not (
        assignable_officers(team=team).filter(pk=offender_manager.pk).exists()
    ):
        errors.append(
            (
                "offender_manager",
                _("Choose an offender manager who works in %(team)s") % {"team": team.name},
            )
        )
    _fail(errors)
    nominal = (
        Nominal.objects.select_for_update()
        .select_related("person", "team")
        .get(pk=locked.nominal_id)
    )
    old_team, old_manager = nominal.team, nominal.offender_manager
    now = clock.now()
    locked.status = TransferStatus.ACCEPTED
    locked.decided_by, locked.decided_at = actor, now
    locked.to_team, locked.to_manager = team, offender_manager
    locked.save()
    nominal.team, nominal.offender_manager = team, offender_manager
    nominal.save(update_fields=["team", "offender_manager", "updated_at"])
    moved = _move_duties(actor, nominal, team, offender_manager)
    # The person's record goes with the work, so that the receiving force can open it
    # (a restriction then names the accepting supervisor and the new offender manager).
    people_services.person_transfer(
        actor=actor, person=nominal.person, team=team, named=[offender_manager]
    )
    audit.record(
        actor,
        "nominal.transfer_accept",
        locked,
        changes={
            "team": [str(old_team.uuid), str(team.uuid)],
            "offender_manager": [
                old_manager.email if old_manager else None,
                offender_manager.email,
            ],
            "duties_moved": moved,
        },
        person=nominal.person,
    )
    _close(actor, kinds.TRANSFER, locked)
    return locked


@transaction.atomic
def transfer_decline(*, actor, transfer: ManagementTransfer, reason: str) -> ManagementTransfer:
    """Decline a transfer into the actor's force, with a reason: the nominal stays with
    the sending team."""
    _require_receiver(actor, transfer)
    locked = ManagementTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status != TransferStatus.REQUESTED:
        raise Conflict(_("This transfer has already been decided."))
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the transfer is declined"), field="decision_reason")
    locked.status = TransferStatus.DECLINED
    locked.decided_by, locked.decided_at = actor, clock.now()
    locked.decision_reason = reason.strip()
    locked.save()
    audit.record(
        actor,
        "nominal.transfer_decline",
        locked,
        changes={"status": locked.status},
        reason=reason,
        person=locked.nominal.person,
    )
    _close(actor, kinds.TRANSFER, locked)
    return locked
