"""A small partnership for the partners app's tests, built through the services."""

from __future__ import annotations

import datetime as dt

from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.core.testing import make_team, make_user
from vigil.partners.services import agreements
from vigil.register.tests.helpers import Mosovo


class Partnership:
    """A force with a MOSOVO team (officer, sergeant, force-wide inspector), an
    administrator, a probation region with two practitioners, and the agreement (owned by
    the inspector and the first practitioner), in force from 1 January 2026."""

    def __init__(self, force, *, name="Wales"):
        self.force = force
        self.mosovo = Mosovo(force)
        self.officer = self.mosovo.officer
        self.sergeant = self.mosovo.sergeant
        self.inspector = self.mosovo.inspector
        self.admin = make_user(
            Role.ADMIN,
            make_team(force, name="Admin", kind=TeamKind.OTHER),
            scope=Scope.FORCE,
            rank=Rank.STAFF_MANAGER,
        )
        self.region = agreements.region_create(
            actor=self.admin, force=force, name=name, name_cy="Cymru"
        )
        self.practitioner = make_user(
            Role.PROBATION, self.region.team, rank=Rank.EXTERNAL, full_name="Nia Griffiths"
        )
        self.practitioner2 = make_user(Role.PROBATION, self.region.team, rank=Rank.EXTERNAL)
        self.agreement = agreements.agreement_create(
            actor=self.admin,
            region=self.region,
            police_owner=self.inspector,
            probation_owner=self.practitioner,
            started_on=dt.date(2026, 1, 1),
        )

    def nominal(self, **person):
        return self.mosovo.nominal(**person)

    @staticmethod
    def reference(nominal) -> str:
        return nominal.person.register_reference
