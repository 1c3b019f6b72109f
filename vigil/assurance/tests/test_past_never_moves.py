"""The general rule of docs/formats/assurance.md: a figure as of a past date does not move
when later work is recorded.

A small force's history is built through the services (the synthetic generator), with a
few cases of our own at a past date. Every measurable metric is computed as of that date;
then later work is recorded through the services — a referral linked, duties completed
late, risk levels raised, due dates moved, a visit authorised late, a nominal's status
changed — and every past figure must be as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from vigil.accounts.choices import Rank, Role, Scope
from vigil.accounts.models import Force
from vigil.assurance import metrics
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.testing import make_user

pytestmark = pytest.mark.django_db

DAYS_BACK = 45
# Points whose properties another piece of work is giving history (nominal status and
# record history): marked here if they still move.
STATUS_HISTORY_IN_PROGRESS: set[str] = set()


def _figures(force, as_of):
    window = metrics.window_for(as_of)
    out = {}
    for metric in metrics.all_metrics():
        if not metric.measurable:
            continue
        result = metrics.compute(metric, window, force=force)
        out[metric.key] = (result.numerator, result.denominator)
    return out


def _own_cases(force, as_of):
    """Cases at a past moment that the later work will touch: a referral received (to be
    linked later), a non-compliant home visit not yet authorised, open outstanding work."""
    from vigil.offenders.models import Nominal, Visit
    from vigil.offenders.services import visit_record
    from vigil.referrals import services as referrals

    polit = force.teams.filter(kind="polit").order_by("pk").first()
    officer = make_user(Role.OFFICER, polit, rank=Rank.CONSTABLE, scope=Scope.TEAM)
    moment = end_of_day(as_of) - dt.timedelta(days=5)
    with time_machine.travel(moment, tick=False):
        earlier = referrals.referral_receive(
            actor=officer,
            team=polit,
            source="nca_ceop",
            source_reference="NCA-PAST-0001",
            summary="Synthetic upload report, first of two.",
            received_at=moment,
            confirm_not_duplicate=True,
        )
        later = referrals.referral_receive(
            actor=officer,
            team=polit,
            source="nca_ceop",
            source_reference="NCA-PAST-0002",
            summary="Synthetic upload report, second of two.",
            received_at=moment,
            confirm_not_duplicate=True,
        )
        nominal = (
            Nominal.objects.filter(status="active", created_at__lt=moment)
            .exclude(offender_manager=None)
            .order_by("pk")
            .first()
        )
        visit = visit_record(
            actor=nominal.offender_manager,
            nominal=nominal,
            visited_at=moment - dt.timedelta(hours=2),
            location="home",
            announced=True,
            officers=[nominal.offender_manager],
            access_result="gained",
            outcome="Synthetic outcome of a past visit.",
        )
    assert not Visit.objects.get(pk=visit.pk).compliant
    return {"earlier": earlier, "later": later, "officer": officer, "visit": visit}


def _later_work(force, cases, as_of):
    """Work recorded now, after the past date, through the services."""
    from vigil.duties import services as duties
    from vigil.duties.models import Duty
    from vigil.offenders.duty_kinds import OUTSTANDING_KINDS
    from vigil.offenders.models import Nominal
    from vigil.offenders.services import nominal_update, visit_authorise
    from vigil.referrals import services as referrals

    done = {}
    # A referral linked to an earlier one.
    referrals.referral_link(actor=cases["officer"], referral=cases["later"], to=cases["earlier"])
    done["linked"] = 1
    # A visit authorised late (days after it).
    visit = cases["visit"]
    sergeant = make_user(Role.SUPERVISOR, visit.nominal.team, rank=Rank.SERGEANT, scope=Scope.FORCE)
    authorisation = visit_authorise(actor=sergeant, visit=visit, rationale="Synthetic rationale.")
    assert authorisation.in_time is False
    done["authorised_late"] = 1
    # Outstanding work that was already open at the past date.
    open_work = Duty.objects.filter(
        team__force=force,
        kind__in=OUTSTANDING_KINDS,
        completed_at__isnull=True,
        created_at__lte=end_of_day(as_of),
    ).order_by("pk")
    ids = list(open_work.values_list("pk", flat=True)[:9])
    # Due dates moved (later and earlier).
    for i, duty in enumerate(Duty.objects.filter(pk__in=ids[:3])):
        subject_model = duty.subject_type
        subject = _subject(subject_model, duty.subject_id)
        shift = dt.timedelta(days=120 if i % 2 else -120)
        duties.duty_reschedule(
            actor=sergeant, kind=duty.kind, subject=subject, due_at=duty.due_at + shift
        )
    done["rescheduled"] = ids[:3]
    # Risk levels raised.
    for duty in Duty.objects.filter(pk__in=ids[3:6]).select_related("person"):
        duties.duty_set_risk_level(actor=sergeant, person=duty.person, risk_level="very_high")
    done["risk_raised"] = 3
    # Duties completed late.
    for pk in ids[6:9]:
        duties.duty_complete_by_id(actor=sergeant, duty_id=Duty.objects.get(pk=pk).uuid)
    done["completed_late"] = 3
    # A nominal's status changed.
    nominal = Nominal.objects.filter(team__force=force, status="active").order_by("-pk").first()
    nominal_update(actor=sergeant, nominal=nominal, status="custody")
    done["status_changed"] = 1
    return done


def _subject(label, uuid):
    from django.apps import apps

    app_label, model = label.split(".")
    return apps.get_model(app_label, model).objects.get(uuid=uuid)


@pytest.fixture(scope="module")
def before_and_after(django_db_setup, django_db_blocker):
    """One generated history for the module, rolled back at the end."""
    from vigil.synthetic.generator import Scale, generate

    small = Scale(
        forces=1,
        nominals_per_force=8,
        suspects_per_force=2,
        officers_per_team=2,
        referrals_per_week=2,
        referral_years=1,
        nominal_years=2,
    )
    with django_db_blocker.unblock(), transaction.atomic():
        generate(scale=small, seed=5)
        force = Force.objects.order_by("pk").first()
        as_of = clock.today() - dt.timedelta(days=DAYS_BACK)
        cases = _own_cases(force, as_of)
        before = _figures(force, as_of)
        today_before = _figures(force, clock.today())
        done = _later_work(force, cases, as_of)
        after = _figures(force, as_of)
        today_after = _figures(force, clock.today())
        yield {
            "before": before,
            "after": after,
            "today_before": today_before,
            "today_after": today_after,
            "done": done,
            "cases": cases,
        }
        transaction.set_rollback(True)


def test_the_later_work_was_recorded(before_and_after):
    from vigil.duties.models import DutyRevision
    from vigil.offenders.models import VisitAuthorisation
    from vigil.referrals.models import Referral

    cases = before_and_after["cases"]
    later = Referral.objects.get(pk=cases["later"].pk)
    assert later.linked_to_id == cases["earlier"].pk and later.linked_at > later.received_at
    assert VisitAuthorisation.objects.get(visit=cases["visit"]).in_time is False
    moved = before_and_after["done"]["rescheduled"]
    assert len(moved) == 3
    assert all(DutyRevision.objects.filter(duty_id=pk).count() >= 2 for pk in moved)
    # The later work shows in today's figures: the linked referral has left A; the late
    # authorisation counts as authorised, but not in time.
    now, then = before_and_after["today_before"], before_and_after["today_after"]
    key = "referrals_assessed_before_allocation"
    assert then[key][1] == now[key][1] - 1
    assert then["noncompliant_visits_authorised_at_all"][0] == (
        now["noncompliant_visits_authorised_at_all"][0] + 1
    )
    assert then["noncompliant_visits_authorised"] == now["noncompliant_visits_authorised"]
    # ... and in the same figures as of the past date, nothing moved.
    assert before_and_after["after"][key] == before_and_after["before"][key]


def test_every_measurable_metric_is_covered(before_and_after):
    keys = {m.key for m in metrics.all_metrics() if m.measurable}
    assert set(before_and_after["before"]) == keys
    # The history has cases: most figures as of the past date are not empty.
    with_cases = [k for k, (_n, d) in before_and_after["before"].items() if d]
    assert len(with_cases) >= 10


def _keys():
    import vigil.assurance.evidence  # noqa: F401  (declares the metrics)

    return [m.key for m in metrics.all_metrics() if m.measurable]


@pytest.mark.parametrize("key", _keys())
def test_a_past_figure_does_not_move_when_later_work_is_recorded(before_and_after, key):
    if key in STATUS_HISTORY_IN_PROGRESS:
        pytest.xfail("status history in progress")
    assert before_and_after["after"][key] == before_and_after["before"][key]
