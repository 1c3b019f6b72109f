"""Writes to the duty ledger: opening, completing and reassigning duties, notifications,
and the sweep that escalates overdue duties.

Domain services call `duty_open` / `duty_complete` inside their own transaction, so that
the duty changes with the domain record or not at all.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES, Role, Scope
from vigil.accounts.models import Membership
from vigil.core import clock
from vigil.core.calendar import start_of_day
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties import messages
from vigil.duties.choices import DutyRisk, EscalationLevel, RiskLevel
from vigil.duties.models import Duty, DutyRevision, Escalation, Notification
from vigil.duties.policies import (
    DEFAULT_MANAGER_DAYS,
    DEFAULT_SUPERVISOR_DAYS,
    EMAIL_MAX_ATTEMPTS,
    EMAIL_RETRY_AFTER_MINUTES,
    NOTIFY_ASSIGNEE_AFTER_DAYS,
)
from vigil.duties.registry import all_kinds, escalate_hooks, get_kind, risk_unassessed
from vigil.duties.selectors import assignable_officers, days_overdue

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 200


def _subject_key(subject) -> tuple[str, uuid.UUID]:
    """(model label, UUID) naming a duty's subject record."""
    meta = getattr(subject, "_meta", None)
    subject_id = getattr(subject, "uuid", None)
    if meta is None or subject_id is None:
        raise TypeError("A duty's subject must be a Vigil model instance with a uuid")
    return meta.label_lower, subject_id


def _revise(duty: Duty, at: dt.datetime | None = None) -> DutyRevision:
    """Record the duty's risk level and due date from `at` (default now) on."""
    return DutyRevision.objects.create(
        duty=duty,
        effective_at=at or clock.now(),
        risk_level=duty.risk_level,
        due_at=duty.due_at,
    )


def _actor_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _duty_params(duty: Duty, *, now: dt.datetime | None = None) -> dict:
    """What a notification about `duty` needs to be written in any language later."""
    return {
        "kind": duty.kind,
        "due": timezone.localdate(duty.due_at).isoformat(),
        "days": max(days_overdue(duty.due_at, now=now), 0),
        # The team's names in both languages as they were, for a reader in either; its id
        # so that the text follows the team's current names while the duty stays there.
        "team": duty.team.name,
        "team_cy": duty.team.name_cy,
        "team_id": str(duty.team.uuid),
        "assignee": duty.assignee.full_name if duty.assignee_id else "",
    }


# --- opening, completing, reassigning -------------------------------------------------


@transaction.atomic
def duty_open(
    *,
    actor,
    kind: str,
    subject,
    team,
    due_at: dt.datetime,
    person=None,
    assignee=None,
    risk_level: str = RiskLevel.LOW,
    note: str = "",
) -> Duty:
    """Open a duty of `kind` on `subject`, or return the one already open (idempotent).

    Steps: check the kind is declared and the values are valid; return the open duty of
    this kind on this subject if there is one; otherwise insert (the partial unique
    constraint settles a race with another transaction: the loser returns the winner's
    row); audit; tell the assignee (unless they opened it themselves).
    """
    if get_kind(kind) is None:
        raise ValueError(f"Unknown duty kind {kind!r}: declare it in the app's duty_kinds.py")
    if timezone.is_naive(due_at):
        raise ValueError("A duty's due_at must be timezone-aware")
    errors = []
    if risk_level not in RiskLevel.values:
        errors.append(("risk_level", _("Choose a risk level: very high, high, medium or low")))
    if len(note or "") > 300:
        errors.append(("note", _("The note must be 300 characters or fewer")))
    if errors:
        raise ValidationFailed(errors[0][1], errors=errors)
    subject_type, subject_id = _subject_key(subject)
    open_duty = Duty.objects.filter(
        kind=kind, subject_type=subject_type, subject_id=subject_id, completed_at__isnull=True
    )
    existing = open_duty.first()
    if existing is not None:
        return existing
    # Work about a person whose risk has not been assessed yet (the kind's app says) is
    # "not yet assessed", not the level the caller fell back on.
    if person is not None and risk_unassessed(kind, person):
        risk_level = DutyRisk.UNASSESSED
    try:
        with transaction.atomic():
            duty = Duty.objects.create(
                kind=kind,
                subject_type=subject_type,
                subject_id=subject_id,
                person=person,
                team=team,
                assignee=assignee,
                risk_level=risk_level,
                due_at=due_at,
                note=note or "",
            )
    except IntegrityError:
        # Another transaction opened the same duty between our check and our insert.
        existing = open_duty.first()
        if existing is None:
            raise
        return existing
    _revise(duty, duty.created_at)
    audit.record(
        actor,
        "duty.open",
        duty,
        changes={
            "kind": kind,
            "subject": f"{subject_type}:{subject_id}",
            "team": str(team.uuid),
            "assignee": assignee.email if assignee else None,
            "risk_level": risk_level,
            "due_at": due_at.isoformat(),
        },
        person=person,
    )
    actor = _actor_or_none(actor)
    if assignee is not None and (actor is None or actor.pk != assignee.pk):
        notify(user=assignee, duty=duty, message_key=messages.ASSIGNED, params=_duty_params(duty))
    return duty


