"""Transfer of management to another force: requested by the managing team, decided by
a supervisor of the receiving force, the nominal and its duties moving on acceptance."""

import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.testing import make_force, make_user
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import selectors, services
from vigil.offenders.models import Nominal
from vigil.offenders.tests.helpers import make_plan, mosovo_team
from vigil.people.models import Person
from vigil.people.selectors import visible_people

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def gwent():
    force = make_force("gwent", "Gwent Police")
    team = mosovo_team(force, "Gwent MOSOVO")
    return {
        "force": force,
        "team": team,
        "sergeant": make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT, full_name="Siân Evans"),
        "officer": make_user(Role.OFFICER, team, rank=Rank.CONSTABLE, full_name="Owain Price"),
    }


def _request(nominal, actor, force):
    return services.transfer_request(
        actor=actor, nominal=nominal, to_force=force, reason="Moved to Newport."
    )


@time_machine.travel(NOW, tick=False)
def test_it_validates_the_request(nominal, officer, force):
    with pytest.raises(ValidationFailed) as exc:
        services.transfer_request(actor=officer, nominal=nominal, to_force=force, reason="")
    assert {f for f, _m in exc.value.errors} == {"to_force", "reason"}
    empty = make_force("dyfed", "No MOSOVO Police")
    with pytest.raises(ValidationFailed) as exc:
        _request(nominal, officer, empty)
    assert "has no MOSOVO team" in exc.value.errors[0][1]


@time_machine.travel(NOW, tick=False)
def test_it_is_accepted_by_the_receiving_force_and_the_duties_move(
    nominal, officer, sergeant, gwent
):
    make_plan(nominal, officer, months=1)
    transfer = _request(nominal, officer, gwent["force"])
    duty = Duty.objects.get(kind=kinds.TRANSFER, subject_id=transfer.uuid)
    assert duty.team == gwent["team"] and duty.assignee is None
    assert AuditEvent.objects.filter(action="nominal.transfer_request").exists()
    with pytest.raises(Conflict):
        _request(nominal, officer, gwent["force"])
    assert list(selectors.incoming_transfers(user=gwent["sergeant"])) == [transfer]
    assert not selectors.incoming_transfers(user=sergeant).exists()
    assert not selectors.incoming_transfers(user=gwent["officer"]).exists()
    with pytest.raises(PermissionDenied):
        services.transfer_accept(
            actor=gwent["officer"],
            transfer=transfer,
            team=gwent["team"],
            offender_manager=gwent["officer"],
        )
    with pytest.raises(NotFound):
        services.transfer_accept(
            actor=sergeant, transfer=transfer, team=nominal.team, offender_manager=officer
        )
    with pytest.raises(ValidationFailed) as exc:
        services.transfer_accept(
            actor=gwent["sergeant"],
            transfer=transfer,
            team=gwent["team"],
            offender_manager=officer,
        )
    assert exc.value.errors[0][0] == "offender_manager"
    open_before = Duty.objects.filter(person=nominal.person, completed_at__isnull=True).exclude(
        kind=kinds.TRANSFER
    )
    count = open_before.count()
    services.transfer_accept(
        actor=gwent["sergeant"],
        transfer=transfer,
        team=gwent["team"],
        offender_manager=gwent["officer"],
    )
    transfer.refresh_from_db()
    nominal = Nominal.objects.get(pk=nominal.pk)
    assert transfer.status == "accepted" and transfer.to_manager == gwent["officer"]
    assert nominal.team == gwent["team"] and nominal.offender_manager == gwent["officer"]
    moved = Duty.objects.filter(person=nominal.person, completed_at__isnull=True)
    assert moved.count() == count
    assert set(moved.values_list("team_id", flat=True)) == {gwent["team"].pk}
    arms = moved.get(kind=kinds.ARMS)
    assert arms.assignee == gwent["officer"]
    assert AuditEvent.objects.filter(action="duty.transfer").count() == count
    event = AuditEvent.objects.get(action="nominal.transfer_accept")
    assert event.changes["duties_moved"] == count
    # the nominal is now the receiving force's
    with pytest.raises(NotFound):
        selectors.get_nominal_for_user(officer, nominal.uuid)
    assert selectors.get_nominal_for_user(gwent["officer"], nominal.uuid) == nominal
    # ...and so is the person's record, which the receiving force can open.
    person = Person.objects.get(pk=nominal.person_id)
    assert person.team == gwent["team"] and person.force == gwent["force"]
    assert person in visible_people(gwent["officer"])
    assert person not in visible_people(officer)
    assert AuditEvent.objects.get(action="person.transfer").person_id == str(person.uuid)
    assert duties_check() == []
    with pytest.raises(Conflict):
        services.transfer_decline(actor=gwent["sergeant"], transfer=transfer, reason="x")


@time_machine.travel(NOW, tick=False)
def test_a_decline_needs_a_reason_and_leaves_the_nominal(nominal, officer, gwent):
    transfer = _request(nominal, officer, gwent["force"])
    with pytest.raises(ValidationFailed):
        services.transfer_decline(actor=gwent["sergeant"], transfer=transfer, reason=" ")
    services.transfer_decline(
        actor=gwent["sergeant"], transfer=transfer, reason="Not resident here yet."
    )
    transfer.refresh_from_db()
    assert transfer.status == "declined" and transfer.decided_by == gwent["sergeant"]
    assert Nominal.objects.get(pk=nominal.pk).team_id == nominal.team_id
    assert not Duty.objects.filter(kind=kinds.TRANSFER, completed_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="nominal.transfer_decline").exists()


@time_machine.travel(NOW, tick=False)
def test_a_restriction_goes_with_the_record_and_names_the_receiving_side(
    nominal, officer, sergeant, gwent
):
    from vigil.people import services as people_services
    from vigil.people.duty_kinds import RESTRICTION_REVIEW

    people_services.person_restrict(
        actor=sergeant, person=nominal.person, users=[officer], reason="Relative of an officer"
    )
    transfer = _request(nominal, officer, gwent["force"])
    services.transfer_accept(
        actor=gwent["sergeant"],
        transfer=transfer,
        team=gwent["team"],
        offender_manager=gwent["officer"],
    )
    person = Person.objects.get(pk=nominal.person_id)
    assert person.is_restricted and person.restriction_reason == "Relative of an officer"
    assert set(person.restricted_to.all()) == {gwent["sergeant"], gwent["officer"]}
    # The receiving side can open the record; the sending side no longer can.
    assert selectors.get_nominal_for_user(gwent["officer"], nominal.uuid).pk == nominal.pk
    assert person in visible_people(gwent["sergeant"])
    assert person not in visible_people(officer) and person not in visible_people(sergeant)
    event = AuditEvent.objects.filter(action="person.restrict").latest("id")
    assert event.reason == "The record was transferred to Gwent MOSOVO"
    assert event.changes["restricted_to"] == [
        sorted([officer.email, sergeant.email]),
        sorted([gwent["officer"].email, gwent["sergeant"].email]),
    ]
    # The review of the restriction moved to the receiving supervisor.
    review = Duty.objects.get(kind=RESTRICTION_REVIEW, completed_at__isnull=True)
    assert review.team == gwent["team"] and review.assignee == gwent["sergeant"]
    assert duties_check() == []
    # ...who can review it, being named on it.
    people_services.person_restriction_review(
        actor=gwent["sergeant"], person=person, note="Still needed"
    )
