"""Building small sets of nominals for the register app's tests, through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from vigil.accounts.choices import Rank, Role, Scope, TeamKind
from vigil.core.testing import make_team, make_user
from vigil.offenders import services as offenders
from vigil.people import services as people
from vigil.register import services
from vigil.register.synthetic import render

_n = itertools.count(1)
GIVEN = [
    "Aled",
    "Bryn",
    "Cai",
    "Dewi",
    "Elfed",
    "Gareth",
    "Hywel",
    "Iestyn",
    "Jac",
    "Llew",
    "Meirion",
    "Nerys",
    "Osian",
    "Peredur",
    "Rhodri",
    "Sion",
    "Tomos",
    "Wyn",
]


class Mosovo:
    """A MOSOVO team with its officer, sergeant and force-wide inspector."""

    def __init__(self, force, name="MOSOVO East"):
        self.force = force
        self.team = make_team(force, name=name, kind=TeamKind.MOSOVO)
        self.officer = make_user(Role.OFFICER, self.team, full_name=f"Ffion Rowlands {name}")
        self.sergeant = make_user(
            Role.SUPERVISOR, self.team, rank=Rank.SERGEANT, full_name=f"Gethin Vaughan {name}"
        )
        self.inspector = make_user(Role.MANAGER, self.team, scope=Scope.FORCE, rank=Rank.INSPECTOR)

    def nominal(self, *, status="active", address=True, requirement=True, **person):
        n = next(_n)
        values = {
            "given_name": GIVEN[n % len(GIVEN)] + str(n),
            "family_name": "Morgan",
            "date_of_birth": dt.date(1950, 1, 1) + dt.timedelta(days=(97 * n) % 18000),
            "register_reference": f"{self.force.pk:02d}/{n:06d}",
        }
        values.update(person)
        p = people.person_create(
            actor=self.sergeant, team=self.team, confirm_not_duplicate=True, **values
        )
        if address:
            people.address_add(
                actor=self.sergeant,
                person=p,
                line1=f"{n} Heol y Bryn",
                town="Caerfyrddin",
                postcode="SA31 1AA",
                valid_from=dt.date(2020, 1, 1),
            )
        nominal = offenders.nominal_register(
            actor=self.sergeant,
            person=p,
            team=self.team,
            offender_manager=self.officer if status == "active" else self.officer,
            status=status,
        )
        if requirement:
            offenders.requirement_add(
                actor=self.sergeant,
                nominal=nominal,
                start_date=dt.date(2020, 6, 1),
                disposal="imprisonment",
                custodial_months=36,
            )
        return nominal


def row_for(nominal, **changes) -> dict:
    """The register row agreeing with `nominal` as Vigil holds it, with `changes`."""
    from vigil.offenders.models import Nominal
    from vigil.register import reconcile
    from vigil.register.synthetic import _add_address_parts, _row_from_vigil

    vigil = reconcile.load_nominals(Nominal.objects.filter(pk=nominal.pk))
    _add_address_parts(vigil)
    row = _row_from_vigil(vigil[nominal.pk])
    row.update(changes)
    return row


def extract_file(rows, file_format="csv") -> bytes:
    return render(rows, file_format)


def import_and_run(actor, content: bytes, filename="extract.csv"):
    result = services.extract_import(actor=actor, filename=filename, content=content)
    return services.extract_run(actor=actor, extract=result.extract), result