def _complete(actor, duty: Duty) -> Duty:
    duty.completed_at = clock.now()
    duty.completed_by = _actor_or_none(actor)
    duty.save(update_fields=["completed_at", "completed_by", "updated_at"])
    audit.record(
        actor,
        "duty.complete",
        duty,
        changes={"kind": duty.kind, "completed_at": duty.completed_at.isoformat()},
        person=duty.person,
    )
    return duty


@transaction.atomic
def duty_complete(*, actor, kind: str, subject) -> Duty | None:
    """Complete the open duty of `kind` on `subject`; None when none is open (so a domain
    service may call it whatever state the ledger is in)."""
    subject_type, subject_id = _subject_key(subject)
    duty = (
        Duty.objects.select_for_update()
        .filter(
            kind=kind, subject_type=subject_type, subject_id=subject_id, completed_at__isnull=True
        )
        .first()
    )
    return None if duty is None else _complete(actor, duty)


@transaction.atomic
def duty_complete_by_id(*, actor, duty_id: uuid.UUID) -> Duty:
    """Complete a duty named by its UUID (for domain services that keep the duty's id).
    Completing a completed duty changes nothing."""
    duty = Duty.objects.select_for_update().filter(uuid=duty_id).first()
    if duty is None:
        raise NotFound(_("There is no duty with that id."))
    if duty.completed_at is not None:
        return duty
    return _complete(actor, duty)


@transaction.atomic
def duty_reassign(*, actor, duty: Duty, assignee) -> Duty:
    """Give an open duty to another officer of its team (supervisors and managers of the
    team only).

    Steps: the actor must hold a supervisory role (else 403) reaching the duty's team
    (else 404, as if the duty did not exist); lock the duty; it must still be open; the new
    assignee must be an active casework officer reaching the team and not the current
    assignee; save; audit; tell the new assignee.
    """
    if not access.is_supervisor(actor):
        raise PermissionDenied(_("Only a supervisor or manager of the team can reassign its work."))
    locked = (
        Duty.objects.select_for_update(of=("self",))
        .filter(access.teams_q(actor, SUPERVISORY_ROLES), pk=duty.pk)
        .select_related("team", "assignee", "person")
        .first()
    )
    if locked is None:
        raise NotFound(_("There is no duty with that id."))
    if locked.completed_at is not None:
        raise Conflict(_("This duty has been completed, so it can no longer be reassigned."))
    if assignee is None:
        raise ValidationFailed(_("Choose the officer to assign this duty to"), field="assignee")
    if not assignable_officers(team=locked.team).filter(pk=assignee.pk).exists():
        raise ValidationFailed(
            _("Choose an officer who works in %(team)s") % {"team": locked.team.localised_name},
            field="assignee",
        )
    if locked.assignee_id == assignee.pk:
        raise ValidationFailed(
            _("This duty is already assigned to %(name)s. Choose a different officer.")
            % {"name": assignee.full_name},
            field="assignee",
        )
    before = locked.assignee.email if locked.assignee_id else None
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    audit.record(
        actor,
        "duty.reassign",
        locked,
        changes={"assignee": [before, assignee.email]},
        person=locked.person,
    )
    if assignee.pk != actor.pk:
        notify(
            user=assignee, duty=locked, message_key=messages.ASSIGNED, params=_duty_params(locked)
        )
    return locked


