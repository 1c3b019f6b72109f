import datetime as dt
import zoneinfo

import pytest
import time_machine

from vigil.accounts.choices import Role, TeamKind
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.services import policy_override_create
from vigil.core.testing import make_force, make_team, make_user
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.investigations.models import Investigation
from vigil.people.models import Person
from vigil.referrals import duty_kinds, services
from vigil.referrals.choices import Status
from vigil.referrals.models import Referral
from vigil.referrals.tests.helpers import HIGH_ANSWERS, LOW_ANSWERS, graded, make_person, receive

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
KINDS = [
    duty_kinds.ASSESSMENT,
    duty_kinds.SIGN_OFF,
    duty_kinds.ACTION_TARGET,
    duty_kinds.RSO_NOTICE,
]


def _open(kind, referral):
    return Duty.objects.filter(
        kind=kind, subject_id=referral.uuid, completed_at__isnull=True
    ).first()


# --- intake -----------------------------------------------------------------------------


def test_it_receives_a_referral_with_its_details_and_opens_the_assessment_duty(polit):
    suspect = make_person(polit.team, polit.officer)
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=LONDON), tick=False):
        referral = services.referral_receive(
            actor=polit.officer,
            team=polit.team,
            source="nca_ceop",
            source_reference="NCA-2026-0001",
            summary="Platform report of uploads.",
            suspect=suspect,
            suspect_age="adult",
            identifiers=[("username", "@Dragon99", "Kik"), ("email", "A@Example.com", "")],
            children=[{"status": "believed_at_risk", "description": "Girl about 12"}],
            material=[{"description": "Platform report", "item_count": 3, "category": "B"}],
            confirm_not_duplicate=True,
        )
    assert referral.status == Status.AWAITING_ASSESSMENT
    assert sorted(referral.identifiers.values_list("normalised", flat=True)) == [
        "a@example.com",
        "dragon99",
    ]
    assert referral.children.get().description == "Girl about 12"
    assert referral.material.get().item_count == 3
    duty = _open(duty_kinds.ASSESSMENT, referral)
    # Received on Friday: due at the end of the next working day (Monday).
    assert duty.due_at == dt.datetime(2026, 3, 9, 23, 59, 59, tzinfo=LONDON)
    assert AuditEvent.objects.filter(
        action="referral.receive", target_id=str(referral.uuid)
    ).exists()


def test_it_refuses_an_nca_reference_the_force_already_holds(polit):
    receive(polit.officer, polit.team, source_reference="NCA-DUP-1")
    with pytest.raises(Conflict) as exc:
        receive(polit.officer, polit.team, source_reference="nca-dup-1")
    assert exc.value.field == "source_reference"
    assert Referral.objects.count() == 1


def test_it_allows_the_same_nca_reference_in_another_force(polit):
    receive(polit.officer, polit.team, source_reference="NCA-X")
    other_team = make_team(make_force("gwent", "Gwent Police"), name="POLIT Gwent")
    other_officer = make_user(Role.OFFICER, other_team)
    receive(other_officer, other_team, source_reference="NCA-X")
    assert Referral.objects.count() == 2


def test_it_reports_every_invalid_field_at_once(polit):
    with pytest.raises(ValidationFailed) as exc:
        services.referral_receive(
            actor=polit.officer,
            team=polit.team,
            source="nca_ceop",
            source_reference="",
            summary="",
            identifiers=[("email", "not-an-address", "")],
        )
    fields = {f for f, _m in exc.value.errors}
    assert {"source_reference", "summary", "identifiers.0.value"} <= fields
    assert Referral.objects.count() == 0


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSURANCE])
def test_it_refuses_receipt_by_roles_without_casework(polit, role):
    with pytest.raises(PermissionDenied):
        receive(make_user(role, polit.team), polit.team)


def test_it_refuses_receipt_for_a_mosovo_team(polit, other_team):
    mosovo_officer = make_user(Role.OFFICER, other_team)
    with pytest.raises(PermissionDenied):
        receive(mosovo_officer, other_team)


