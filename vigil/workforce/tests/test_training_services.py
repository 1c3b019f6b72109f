"""Training services: the catalogue, sessions, attendance and withdrawal (state and audit,
bad input changing nothing), and the supervisor's trauma-informed training duty."""

import datetime as dt

import pytest
import time_machine

from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.exceptions import Conflict, ValidationFailed
from vigil.duties.models import Duty
from vigil.workforce.choices import StaffRole
from vigil.workforce.duty_kinds import TRAINING_REFRESH
from vigil.workforce.models import Course, TrainingCompletion, TrainingSession
from vigil.workforce.services import staff as staff_services
from vigil.workforce.services import training as services
from vigil.workforce.tests import helpers
from vigil.workforce.tests import training_helpers as th

pytestmark = pytest.mark.django_db


def _duty(record):
    return Duty.objects.filter(kind=TRAINING_REFRESH, subject_id=record.uuid)


@pytest.fixture
def supervisor(east, manager):
    return helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR)


@pytest.fixture
def course(force, manager):
    return th.course(force, actor=manager)


# --- the catalogue ----------------------------------------------------------------------


def test_a_course_is_added_with_its_titles_and_audited(force, manager):
    course = services.course_create(
        actor=manager,
        force=force,
        title="Trauma-informed practice",
        title_cy="Ymarfer wedi'i lywio gan drawma",
        trauma_informed=True,
        refresh_months="24",
    )
    assert (course.title_cy, course.trauma_informed, course.refresh_months) == (
        "Ymarfer wedi'i lywio gan drawma",
        True,
        24,
    )
    event = AuditEvent.objects.get(action="workforce.course_create")
    assert event.changes["refresh_months"] == 24 and event.actor_id == manager.pk


@pytest.mark.parametrize(
    "title, title_cy, months, field",
    [
        ("", "Teitl", 12, "title"),
        ("Title", "  ", 12, "title_cy"),
        ("Title", "Teitl", 0, "refresh_months"),
        ("Title", "Teitl", "many", "refresh_months"),
        ("Title", "Teitl", 121, "refresh_months"),
        ("T" * 201, "Teitl", 12, "title"),
    ],
)
def test_bad_course_input_is_refused_and_changes_nothing(
    force, manager, title, title_cy, months, field
):
    with pytest.raises(ValidationFailed) as exc:
        services.course_create(
            actor=manager,
            force=force,
            title=title,
            title_cy=title_cy,
            trauma_informed=True,
            refresh_months=months,
        )
    assert field in {e[0] for e in exc.value.errors}
    assert not Course.objects.exists()
    assert not AuditEvent.objects.filter(action="workforce.course_create").exists()


def test_a_second_course_of_the_same_title_is_refused(force, manager, course):
    with pytest.raises(Conflict):
        th.course(force, actor=manager, title=course.title.upper())
    assert Course.objects.count() == 1


def test_a_course_edit_records_before_and_after(manager, course):
    services.course_edit(
        actor=manager,
        course=course,
        title=course.title,
        title_cy="Goruchwylio",
        trauma_informed=True,
        refresh_months=36,
    )
    course.refresh_from_db()
    assert (course.title_cy, course.refresh_months) == ("Goruchwylio", 36)
    event = AuditEvent.objects.get(action="workforce.course_edit")
    assert event.changes == {
        "title_cy": [f"{course.title} (cy)", "Goruchwylio"],
        "refresh_months": [24, 36],
    }


def test_a_course_with_records_keeps_whether_it_is_trauma_informed(
    east, manager, course, supervisor
):
    s = th.session(east, actor=manager, course=course, held_on=clock.today())
    th.attended(s, [supervisor], actor=manager)
    with pytest.raises(Conflict):
        services.course_edit(
            actor=manager,
            course=course,
            title=course.title,
            title_cy=course.title_cy,
            trauma_informed=False,
            refresh_months=24,
        )
    course.refresh_from_db()
    assert course.trauma_informed is True


def test_a_new_refresh_period_leaves_the_expiry_of_records_already_made(
    east, manager, course, supervisor
):
    s = th.session(east, actor=manager, course=course, held_on=th.day("2026-10-01"))
    (row,) = th.attended(s, [supervisor], actor=manager)
    services.course_edit(
        actor=manager,
        course=course,
        title=course.title,
        title_cy=course.title_cy,
        trauma_informed=True,
        refresh_months=6,
    )
    row.refresh_from_db()
    assert row.expires_on == th.day("2028-10-01")


# --- sessions ---------------------------------------------------------------------------