@transaction.atomic
def duty_transfer(*, actor, duty: Duty, team, assignee=None) -> Duty:
    """Move an open duty to another team (and assignee, or none for team work) because the
    record it belongs to has moved there — a nominal transferred to another force, say.

    Called by the domain service that moved the record, after that service has checked
    the actor's authority; this one locks the duty, saves, audits before and after
    ("duty.transfer") and tells the new assignee.
    """
    locked = (
        Duty.objects.select_for_update(of=("self",))
        .select_related("team", "assignee", "person")
        .get(pk=duty.pk)
    )
    if locked.completed_at is not None:
        raise Conflict(_("This duty has been completed, so it can no longer be moved."))
    before = {
        "team": str(locked.team.uuid),
        "assignee": locked.assignee.email if locked.assignee_id else None,
    }
    locked.team, locked.assignee = team, assignee
    locked.save(update_fields=["team", "assignee", "updated_at"])
    audit.record(
        actor,
        "duty.transfer",
        locked,
        changes={
            "kind": locked.kind,
            "team": [before["team"], str(team.uuid)],
            "assignee": [before["assignee"], assignee.email if assignee else None],
        },
        person=locked.person,
    )
    if assignee is not None and assignee.pk != getattr(actor, "pk", None):
        notify(
            user=assignee, duty=locked, message_key=messages.ASSIGNED, params=_duty_params(locked)
        )
    return locked


# --- notifications ---------------------------------------------------------------------


def notify(
    *, user, duty: Duty | None, message_key: str, params: dict | None = None
) -> Notification:
    """Tell `user` something in Vigil, and by e-mail once the transaction commits.

    Called inside another service's transaction; the e-mail is written in the recipient's
    language when it is sent and names no person (it only points to Vigil).
    """
    notification = Notification.objects.create(
        user=user, duty=duty, message_key=message_key, params=params or {}
    )
    transaction.on_commit(partial(send_notification_emails, [notification.pk]))
    return notification


def _emailable() -> QuerySet:
    """Notifications not yet e-mailed to an active user with an e-mail address."""
    return Notification.objects.filter(emailed_at__isnull=True, user__is_active=True).exclude(
        user__email=""
    )