def test_it_shows_matches_on_source_reference_identifier_and_person(polit):
    suspect = make_person(polit.team, polit.officer, pnc_id="80/1234567A")
    from vigil.people import services as people

    people.identifier_add(actor=polit.officer, person=suspect, kind="email", value="x@example.com")
    first = receive(
        polit.officer,
        polit.team,
        source="other_force",
        source_reference="OF-77",
        identifiers=[("username", "dragon99", "")],
    )
    with pytest.raises(services.PossibleMatches) as exc:
        services.referral_receive(
            actor=polit.officer,
            team=polit.team,
            source="other_force",
            source_reference="of-77",
            summary="Again",
            identifiers=[("username", "@DRAGON99", ""), ("email", "X@example.com", "")],
        )
    matches = exc.value.matches
    assert [m.referral for m in matches.referrals] == [first]
    assert set(matches.referrals[0].reasons) == {"source_reference", "identifier"}
    assert [m.person for m in matches.people] == [suspect]
    assert Referral.objects.count() == 1


def test_it_links_a_new_referral_to_an_earlier_one_without_opening_duties(polit):
    first = receive(polit.officer, polit.team)
    second = receive(polit.officer, polit.team, source="public", source_reference="", link_to=first)
    assert second.status == Status.LINKED and second.linked_to == first
    assert not Duty.objects.filter(subject_id=second.uuid).exists()


def test_it_links_a_referral_held_to_an_earlier_one_and_closes_its_duties(polit):
    first = receive(polit.officer, polit.team)
    second = receive(polit.officer, polit.team)
    services.referral_link(actor=polit.officer, referral=second, to=first)
    second.refresh_from_db()
    assert second.status == Status.LINKED
    assert _open(duty_kinds.ASSESSMENT, second) is None


def test_it_creates_the_suspect_through_the_duplicate_check(polit):
    make_person(polit.team, polit.officer, given_name="Dai", family_name="Jones")
    with pytest.raises(services.PossibleMatches) as exc:
        receive(
            polit.officer,
            polit.team,
            confirm_not_duplicate=False,
            new_suspect={
                "given_name": "Dai",
                "family_name": "JONES",
                "date_of_birth": dt.date(1980, 5, 17),
            },
        )
    assert [m.person.family_name for m in exc.value.matches.people] == ["Jones"]
    referral = receive(
        polit.officer,
        polit.team,
        confirm_not_duplicate=True,
        new_suspect={
            "given_name": "Dai",
            "family_name": "Jones",
            "date_of_birth": dt.date(1980, 5, 17),
        },
    )
    assert Person.objects.filter(family_name__iexact="jones").count() == 2
    assert referral.suspect.family_name == "Jones"


def test_it_flags_a_registered_offender_and_opens_a_duty_for_the_managing_team(polit, other_team):
    manager = make_user(Role.OFFICER, other_team)
    rso = make_person(other_team, manager, register_reference="01/000123")
    referral = receive(polit.officer, polit.team, suspect=rso)
    assert referral.suspect_is_rso
    duty = _open(duty_kinds.RSO_NOTICE, referral)
    assert duty.team == other_team and duty.assignee is None and duty.person == rso
    with pytest.raises(NotFound):
        services.referral_rso_acknowledge(actor=polit.officer, referral=referral)
    services.referral_rso_acknowledge(actor=manager, referral=referral)
    assert _open(duty_kinds.RSO_NOTICE, referral) is None
    assert duties_check(kinds=[duty_kinds.RSO_NOTICE]) == []


def test_it_does_not_flag_a_suspect_without_a_register_reference(polit):
    referral = receive(polit.officer, polit.team, suspect=make_person(polit.team, polit.officer))
    assert not referral.suspect_is_rso
    assert not services.is_registered_offender(referral.suspect)
    assert not services.is_registered_offender(None)


# --- assessment, grading, sign-off -------------------------------------------------------


@pytest.mark.parametrize(
    ("band", "factors", "expected"),
    [
        ("low", {}, "low"),
        ("low", {"child_in_household": True}, "medium"),
        ("low", {"child_in_household": True, "position_of_trust": True}, "high"),
        (
            "medium",
            {"child_in_household": True, "position_of_trust": True, "live_or_contact_abuse": True},
            "very_high",
        ),
        ("high", {"live_or_contact_abuse": True, "position_of_trust": True}, "very_high"),
        ("very_high", {"live_or_contact_abuse": True}, "very_high"),
    ],
)
def test_it_derives_the_priority_from_band_and_factors(band, factors, expected):
    values = {
        "child_in_household": False,
        "position_of_trust": False,
        "live_or_contact_abuse": False,
    }
    assert services.derive_priority(band, **(values | factors)) == expected