def test_sessions_are_scheduled_and_audited(east, manager, course):
    s = th.session(east, actor=manager, course=course, held_on=th.day("2026-12-01"))
    ks = th.session(
        east,
        actor=manager,
        held_on=th.day("2026-12-02"),
        knowledge_sharing=True,
        topic="Lessons from a case review",
    )
    assert (s.course_id, s.knowledge_sharing, s.facilitator) == (course.pk, False, "Dr Ceri Hughes")
    assert (ks.course_id, ks.knowledge_sharing) == (None, True)
    assert AuditEvent.objects.filter(action="workforce.session_schedule").count() == 2


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"knowledge_sharing": True, "topic": ""}, "topic"),
        ({"knowledge_sharing": False}, "course"),
        ({"knowledge_sharing": True, "topic": "x", "facilitator": " "}, "facilitator"),
        ({"knowledge_sharing": True, "topic": "x", "held_on": dt.date(2001, 1, 1)}, "held_on"),
    ],
)
def test_bad_session_input_is_refused_and_changes_nothing(east, manager, kwargs, field):
    values = {"held_on": clock.today(), "facilitator": "Someone", **kwargs}
    with pytest.raises(ValidationFailed) as exc:
        services.session_schedule(actor=manager, team=east, **values)
    assert field in {e[0] for e in exc.value.errors}
    assert not TrainingSession.objects.exists()


def test_a_course_of_another_force_is_refused(east, manager):
    from vigil.core.testing import make_force

    other = th.course(make_force("gwent", "Gwent Police"), actor=manager)
    with pytest.raises(ValidationFailed):
        th.session(east, actor=manager, course=other, held_on=clock.today())
    assert not TrainingSession.objects.exists()


# --- attendance -------------------------------------------------------------------------


def test_attendance_is_recorded_for_many_with_expiry_and_audit(east, manager, course, supervisor):
    officer = helpers.staff(east, actor=manager)
    s = th.session(east, actor=manager, course=course, held_on=th.day("2026-10-15"))
    rows = th.attended(s, [supervisor, officer], actor=manager)
    assert {(r.staff_id, r.completed_on, r.expires_on) for r in rows} == {
        (supervisor.pk, th.day("2026-10-15"), th.day("2028-10-15")),
        (officer.pk, th.day("2026-10-15"), th.day("2028-10-15")),
    }
    events = AuditEvent.objects.filter(action="workforce.training_record")
    assert events.count() == 2
    assert {e.changes["staff"] for e in events} == {str(supervisor.uuid), str(officer.uuid)}


def test_knowledge_sharing_attendance_does_not_expire(east, manager, supervisor):
    s = th.session(east, actor=manager, held_on=clock.today(), knowledge_sharing=True, topic="Apps")
    (row,) = th.attended(s, [supervisor], actor=manager)
    assert row.expires_on is None


def test_attendance_is_all_or_nothing(east, manager, course, supervisor):
    officer = helpers.staff(east, actor=manager)
    s = th.session(east, actor=manager, course=course, held_on=clock.today())
    th.attended(s, [supervisor], actor=manager)
    with pytest.raises(Conflict) as exc:
        th.attended(s, [officer, supervisor], actor=manager)
    assert supervisor.user.full_name in str(exc.value)
    assert TrainingCompletion.objects.count() == 1


def test_attendance_of_a_session_to_come_or_of_a_leaver_is_refused(
    east, manager, course, supervisor
):
    later = th.session(east, actor=manager, course=course, held_on=th.day("2026-12-01"))
    with pytest.raises(ValidationFailed):
        th.attended(later, [supervisor], actor=manager)
    held = th.session(east, actor=manager, course=course, held_on=th.day("2026-10-01"))
    leaver = helpers.staff(east, actor=manager)
    staff_services.staff_record_end(actor=manager, staff=leaver, left_on=th.day("2026-09-01"))
    with pytest.raises(ValidationFailed) as exc:
        th.attended(held, [leaver], actor=manager)
    assert leaver.user.full_name in str(exc.value)
    with pytest.raises(ValidationFailed):
        th.attended(held, [supervisor], actor=manager, completed_on=th.day("2026-09-30"))
    assert not TrainingCompletion.objects.exists()


def test_a_wrong_record_is_withdrawn_with_its_reason_and_kept(east, manager, course, supervisor):
    s = th.session(east, actor=manager, course=course, held_on=clock.today())
    (row,) = th.attended(s, [supervisor], actor=manager)
    with pytest.raises(ValidationFailed):
        services.completion_withdraw(actor=manager, completion=row, reason="  ")
    row.refresh_from_db()
    assert row.withdrawn_at is None
    services.completion_withdraw(actor=manager, completion=row, reason="Wrong person")
    row.refresh_from_db()
    assert (row.withdrawn_by_id, row.withdrawal_reason) == (manager.pk, "Wrong person")
    assert row.withdrawn_at == clock.now()
    event = AuditEvent.objects.get(action="workforce.training_withdraw")
    assert event.reason == "Wrong person"
    with pytest.raises(Conflict):
        services.completion_withdraw(actor=manager, completion=row, reason="Again")
    # The person can now be recorded again, and the withdrawn record is still there.
    th.attended(s, [supervisor], actor=manager)
    assert TrainingCompletion.objects.filter(staff=supervisor).count() == 2