@transaction.atomic
def _email_batch(
    queryset: QuerySet, *, attempted_at: dt.datetime, batch_size: int | None = None
) -> tuple[int, int]:
    """E-mail one batch of `queryset`'s notifications; (sent, failed).

    Steps: claim the rows, skipping those another process holds (so that two senders
    never e-mail the same notification: PostgreSQL; SQLite serialises writing
    transactions instead); send each in its recipient's language; mark the sent ones
    e-mailed; count an attempt on every one, so that a failure is tried again by the
    sweep a bounded number of times.
    """
    claim = (
        queryset.select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = list(claim if batch_size is None else claim[:batch_size])
    if not ids:
        return 0, 0
    rows = list(
        Notification.objects.filter(pk__in=ids).select_related("user", "duty__team").order_by("pk")
    )
    link = settings.VIGIL_BASE_URL.rstrip("/") + reverse("duties:notifications")
    sent: list[int] = []
    failed: list[int] = []
    connection = get_connection()
    for n in rows:
        with translation.override(n.user.language or settings.LANGUAGE_CODE):
            title, body = messages.render(
                n.message_key, n.params, team=n.duty.team if n.duty_id else None
            )
            text = "\n\n".join(
                [body, _("Sign in to Vigil to see your notifications: %(link)s") % {"link": link}]
            )
        message = EmailMessage(
            subject=f"{settings.VIGIL_SERVICE_NAME}: {title}",
            body=text,
            to=[n.user.email],
            connection=connection,
        )
        try:
            message.send()
        except Exception:
            logger.exception(
                "Could not e-mail notification %s (attempt %s)", n.pk, n.email_attempts + 1
            )
            failed.append(n.pk)
            continue
        sent.append(n.pk)
    attempts = F("email_attempts") + 1
    if sent:
        Notification.objects.filter(pk__in=sent).update(
            emailed_at=clock.now(), email_attempts=attempts, email_attempted_at=attempted_at
        )
    if failed:
        Notification.objects.filter(pk__in=failed).update(
            email_attempts=attempts, email_attempted_at=attempted_at
        )
    return len(sent), len(failed)


def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail the notifications not yet e-mailed (the first attempt, once the transaction
    that made them commits); returns how many were sent. A failed send is counted on the
    notification and tried again by the sweep (see `retry_notification_emails`); the
    notification is in Vigil either way."""
    if not notification_ids:
        return 0
    max_attempts = policy_value(EMAIL_MAX_ATTEMPTS)
    sent, _failed = _email_batch(
        _emailable().filter(pk__in=notification_ids, email_attempts__lt=max_attempts),
        attempted_at=clock.now(),
    )
    return sent


def retry_notification_emails(
    *, now: dt.datetime | None = None, batch_size: int = SWEEP_BATCH_SIZE
) -> tuple[int, int]:
    """Try again to e-mail the notifications not yet e-mailed; (sent, failed).

    A notification is tried when fewer than the policy's attempts have failed and the
    last attempt (or, when none was made, its creation: the first attempt may still be
    on its way) was longer ago than the policy's wait. Each is tried at most once a
    pass; batches are claimed as in `_email_batch`, so two sweeps at once never e-mail
    the same notification twice.
    """
    now = now or clock.now()
    max_attempts = policy_value(EMAIL_MAX_ATTEMPTS, at=now)
    cutoff = now - dt.timedelta(minutes=policy_value(EMAIL_RETRY_AFTER_MINUTES, at=now))
    due = _emailable().filter(
        Q(email_attempted_at__lt=cutoff)
        | Q(email_attempted_at__isnull=True, created_at__lt=cutoff),
        email_attempts__lt=max_attempts,
    )
    sent = failed = 0
    while True:
        # A row tried in this pass is marked attempted at `now`, which is not before the
        # cutoff: the next batch leaves it out.
        batch_sent, batch_failed = _email_batch(due, attempted_at=now, batch_size=batch_size)
        if not batch_sent + batch_failed:
            break
        sent += batch_sent
        failed += batch_failed
    return sent, failed


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications as read (anyone else's is not found)."""
    locked = (
        Notification.objects.select_for_update()
        .filter(pk=notification.pk, user_id=actor.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("There is no notification with that id."))
    if locked.read_at is None:
        locked.read_at = clock.now()
        locked.save(update_fields=["read_at", "updated_at"])
        audit.record(actor, "notification.read", locked)
    return locked


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor as read; returns how many."""
    now = clock.now()
    count = Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
    if count:
        audit.record(actor, "notification.read_all", actor, changes={"count": count})
    return count


# --- the sweep -------------------------------------------------------------------------


@dataclass
class SweepResult:
    escalated_to_supervisor: int = 0
    escalated_to_manager: int = 0
    overdue_notices: int = 0
    notifications: int = 0
    emails_sent: int = 0
    emails_failed: int = 0


def _overdue_at_least(days: int, now: dt.datetime) -> Q:
    """Duties at least `days` whole days overdue (days counted on Europe/London dates);
    0 means overdue at all."""
    if days <= 0:
        return Q(due_at__lt=now)
    return Q(due_at__lt=start_of_day(timezone.localdate(now) - dt.timedelta(days=days - 1)))


def _threshold_q(level: int, now: dt.datetime) -> Q:
    """Open duties past the escalation threshold of `level` for their kind, with the
    thresholds in force at `now` (one query for every kind's policies)."""
    kinds = all_kinds()
    keys = [
        k.supervisor_days_key if level == EscalationLevel.SUPERVISOR else k.manager_days_key
        for k in kinds
    ]
    values = policy_values(keys, at=now) if keys else {}
    by_days: dict[int, list[str]] = defaultdict(list)
    for kind, key in zip(kinds, keys, strict=True):
        by_days[int(values[key])].append(kind.code)
    default = (
        DEFAULT_SUPERVISOR_DAYS if level == EscalationLevel.SUPERVISOR else DEFAULT_MANAGER_DAYS
    )
    # A duty whose kind is no longer declared still escalates, on the default thresholds.
    q = ~Q(kind__in=[k.code for k in kinds]) & _overdue_at_least(default, now)
    for days, codes in by_days.items():
        q |= Q(kind__in=codes) & _overdue_at_least(days, now)
    return q


def _claim(queryset, batch_size: int) -> list[int]:
    """Lock up to `batch_size` rows, skipping rows another sweep holds (PostgreSQL; SQLite
    ignores row locks and serialises writing transactions instead)."""
    return list(
        queryset.select_for_update(skip_locked=True)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )


def _recipients(duties: list[Duty], role: str) -> dict[int, list]:
    """{team id: [active users with `role` reaching that team]} in one query."""
    team_ids = {d.team_id for d in duties}
    force_of = {d.team_id: d.team.force_id for d in duties}
    memberships = (
        Membership.objects.filter(role=role, user__is_active=True)
        .filter(
            Q(team_id__in=team_ids, scope=Scope.TEAM)
            | Q(team__force_id__in=set(force_of.values()), scope=Scope.FORCE)
        )
        .select_related("user", "team")
        .order_by("user__full_name", "user_id")
    )
    reach: dict[int, list] = defaultdict(list)
    for m in memberships:
        targets = (
            [t for t, f in force_of.items() if f == m.team.force_id]
            if m.scope == Scope.FORCE
            else [m.team_id]
        )
        for team_id in targets:
            if all(u.pk != m.user.pk for u in reach[team_id]):
                reach[team_id].append(m.user)
    return reach


@transaction.atomic
def _escalate_batch(
    *, level: int, condition: Q, now: dt.datetime, batch_size: int
) -> tuple[int, int]:
    """Escalate one batch of claimed duties to `level`; (duties escalated, notifications)."""
    ids = _claim(
        Duty.objects.filter(
            condition, completed_at__isnull=True, escalation_level__lt=level
        ).exclude(escalations__level=level),
        batch_size,
    )
    if not ids:
        return 0, 0
    duties = list(Duty.objects.filter(pk__in=ids).select_related("team", "assignee", "person"))
    role = Role.SUPERVISOR if level == EscalationLevel.SUPERVISOR else Role.MANAGER
    message_key = (
        messages.ESCALATED_SUPERVISOR
        if level == EscalationLevel.SUPERVISOR
        else messages.ESCALATED_MANAGER
    )
    reach = _recipients(duties, role)
    # A team no manager reaches: its supervisors are told instead, so that an escalation
    # to the managers is never told to nobody.
    instead: set[int] = set()
    if level == EscalationLevel.MANAGER:
        unreached = [d for d in duties if not reach[d.team_id]]
        if unreached:
            supervisors = _recipients(unreached, Role.SUPERVISOR)
            for team_id in {d.team_id for d in unreached}:
                if supervisors[team_id]:
                    reach[team_id] = supervisors[team_id]
                    instead.add(team_id)
                    logger.warning(
                        "No active manager reaches team %s: its supervisors are told instead",
                        team_id,
                    )
    for team_id in {d.team_id for d in duties if not reach[d.team_id]}:
        logger.warning(
            "No active %s reaches team %s: escalations are recorded but nobody is told",
            role,
            team_id,
        )
    Escalation.objects.bulk_create(
        [
            Escalation(
                duty=d, level=level, escalated_at=now, notified=(reach[d.team_id] or [None])[0]
            )
            for d in duties
        ]
    )
    Duty.objects.filter(pk__in=ids).update(escalation_level=level, updated_at=clock.now())
    by_kind: dict[str, list[Duty]] = defaultdict(list)
    for d in duties:
        by_kind[d.kind].append(d)
    for kind_code, kind_duties in sorted(by_kind.items()):
        for hook in escalate_hooks(kind_code):
            hook(kind_duties, level, now)
    notifications = [
        Notification(
            user=user,
            duty=d,
            message_key=messages.ESCALATED_NO_MANAGER if d.team_id in instead else message_key,
            params=_duty_params(d, now=now),
        )
        for d in duties
        for user in reach[d.team_id]
    ]
    created = Notification.objects.bulk_create(notifications)
    for d in duties:
        changes = {
            "escalation_level": [d.escalation_level, level],
            "notified": [u.email for u in reach[d.team_id]],
        }
        if d.team_id in instead:
            # No manager reaches the team: its supervisors were told instead.
            changes["notified_role"] = Role.SUPERVISOR.value
        audit.record(None, "duty.escalate", d, changes=changes, person=d.person)
    transaction.on_commit(partial(send_notification_emails, [n.pk for n in created]))
    return len(duties), len(created)


@transaction.atomic
def _overdue_notice_batch(*, now: dt.datetime, days: int, batch_size: int) -> int:
    """Tell the assignees of one batch of duties at least `days` overdue, once each, that
    they are overdue."""
    ids = _claim(
        Duty.objects.filter(
            _overdue_at_least(days, now),
            completed_at__isnull=True,
            assignee__isnull=False,
            overdue_notice_at__isnull=True,
        ),
        batch_size,
    )
    if not ids:
        return 0
    duties = list(Duty.objects.filter(pk__in=ids).select_related("team", "assignee"))
    Duty.objects.filter(pk__in=ids).update(overdue_notice_at=now, updated_at=clock.now())
    created = Notification.objects.bulk_create(
        [
            Notification(
                user=d.assignee,
                duty=d,
                message_key=messages.OVERDUE,
                params=_duty_params(d, now=now),
            )
            for d in duties
        ]
    )
    audit.record(
        None, "duty.overdue_notice", None, changes={"duties": [str(d.uuid) for d in duties]}
    )
    transaction.on_commit(partial(send_notification_emails, [n.pk for n in created]))
    return len(duties)


def sweep(*, now: dt.datetime | None = None, batch_size: int = SWEEP_BATCH_SIZE) -> SweepResult:
    """One pass of escalations and overdue notices. Idempotent, and safe to run in several
    processes at once.

    Steps:
    1. For the supervisor level, then the manager level: work out, from each kind's
       policies in force at `now`, which open duties are past the level's threshold;
       claim a batch of those not yet escalated to the level (rows another sweep holds
       are skipped); record an Escalation for each (unique on duty and level, so exactly
       once), raise the duty's escalation level, call the kind's on_escalate hooks,
       notify the supervisors (or managers) reaching the duty's team — at the manager
       level, when no manager reaches it, its supervisors instead — audit; commit;
       repeat until none are left.
    2. Claim batches of open duties overdue by the policy's days (default one) whose
       assignee has not been told; tell them, mark the duty, audit; repeat until none
       are left.
    3. Try again the notification e-mails that could not be sent (see
       `retry_notification_emails`).
    """
    now = now or clock.now()
    result = SweepResult()
    for level in (EscalationLevel.SUPERVISOR, EscalationLevel.MANAGER):
        condition = _threshold_q(level, now)
        while True:
            escalated, notified = _escalate_batch(
                level=level, condition=condition, now=now, batch_size=batch_size
            )
            if not escalated:
                break
            result.notifications += notified
            if level == EscalationLevel.SUPERVISOR:
                result.escalated_to_supervisor += escalated
            else:
                result.escalated_to_manager += escalated
    days = int(policy_value(NOTIFY_ASSIGNEE_AFTER_DAYS, at=now))
    while True:
        told = _overdue_notice_batch(now=now, days=days, batch_size=batch_size)
        if not told:
            break
        result.overdue_notices += told
        result.notifications += told
    result.emails_sent, result.emails_failed = retry_notification_emails(
        now=now, batch_size=batch_size
    )
    return result


@transaction.atomic
def duty_reschedule(
    *, actor, kind: str, subject, due_at: dt.datetime, reason: str = ""
) -> Duty | None:
    """Move the due date of the open duty of `kind` on `subject` (e.g. a trigger brings an
    assessment forward). None when none is open. The duty keeps its escalation history;
    audited with the old and new dates."""
    if timezone.is_naive(due_at):
        raise ValueError("A duty's due_at must be timezone-aware")
    subject_type, subject_id = _subject_key(subject)
    duty = (
        Duty.objects.select_for_update()
        .filter(
            kind=kind, subject_type=subject_type, subject_id=subject_id, completed_at__isnull=True
        )
        .first()
    )
    if duty is None or duty.due_at == due_at:
        return duty
    before = duty.due_at
    duty.due_at = due_at
    duty.save(update_fields=["due_at", "updated_at"])
    _revise(duty)
    audit.record(
        actor,
        "duty.reschedule",
        duty,
        person=duty.person,
        reason=reason,
        changes={"kind": kind, "due_at": [before.isoformat(), due_at.isoformat()]},
    )
    return duty


@transaction.atomic
def duty_set_risk_level(*, actor, person, risk_level: str, kinds: list[str] | None = None) -> int:
    """Give a person's open duties (optionally only of `kinds`) a new risk level, when their
    assessed risk changes; one audit event for the change. Returns how many changed."""
    if risk_level not in RiskLevel.values:
        raise ValidationFailed(
            _("Choose a risk level: very high, high, medium or low"), field="risk_level"
        )
    duties = Duty.objects.filter(person=person, completed_at__isnull=True).exclude(
        risk_level=risk_level
    )
    if kinds is not None:
        duties = duties.filter(kind__in=kinds)
    now = clock.now()
    moved = list(duties.select_for_update().values_list("pk", "due_at"))
    changed = Duty.objects.filter(pk__in=[pk for pk, _due in moved]).update(
        risk_level=risk_level, updated_at=now
    )
    DutyRevision.objects.bulk_create(
        DutyRevision(duty_id=pk, effective_at=now, risk_level=risk_level, due_at=due)
        for pk, due in moved
    )
    if changed:
        audit.record(
            actor,
            "duty.risk_level",
            person,
            person=person,
            changes={"risk_level": risk_level, "duties": changed, "kinds": kinds or "all"},
        )
    return changed
