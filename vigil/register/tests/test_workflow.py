"""The discrepancy workflow (assign, resolve, all audited, duties), closing when a later
extract agrees, and point I's evidence for past dates."""

import datetime as dt

import pytest
import time_machine

from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.duties.models import Duty
from vigil.register import selectors, services
from vigil.register.choices import DiscrepancyStatus
from vigil.register.models import Discrepancy
from vigil.register.tests.helpers import extract_file, import_and_run, row_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(east):
    nominals = [east.nominal() for _ in range(3)]
    rows = [row_for(n) for n in nominals]
    rows[0]["postcode"] = "SA99 9ZZ"
    import_and_run(east.sergeant, extract_file(rows), "one.csv")
    return nominals, rows


def _open():
    return Discrepancy.objects.filter(status=DiscrepancyStatus.OPEN)


def test_it_opens_one_discrepancy_per_field_with_both_values(east, setup):
    nominals, rows = setup
    d = _open().get()
    assert (d.kind, d.field, d.nominal, d.team) == (
        "field_differs",
        "postcode",
        nominals[0],
        east.team,
    )
    assert (d.register_value, d.vigil_value) == ("SA99 9ZZ", "SA31 1AA")
    assert d.opened_at is not None and d.match == "reference"


def test_a_supervisor_assigns_and_resolves_with_duty_and_audit(east, setup):
    d = _open().get()
    services.discrepancy_assign(actor=east.sergeant, discrepancy=d, assignee=east.officer)
    duty = Duty.objects.get(kind="register.discrepancy", completed_at__isnull=True)
    assert duty.assignee == east.officer and duty.team == east.team
    event = AuditEvent.objects.get(action="register.discrepancy_assign")
    assert event.person_id == str(d.nominal.person.uuid)
    with pytest.raises(ValidationFailed):
        services.discrepancy_resolve(
            actor=east.sergeant, discrepancy=d, resolution="explained", note=""
        )
    with pytest.raises(ValidationFailed):
        services.discrepancy_resolve(
            actor=east.sergeant, discrepancy=d, resolution="agreed", note="x"
        )
    services.discrepancy_resolve(
        actor=east.sergeant,
        discrepancy=d,
        resolution="corrected_in_vigil",
        note="Postcode updated from the tenancy agreement.",
    )
    d.refresh_from_db()
    assert d.status == "closed" and d.closed_by == east.sergeant and d.closed_at
    assert d.resolution == "corrected_in_vigil"
    duty.refresh_from_db()
    assert duty.completed_at is not None
    resolve = AuditEvent.objects.get(action="register.discrepancy_resolve")
    assert resolve.changes["resolution"] == "corrected_in_vigil"
    with pytest.raises(Conflict):
        services.discrepancy_resolve(
            actor=east.sergeant, discrepancy=d, resolution="explained", note="x"
        )


def test_officers_cannot_assign_or_resolve_and_outsiders_get_not_found(east, setup):
    from vigil.core.testing import make_force
    from vigil.register.tests.helpers import Mosovo

    d = _open().get()
    with pytest.raises(PermissionDenied):
        services.discrepancy_assign(actor=east.officer, discrepancy=d, assignee=east.officer)
    other = Mosovo(make_force("gwent", "Gwent Police"), name="MOSOVO Gwent")
    with pytest.raises(NotFound):
        services.discrepancy_resolve(
            actor=other.sergeant, discrepancy=d, resolution="explained", note="x"
        )
    with pytest.raises(ValidationFailed):
        services.discrepancy_assign(actor=east.sergeant, discrepancy=d, assignee=other.officer)


def test_a_later_extract_that_agrees_closes_it_and_its_duty(east, setup):
    nominals, rows = setup
    d = _open().get()
    services.discrepancy_assign(actor=east.sergeant, discrepancy=d, assignee=east.officer)
    rows[0]["postcode"] = "SA31 1AA"
    extract, _ = import_and_run(east.sergeant, extract_file(rows), "two.csv")
    d.refresh_from_db()
    assert d.status == "closed" and d.resolution == "agreed" and d.closed_by_extract == extract
    assert extract.closed_count == 1 and extract.opened_count == 0
    assert not Duty.objects.filter(kind="register.discrepancy", completed_at__isnull=True).exists()
    event = AuditEvent.objects.filter(action="register.extract_reconcile").latest("id")
    assert str(d.uuid) in event.changes["closed_as_agreed"]


def test_a_later_extract_that_still_disagrees_keeps_it_open(east, setup):
    nominals, rows = setup
    d = _open().get()
    rows.append(row_for(east.nominal()))
    extract, _ = import_and_run(east.sergeant, extract_file(rows), "two.csv")
    d.refresh_from_db()
    assert d.status == "open" and d.last_seen_in == extract and d.found_in != extract
    assert _open().count() == 1


