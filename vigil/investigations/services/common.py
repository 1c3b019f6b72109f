"""What the investigation services share: who may work or supervise an investigation
(role first, then scope and need-to-know, missing and forbidden alike), locking and
refreshing it, rank lookups, and the wrappers that open and schedule its duties.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, RANK_LEVEL, SUPERVISORY_ROLES, Rank, Role
from vigil.core.exceptions import NotFound, PermissionDenied
from vigil.duties import services as duties
from vigil.duties.choices import RiskLevel
from vigil.investigations import duty_kinds as kinds
from vigil.investigations.models import Investigation
from vigil.referrals.services import referral_mark_actioned

# Roles that work an investigation (analysts read it; they do not move it or decide).
WORK_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.MANAGER})


# Police ranks by authorisation level, for naming the rank a decision needs.
POLICE_RANK_AT_LEVEL = {
    RANK_LEVEL[r]: r
    for r in (
        Rank.SERGEANT,
        Rank.INSPECTOR,
        Rank.CHIEF_INSPECTOR,
        Rank.SUPERINTENDENT,
        Rank.CHIEF_SUPERINTENDENT,
        Rank.CHIEF_OFFICER,
    )
}


def _days(n) -> dt.timedelta:
    return dt.timedelta(days=int(n))


def _not_found() -> NotFound:
    return NotFound(_("There is no investigation with that id, or you do not have access to it."))


def reaches(user, team, roles) -> bool:
    """Whether `user` reaches `team` through a membership with one of `roles`."""
    team_ids, force_ids = access.team_scope(user, roles)
    return team.pk in team_ids or team.force_id in force_ids


def reaches_investigation(user, investigation: Investigation, roles=CASEWORK_ROLES) -> bool:
    """Scope of an investigation: its owning team OR the team it is allocated to."""
    return reaches(user, investigation.owning_team, roles) or reaches(
        user, investigation.allocated_team, roles
    )


def _suspect_visible(user, investigation: Investigation) -> bool:
    suspect = investigation.suspect
    if not suspect.is_restricted:
        return True
    return suspect.restricted_to.filter(pk=user.pk).exists()


def _check_can_work(actor, investigation: Investigation) -> None:
    """Role first (403), then scope and need-to-know (404, as if missing)."""
    if not (access.has_role(actor, *WORK_ROLES)):
        raise PermissionDenied(_("Only officers, supervisors and managers can work a case."))
    if not reaches_investigation(actor, investigation, WORK_ROLES) or not _suspect_visible(
        actor, investigation
    ):
        raise _not_found()


def _check_owning_supervisor(actor, investigation: Investigation) -> None:
    if not access.is_supervisor(actor):
        raise PermissionDenied(_("Only a supervisor or manager of the owning team can do this."))
    if not reaches(actor, investigation.owning_team, SUPERVISORY_ROLES):
        if reaches_investigation(actor, investigation):
            raise PermissionDenied(
                _("Only a supervisor or manager of %(team)s can do this.")
                % {"team": investigation.owning_team.name}
            )
        raise _not_found()


def _lock(investigation: Investigation) -> Investigation:
    return (
        Investigation.objects.select_for_update(of=("self",))
        .select_related("owning_team", "allocated_team", "suspect", "referral", "allocated_officer")
        .get(pk=investigation.pk)
    )


def _refresh(target: Investigation, source: Investigation) -> None:
    """Copy the saved fields onto the caller's instance so that it sees the change."""
    for field in Investigation._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _mark_referral_actioned(actor, investigation: Investigation, at) -> None:
    """Point A: the referral's first action is the investigation's first recorded work."""
    if investigation.referral_id is None:
        return
    referral_mark_actioned(actor=actor, referral=investigation.referral, at=at)


def rank_label(level: int) -> str:
    rank = POLICE_RANK_AT_LEVEL.get(int(level), Rank.INSPECTOR)
    return str(Rank(rank).label).lower()


def _open_duty(actor, kind: str, investigation: Investigation, due_at, *, note: str = ""):
    return duties.duty_open(
        actor=actor,
        kind=kind,
        subject=investigation,
        team=investigation.owning_team,
        person=investigation.suspect,
        assignee=investigation.allocated_officer,
        risk_level=investigation.risk_band or RiskLevel.MEDIUM,
        due_at=due_at,
        note=note,
    )


def _schedule_reassessment(actor, investigation: Investigation, due_at) -> None:
    """(Re)start the scheduled reassessment duty due at `due_at`."""
    duties.duty_complete(actor=actor, kind=kinds.REASSESSMENT, subject=investigation)
    investigation.reassessment_due_at = due_at
    _open_duty(actor, kinds.REASSESSMENT, investigation, due_at)


def _schedule_oversight(actor, investigation: Investigation, due_at) -> None:
    duties.duty_complete(actor=actor, kind=kinds.OVERSIGHT_REVIEW, subject=investigation)
    investigation.oversight_due_at = due_at
    _open_duty(actor, kinds.OVERSIGHT_REVIEW, investigation, due_at)


def _stop_oversight(actor, investigation: Investigation) -> None:
    duties.duty_complete(actor=actor, kind=kinds.OVERSIGHT_REVIEW, subject=investigation)
    investigation.oversight_due_at = None