# --- the trauma-informed training duty ---------------------------------------------------


def test_an_in_scope_supervisor_without_training_has_the_duty(supervisor, east):
    duty = _duty(supervisor).get()
    assert (duty.team_id, duty.assignee_id, duty.completed_at) == (
        east.pk,
        supervisor.user_id,
        None,
    )
    # The policy's 90 days from now, to the end of that day.
    assert duty.due_at.date() in (th.day("2027-01-31"), th.day("2027-02-01"))


def test_an_officer_out_of_scope_has_no_duty(east, manager):
    officer = helpers.staff(east, actor=manager)
    assert not _duty(officer).exists()


def test_training_closes_the_duty_and_the_sweep_opens_it_before_expiry(
    east, manager, course, supervisor
):
    s = th.session(east, actor=manager, course=course, held_on=th.day("2026-10-30"))
    (row,) = th.attended(s, [supervisor], actor=manager)
    assert _duty(supervisor).get().completed_at is not None
    assert services.training_refresh_sweep() == 0
    # Expires 30 October 2028: the warning (60 days) begins on 31 August 2028.
    with time_machine.travel("2028-08-30 10:00:00+00:00", tick=False):
        assert services.training_refresh_sweep() == 0
    with time_machine.travel("2028-09-01 10:00:00+00:00", tick=False):
        assert services.training_refresh_sweep() == 1
        assert services.training_refresh_sweep() == 0  # idempotent
        duty = _duty(supervisor).get(completed_at__isnull=True)
        assert duty.due_at.date() == th.day("2028-10-29")
        assert AuditEvent.objects.filter(action="duty.open", target_id=str(duty.uuid)).exists()
    del row


def test_withdrawing_the_only_training_opens_the_duty_again(east, manager, course, supervisor):
    s = th.session(east, actor=manager, course=course, held_on=clock.today())
    (row,) = th.attended(s, [supervisor], actor=manager)
    assert not _duty(supervisor).filter(completed_at__isnull=True).exists()
    services.completion_withdraw(actor=manager, completion=row, reason="Did not attend")
    assert _duty(supervisor).filter(completed_at__isnull=True).count() == 1


def test_expired_training_makes_the_duty_overdue_at_once(east, manager, force, supervisor):
    yearly = th.course(force, actor=manager, title="Vicarious trauma", months=12)
    with time_machine.travel("2025-09-01 10:00:00+00:00", tick=False):
        s = th.session(east, actor=manager, course=yearly, held_on=th.day("2025-09-01"))
    old = helpers.staff(
        east, actor=manager, role=StaffRole.SUPERVISOR, started_on=th.day("2024-01-01")
    )
    th.attended(s, [old], actor=manager, completed_on=th.day("2025-09-01"))
    duty = _duty(old).get(completed_at__isnull=True)
    assert duty.due_at < clock.now()  # expired on 1 September 2026


def test_leaving_or_coming_out_of_scope_closes_the_duty(east, manager, supervisor):
    staff_services.staff_hours_change(
        actor=manager,
        staff=supervisor,
        fte="1.00",
        protected_percent=0,
        screening_in_scope=True,
        training_in_scope=False,
        reason="Acting up elsewhere",
    )
    assert not _duty(supervisor).filter(completed_at__isnull=True).exists()
    other = helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR)
    staff_services.staff_record_end(actor=manager, staff=other, left_on=clock.today())
    assert not _duty(other).filter(completed_at__isnull=True).exists()


def test_duties_check_expects_what_the_services_opened(east, manager, course, supervisor):
    from vigil.duties.registry import get_kind

    trained = helpers.staff(east, actor=manager, role=StaffRole.SUPERVISOR)
    s = th.session(east, actor=manager, course=course, held_on=clock.today())
    th.attended(s, [trained], actor=manager)
    expected = get_kind(TRAINING_REFRESH).expected(clock.now())
    open_ = set(
        Duty.objects.filter(kind=TRAINING_REFRESH, completed_at__isnull=True).values_list(
            "subject_type", "subject_id"
        )
    )
    assert expected == open_ == {("workforce.staffrecord", supervisor.uuid)}
