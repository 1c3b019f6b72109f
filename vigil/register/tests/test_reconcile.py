"""Reconciliation finds exactly what differs: the injected set, nothing more or less."""

import pytest

from vigil.accounts.choices import Role
from vigil.core.exceptions import PermissionDenied
from vigil.core.testing import make_force, make_user
from vigil.register import services
from vigil.register.choices import DiscrepancyKind, DiscrepancyStatus, MatchKind
from vigil.register.models import Discrepancy
from vigil.register.synthetic import write_extract
from vigil.register.tests.helpers import Mosovo, extract_file, import_and_run, row_for

pytestmark = pytest.mark.django_db


def _found(force_ids=None):
    qs = Discrepancy.objects.filter(status=DiscrepancyStatus.OPEN)
    if force_ids:
        qs = qs.filter(force_id__in=force_ids)
    return {(d.kind, d.register_reference, d.field) for d in qs}


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_it_finds_exactly_the_injected_discrepancies(east, file_format):
    for _ in range(24):
        east.nominal()
    east.nominal(status="custody")
    written = write_extract(
        forces=[east.force], seed=7, file_format=file_format, not_in_vigil=3, not_on_register=2
    )
    kinds = {k for k, _r, _f in written.expected}
    assert kinds == {k.value for k in DiscrepancyKind}
    fields = {f for k, _r, f in written.expected if k == DiscrepancyKind.FIELD_DIFFERS}
    assert len(fields) >= 12  # every compared field the data allows, and the reference
    extract, _result = import_and_run(east.sergeant, written.content, f"x.{file_format}")
    assert extract.status == "complete"
    assert _found() == written.expected
    weak = Discrepancy.objects.filter(field="register_reference")
    assert weak.count() == 2 and all(d.match == MatchKind.NAME_DOB for d in weak)
    assert extract.matched_by_name == 2


def test_it_reconciles_several_forces_in_one_extract(db):
    a = Mosovo(make_force("dyfed-powys", "Dyfed-Powys Police"))
    b = Mosovo(make_force("gwent", "Gwent Police"), name="MOSOVO Gwent")
    for _ in range(8):
        a.nominal()
        b.nominal()
    admin = make_user(Role.ADMIN, a.team)
    admin.memberships.create(team=b.team, role=Role.ADMIN)
    written = write_extract(forces=[a.force, b.force], seed=3)
    assert any(f == "managing_force" for _k, _r, f in written.expected)
    extract, _ = import_and_run(admin, written.content)
    assert _found() == written.expected
    assert sorted(extract.forces.values_list("code", flat=True)) == ["dyfed-powys", "gwent"]
    # A supervisor of one force cannot import a file naming the other.
    with pytest.raises(PermissionDenied):
        services.extract_import(actor=a.sergeant, filename="y.csv", content=written.content + b"\n")


def test_a_nominal_with_no_reference_is_matched_by_name_and_flagged(east):
    nominal = east.nominal(register_reference="")
    row = row_for(nominal, register_reference="99/123456")
    import_and_run(east.sergeant, extract_file([row]))
    d = Discrepancy.objects.get(status="open")
    assert (d.kind, d.field, d.match) == ("field_differs", "register_reference", "name_dob")
    assert (d.register_value, d.vigil_value) == ("99/123456", "")


def test_two_people_with_the_same_name_and_birth_are_not_guessed(east):
    import datetime as dt

    dob = dt.date(1980, 5, 17)
    first = east.nominal(register_reference="", given_name="Dai", date_of_birth=dob)
    east.nominal(register_reference="", given_name="Dai", date_of_birth=dob)
    row = row_for(first, register_reference="99/1")
    import_and_run(east.sergeant, extract_file([row]))
    kinds = sorted(Discrepancy.objects.filter(status="open").values_list("kind", flat=True))
    assert kinds == ["not_in_vigil", "not_on_register", "not_on_register"]
