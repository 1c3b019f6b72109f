"""Transfer of a nominal's management to another force: the request, and its acceptance
or refusal by the receiving force.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES, TeamKind
from vigil.accounts.models import Force, Team, User
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties import services as duties
from vigil.duties.models import Duty
from vigil.duties.selectors import assignable_officers
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import NominalStatus, TransferStatus
from vigil.offenders.history import state_record
from vigil.offenders.models import ManagementTransfer, Nominal
from vigil.offenders.services.common import _close, _fail, _nominal_risk, _reaches, require_casework
from vigil.people import services as people_services


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
    state_record(nominal)
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