def test_it_assesses_with_the_referral_instrument(polit):
    referral = receive(polit.officer, polit.team, suspect=make_person(polit.team, polit.officer))
    referral = services.referral_assess(
        actor=polit.officer, referral=referral, answers=HIGH_ANSWERS
    )
    assert referral.status == Status.AWAITING_GRADING
    assert referral.risk_band == "high"
    assert referral.assessment.instrument_code == "referral-risk"


def test_it_refuses_grading_before_assessment(polit):
    referral = receive(polit.officer, polit.team)
    with pytest.raises(Conflict):
        services.referral_grade(actor=polit.officer, referral=referral)


def test_it_grades_sets_the_target_and_swaps_the_duties(polit):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), tick=False):
        referral = graded(polit.officer, polit.team, answers=HIGH_ANSWERS)
    assert referral.status == Status.AWAITING_ALLOCATION
    assert referral.priority == referral.derived_priority == "high"
    assert referral.target_at == dt.datetime(2026, 3, 9, 9, 0, tzinfo=LONDON)
    assert _open(duty_kinds.ASSESSMENT, referral) is None
    assert _open(duty_kinds.ACTION_TARGET, referral).due_at == referral.target_at
    assert duties_check(kinds=KINDS) == []


def test_it_needs_a_rationale_to_override_the_priority(polit):
    referral = receive(polit.officer, polit.team, suspect=make_person(polit.team, polit.officer))
    referral = services.referral_assess(actor=polit.officer, referral=referral, answers=LOW_ANSWERS)
    with pytest.raises(ValidationFailed) as exc:
        services.referral_grade(actor=polit.officer, referral=referral, override_priority="high")
    assert exc.value.field == "override_rationale"
    referral.refresh_from_db()
    assert referral.priority == "" and referral.status == Status.AWAITING_GRADING


def test_an_override_needs_sign_off_by_a_supervisor_who_did_not_grade(polit):
    referral = graded(
        polit.supervisor,
        polit.team,
        override_priority="very_high",
        override_rationale="Live streaming reported by the platform.",
    )
    assert referral.status == Status.AWAITING_SIGN_OFF
    assert referral.derived_priority == "low" and referral.priority == "very_high"
    assert _open(duty_kinds.SIGN_OFF, referral) is not None
    assert _open(duty_kinds.ACTION_TARGET, referral) is None
    with pytest.raises(PermissionDenied):
        services.referral_sign_off(actor=polit.supervisor, referral=referral)
    with pytest.raises(PermissionDenied):
        services.referral_sign_off(actor=polit.officer, referral=referral)
    services.referral_sign_off(actor=polit.second, referral=referral)
    referral.refresh_from_db()
    assert referral.status == Status.AWAITING_ALLOCATION
    assert referral.grading_signed_off_by == polit.second
    assert _open(duty_kinds.SIGN_OFF, referral) is None
    assert _open(duty_kinds.ACTION_TARGET, referral).due_at == referral.target_at
    assert duties_check(kinds=KINDS) == []


def test_a_policy_can_make_every_grading_need_sign_off(polit):
    admin = make_user(Role.ADMIN, polit.team)
    before = graded(polit.officer, polit.team)
    assert before.status == Status.AWAITING_ALLOCATION
    policy_override_create(
        actor=admin,
        key="referrals.grading_requires_sign_off",
        value="yes",
        effective_from=None,
        reason="Force decision",
    )
    after = graded(polit.officer, polit.team)
    assert after.status == Status.AWAITING_SIGN_OFF and after.grading_needs_sign_off


def test_it_uses_the_target_policy_in_force_at_grading(polit):
    admin = make_user(Role.ADMIN, polit.team)
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)
    with time_machine.travel(start, tick=False):
        policy_override_create(
            actor=admin,
            key="referrals.target_days.low",
            value=20,
            effective_from=start + dt.timedelta(days=10),
            reason="Tighter target",
        )
        early = graded(polit.officer, polit.team)
    with time_machine.travel(start + dt.timedelta(days=10), tick=False):
        late = graded(polit.officer, polit.team)
    assert early.target_at == start + dt.timedelta(days=30)
    assert late.target_at == start + dt.timedelta(days=10 + 20)