def test_explained_is_not_raised_again_but_other_resolutions_are(east, setup):
    nominals, rows = setup
    d = _open().get()
    services.discrepancy_resolve(
        actor=east.sergeant, discrepancy=d, resolution="explained", note="Both right."
    )
    rows.append(row_for(east.nominal()))
    import_and_run(east.sergeant, extract_file(rows), "two.csv")
    assert not _open().exists()
    rows[1]["risk_level"] = "high"
    import_and_run(east.sergeant, extract_file(rows), "three.csv")
    d2 = _open().get()
    services.discrepancy_resolve(
        actor=east.sergeant,
        discrepancy=d2,
        resolution="register_to_be_corrected",
        note="Asked ViSOR.",
    )
    rows.append(row_for(east.nominal()))
    import_and_run(east.sergeant, extract_file(rows), "four.csv")
    assert _open().get().field == "risk_level"


def test_evidence_is_right_for_past_dates(east):
    with time_machine.travel("2026-09-01 09:00:00+00:00", tick=False):
        nominals = [east.nominal() for _ in range(4)]
        rows = [row_for(n) for n in nominals]
        rows[0]["given_name"] = "Someone"
        rows[1]["status"] = "custody"
        import_and_run(east.sergeant, extract_file(rows), "sept.csv")
    with time_machine.travel("2026-10-01 09:00:00+00:00", tick=False):
        rows = [row_for(n) for n in nominals]
        import_and_run(east.sergeant, extract_file(rows), "oct.csv")
    before = selectors.register_evidence(force=east.force, as_of=dt.date(2026, 8, 31))
    assert before["numerator"] == 0 and before["latest_reconciliation"] is None
    sept = selectors.register_evidence(force=east.force, as_of=dt.date(2026, 9, 15))
    assert (sept["numerator"], sept["denominator"]) == (2, 4)
    assert sept["age_days"] == 14
    octo = selectors.register_evidence(force=east.force, as_of=dt.date(2026, 10, 5))
    assert (octo["numerator"], octo["denominator"]) == (4, 4)
    assert octo["age_days"] == 4


def test_reassigning_moves_the_duty(east, setup):
    from vigil.accounts.choices import Role
    from vigil.core.testing import make_user

    colleague = make_user(Role.OFFICER, east.team)
    d = _open().get()
    services.discrepancy_assign(actor=east.sergeant, discrepancy=d, assignee=east.officer)
    with pytest.raises(ValidationFailed):
        services.discrepancy_assign(actor=east.sergeant, discrepancy=d, assignee=east.officer)
    services.discrepancy_assign(actor=east.sergeant, discrepancy=d, assignee=colleague)
    open_duties = Duty.objects.filter(kind="register.discrepancy", completed_at__isnull=True)
    assert [x.assignee for x in open_duties] == [colleague]
    from vigil.duties.registry import get_kind

    expected = get_kind("register.discrepancy").expected(None)
    assert expected == {("register.discrepancy", d.uuid)}


def test_the_report_counts_by_kind_age_and_team(east):
    with time_machine.travel("2026-07-20 09:00:00+00:00", tick=False):
        old = east.nominal()
        import_and_run(east.sergeant, extract_file([row_for(old, risk_level="high")]), "july.csv")
    fresh = east.nominal()
    rows = [row_for(old, risk_level="high"), row_for(fresh, status="custody")]
    rows.append(
        row_for(
            fresh, register_reference="77/1", given_name="Else", date_of_birth=dt.date(1960, 2, 2)
        )
    )
    import_and_run(east.sergeant, extract_file(rows), "nov.csv")
    report = selectors.reconciliation_report(user=east.sergeant)
    assert report["total"] == 3
    assert {k["kind"].value: k["count"] for k in report["kinds"]} == {
        "not_in_vigil": 1,
        "not_on_register": 0,
        "field_differs": 2,
    }
    assert {a["band"].value: a["count"] for a in report["ages"]} == {
        "0_30": 2,
        "31_90": 0,
        "91_180": 1,
        "over_180": 0,
    }
    teams = {t["team__name"]: t["n"] for t in report["teams"]}
    assert teams == {None: 1, east.team.name: 2}
    (figure,) = report["figures"]
    assert (figure["numerator"], figure["denominator"], figure["age_days"]) == (0, 2, 0)
    assert figure["overdue"] is False
    officer_view = selectors.reconciliation_report(user=east.officer)
    assert officer_view["total"] == 2  # the row not in Vigil is for supervisors
