"""Transfers of management between forces through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Schema, Status

from vigil.accounts.models import Force, Team
from vigil.core.exceptions import NotFound, ValidationFailed
from vigil.offenders import selectors, services
from vigil.offenders.api.common import _casework, _Id, _nominal, _user, router


class TransferIn(Schema):
    to_force_id: uuid.UUID
    reason: str


class TransferAcceptIn(Schema):
    team_id: uuid.UUID
    offender_manager_id: uuid.UUID


class TransferDeclineIn(Schema):
    reason: str


class TransferOut(_Id):
    nominal_id: uuid.UUID
    from_team_id: uuid.UUID
    to_force_id: uuid.UUID
    reason: str
    requested_at: dt.datetime
    status: str
    decided_at: dt.datetime | None
    decision_reason: str
    to_team_id: uuid.UUID | None
    to_manager_id: uuid.UUID | None

    @staticmethod
    def resolve_nominal_id(obj):
        return obj.nominal.uuid

    @staticmethod
    def resolve_from_team_id(obj):
        return obj.from_team.uuid

    @staticmethod
    def resolve_to_force_id(obj):
        return obj.to_force.uuid

    @staticmethod
    def resolve_to_team_id(obj):
        return obj.to_team.uuid if obj.to_team_id else None

    @staticmethod
    def resolve_to_manager_id(obj):
        return obj.to_manager.uuid if obj.to_manager_id else None


@router.get("/transfers", response=list[TransferOut])
def incoming_transfers(request):
    """Transfer requests waiting for the caller's force (receiving supervisors)."""
    _casework(request)
    return list(selectors.incoming_transfers(user=request.user))


def _transfer(request, transfer_id):
    _casework(request)
    try:
        return selectors.get_transfer_for_user(request.user, transfer_id)
    except NotFound:
        raise NotFound(
            _("There is no transfer with that id, or you do not have access to it.")
        ) from None


@router.post("/transfers/{transfer_id}/accept", response=TransferOut)
def accept_transfer(request, transfer_id: uuid.UUID, payload: TransferAcceptIn):
    """Accept a transfer into the caller's force, naming the team and offender manager."""
    transfer = _transfer(request, transfer_id)
    team = Team.objects.filter(uuid=payload.team_id).first()
    if team is None:
        raise ValidationFailed(_("Choose a MOSOVO team of your force"), field="team_id")
    return services.transfer_accept(
        actor=request.user,
        transfer=transfer,
        team=team,
        offender_manager=_user(team, payload.offender_manager_id, "offender_manager_id"),
    )


@router.post("/transfers/{transfer_id}/decline", response=TransferOut)
def decline_transfer(request, transfer_id: uuid.UUID, payload: TransferDeclineIn):
    transfer = _transfer(request, transfer_id)
    return services.transfer_decline(actor=request.user, transfer=transfer, reason=payload.reason)


@router.get("/{nominal_id}/transfers", response=list[TransferOut])
def list_transfers(request, nominal_id: uuid.UUID):
    return list(selectors.transfers_for(_nominal(request, nominal_id)))


@router.post("/{nominal_id}/transfers", response={201: TransferOut})
def request_transfer(request, nominal_id: uuid.UUID, payload: TransferIn):
    """Ask another force to take over the management of the nominal."""
    nominal = _nominal(request, nominal_id, "edit")
    force = Force.objects.filter(uuid=payload.to_force_id).first()
    if force is None:
        raise ValidationFailed(
            _("Choose the force to transfer the management to"), field="to_force_id"
        )
    return Status(
        201,
        services.transfer_request(
            actor=request.user, nominal=nominal, to_force=force, reason=payload.reason
        ),
    )