def test_a_missed_target_is_an_overdue_duty_at_the_edge(polit):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), tick=False):
        referral = graded(polit.officer, polit.team, answers=HIGH_ANSWERS)
    duty = _open(duty_kinds.ACTION_TARGET, referral)
    from vigil.duties.models import Duty as D

    def overdue(at):
        return D.objects.filter(pk=duty.pk, completed_at__isnull=True, due_at__lt=at).exists()

    assert not overdue(referral.target_at)
    assert overdue(referral.target_at + dt.timedelta(seconds=1))
    services.referral_mark_actioned(actor=polit.officer, referral=referral)
    assert _open(duty_kinds.ACTION_TARGET, referral) is None


def test_the_assessment_duty_is_due_at_the_end_of_the_next_working_day(polit):
    # Received on the Thursday before Good Friday 2026: due on Tuesday after Easter Monday.
    with time_machine.travel(dt.datetime(2026, 4, 2, 17, 0, tzinfo=LONDON), tick=False):
        referral = receive(polit.officer, polit.team)
    assert _open(duty_kinds.ASSESSMENT, referral).due_at == dt.datetime(
        2026, 4, 7, 23, 59, 59, tzinfo=LONDON
    )


# --- allocation and closure ---------------------------------------------------------------


def test_it_allocates_outside_polit_and_opens_the_investigation(polit, force):
    cid = make_team(force, name="CID Carmarthen", kind=TeamKind.OTHER)
    detective = make_user(Role.OFFICER, cid)
    referral = graded(polit.officer, polit.team)
    with pytest.raises(PermissionDenied):
        services.referral_allocate(actor=polit.officer, referral=referral, team=cid)
    with time_machine.travel(clock.now() + dt.timedelta(hours=2), tick=False):
        services.referral_allocate(
            actor=polit.supervisor, referral=referral, team=cid, officer=detective
        )
    referral.refresh_from_db()
    assert referral.status == Status.ALLOCATED and referral.allocated_at is not None
    investigation = Investigation.objects.get(referral=referral)
    assert investigation.allocated_team == cid and investigation.owning_team == polit.team
    assert duties_check(kinds=KINDS) == []


def test_it_refuses_an_officer_outside_the_chosen_team(polit, force, other_team):
    referral = graded(polit.officer, polit.team)
    with pytest.raises(ValidationFailed) as exc:
        services.referral_allocate(
            actor=polit.supervisor, referral=referral, team=other_team, officer=polit.officer
        )
    assert exc.value.field == "officer"


def test_it_refuses_allocation_to_another_forces_team(polit):
    elsewhere = make_team(
        make_force("gwent", "Gwent Police"), name="CID Gwent", kind=TeamKind.OTHER
    )
    referral = graded(polit.officer, polit.team)
    with pytest.raises(ValidationFailed):
        services.referral_allocate(actor=polit.supervisor, referral=referral, team=elsewhere)


def test_it_closes_with_a_reason_and_closes_duties(polit):
    referral = receive(polit.officer, polit.team)
    with pytest.raises(ValidationFailed):
        services.referral_close(actor=polit.officer, referral=referral, reason=" ")
    services.referral_close(actor=polit.officer, referral=referral, reason="No UK nexus")
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED and referral.closure_reason == "No UK nexus"
    assert _open(duty_kinds.ASSESSMENT, referral) is None
    assert duties_check(kinds=KINDS) == []


def test_an_officer_of_another_force_cannot_touch_the_referral(polit):
    other_team = make_team(make_force("gwent", "Gwent Police"), name="POLIT Gwent")
    outsider = make_user(Role.SUPERVISOR, other_team)
    referral = receive(polit.officer, polit.team)
    with pytest.raises(NotFound):
        services.referral_close(actor=outsider, referral=referral, reason="x")
    with pytest.raises(NotFound):
        services.referral_assess(actor=outsider, referral=referral, answers=LOW_ANSWERS)
