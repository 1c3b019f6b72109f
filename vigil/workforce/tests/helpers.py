"""Building staff, caseloads and abstractions for the workforce tests.

Staff and abstractions go through this app's services; the other apps' records a
workload counts (nominals, investigations, referrals) are made directly, as the fixtures
of someone else's domain, so these tests do not depend on those apps' workflows.
"""

from __future__ import annotations

import datetime as dt
import itertools

from vigil.accounts.choices import Rank, Role, TeamKind
from vigil.core import clock
from vigil.core.testing import make_team, make_user
from vigil.people import services as people_services
from vigil.workforce.choices import StaffRole
from vigil.workforce.services import staff as staff_services

_n = itertools.count(1)


def mosovo(force, name="MOSOVO East"):
    return make_team(force, name=name, kind=TeamKind.MOSOVO)


def polit(force, name="POLIT West"):
    return make_team(force, name=name, kind=TeamKind.POLIT)


def staff(team, *, actor, role=StaffRole.OFFICER, fte="1.00", protected=0, user=None, **kwargs):
    """A user with a membership in `team` and a staff record there."""
    if user is None:
        member_role = {
            StaffRole.SUPERVISOR: Role.SUPERVISOR,
            StaffRole.MANAGER: Role.MANAGER,
        }.get(role, Role.OFFICER)
        rank = Rank.SERGEANT if role == StaffRole.SUPERVISOR else Rank.CONSTABLE
        user = make_user(member_role, team, rank=rank)
    return staff_services.staff_record_create(
        actor=actor,
        user=user,
        team=team,
        role=role,
        grade=user.rank,
        started_on=kwargs.pop("started_on", clock.today() - dt.timedelta(days=400)),
        fte=fte,
        protected_percent=protected,
        **kwargs,
    )


def nominal(team, manager, *, risk="medium", mode="active", status="active"):
    from vigil.offenders.models import Nominal

    n = next(_n)
    person = people_services.person_create(
        actor=manager,
        team=team,
        given_name=f"Nominal{n}",
        family_name="Morgan",
        date_of_birth=dt.date(1975, 3, 9),
        confirm_not_duplicate=True,
    )
    return Nominal.objects.create(
        person=person,
        team=team,
        offender_manager=manager,
        registered_by=manager,
        risk_level=risk,
        management_mode=mode,
        status=status,
    )


def investigation(team, officer, *, priority="medium", state="research"):
    from vigil.investigations.models import Investigation
    from vigil.referrals.models import Referral

    n = next(_n)
    suspect = people_services.person_create(
        actor=officer,
        team=team,
        given_name=f"Suspect{n}",
        family_name="Test",
        confirm_not_duplicate=True,
    )
    referral = Referral.objects.create(
        force=team.force,
        team=team,
        source="nca_ceop",
        source_reference=f"NCA-WF-{n:06d}",
        received_at=clock.now(),
        summary="Synthetic referral for tests.",
        suspect=suspect,
        risk_band=priority,
        priority=priority,
        status="allocated",
    )
    return Investigation.objects.create(
        referral=referral,
        suspect=suspect,
        owning_team=team,
        allocated_team=team,
        allocated_officer=officer,
        state=state,
        opened_at=clock.now(),
    )
