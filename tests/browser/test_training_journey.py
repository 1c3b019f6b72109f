"""A MOSOVO inspector's training journey in a real browser, in English and then Welsh:
the catalogue, a course, scheduling a session, recording attendance for two people at
once with the checkboxes, the team's training table, a person's record, withdrawing a
wrong record; and a sergeant's own record. axe-core on every page; a screenshot of each
(to look at) when VIGIL_SCREENSHOTS names a folder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.browser.conftest import check_accessibility, cy, sign_in
from vigil.accounts.choices import Rank, Role, TeamKind
from vigil.core.testing import make_team, make_user
from vigil.workforce.choices import StaffRole
from vigil.workforce.models import TrainingCompletion
from vigil.workforce.services import staff as staff_services
from vigil.workforce.services import training as services

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("VIGIL_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _staff(team, actor, role, name, rank):
    member = {StaffRole.SUPERVISOR: Role.SUPERVISOR, StaffRole.MANAGER: Role.MANAGER}.get(
        role, Role.OFFICER
    )
    user = make_user(member, team, rank=rank, full_name=name)
    return staff_services.staff_record_create(
        actor=actor,
        user=user,
        team=team,
        role=role,
        grade=rank,
        started_on=dt.date.today() - dt.timedelta(days=800),
        fte="1.00",
    )


@pytest.fixture
def scene(force):
    team = make_team(force, name="MOSOVO Dyfed", kind=TeamKind.MOSOVO)
    inspector = make_user(Role.MANAGER, team, rank=Rank.INSPECTOR, full_name="Eleri Pugh")
    sergeant = _staff(team, inspector, StaffRole.SUPERVISOR, "Rhys Bowen", Rank.SERGEANT)
    officer = _staff(team, inspector, StaffRole.OFFICER, "Nia Lloyd", Rank.CONSTABLE)
    _staff(team, inspector, StaffRole.SUPERVISOR, "Owain Price", Rank.SERGEANT)
    course = services.course_create(
        actor=inspector,
        force=force,
        title="Trauma-informed supervision",
        title_cy="Goruchwylio sy'n ystyriol o drawma",
        trauma_informed=True,
        refresh_months=24,
    )
    old = services.session_schedule(
        actor=inspector,
        team=team,
        held_on=dt.date.today() - dt.timedelta(days=700),
        facilitator="Force learning and development",
        course=course,
    )
    services.attendance_record(actor=inspector, session=old, staff=[sergeant])
    ks = services.session_schedule(
        actor=inspector,
        team=team,
        held_on=dt.date.today() - dt.timedelta(days=20),
        facilitator="Occupational health psychologist",
        knowledge_sharing=True,
        topic="Looking after yourself after a difficult grading session",
    )
    services.attendance_record(actor=inspector, session=ks, staff=[sergeant, officer])
    return {"team": team, "inspector": inspector, "sergeant": sergeant, "course": course}


def _walk(page, lang, scene):
    t = (lambda s: s) if lang == "en" else cy
    page.click(f'a.govuk-link:has-text("{t("Training and knowledge sharing")}")')
    check_accessibility(page)
    _shot(page, f"{lang}-1-catalogue")
    title = scene["course"].title if lang == "en" else scene["course"].title_cy
    page.click(f'a:has-text("{title}")')
    check_accessibility(page)
    _shot(page, f"{lang}-2-course")
    page.click(f'a:has-text("{t("Schedule a session of this course")}")')
    check_accessibility(page)
    page.fill("#id_held_on", dt.date.today().isoformat())
    page.fill("#id_facilitator", "NSPCC trainer")
    page.click(f'button:has-text("{t("Schedule the session")}")')
    check_accessibility(page)
    # Two people at once, with the checkboxes.
    page.check("label:has-text('Nia Lloyd')")
    page.check("label:has-text('Owain Price')")
    page.click(f'button:has-text("{t("Record attendance")}")')
    check_accessibility(page)
    _shot(page, f"{lang}-3-session")
    page.click(f'a:has-text("{t("Withdraw")}") >> nth=0')
    check_accessibility(page)
    page.fill("#id_reason", "Recorded against the wrong person")
    _shot(page, f"{lang}-4-withdraw")
    page.click(f'button:has-text("{t("Withdraw the record")}")')
    check_accessibility(page)
    page.goto(f"/workforce/teams/{scene['team'].uuid}/training/?sort=-valid_until")
    check_accessibility(page)
    _shot(page, f"{lang}-5-team")
    page.click("a:has-text('Rhys Bowen')")
    check_accessibility(page)
    _shot(page, f"{lang}-6-person")


def test_the_training_journey_in_english_and_welsh(page, scene):
    sign_in(page, scene["inspector"])
    page.goto("/workforce/")
    _walk(page, "en", scene)
    assert TrainingCompletion.objects.filter(withdrawn_at__isnull=True).count() == 4
    assert TrainingCompletion.objects.filter(withdrawn_at__isnull=False).count() == 1
    # Welsh: the language switch, then the same journey by its Welsh labels.
    page.goto("/workforce/")
    page.click("button:has-text('Cymraeg'), a:has-text('Cymraeg')")
    page.wait_for_selector("html[lang='cy']")
    # A second session today: record the two again (their withdrawn one stays on file).
    _walk(page, "cy", scene)
    assert TrainingCompletion.objects.filter(withdrawn_at__isnull=False).count() == 2


def test_a_sergeant_reads_their_own_record_from_the_footer(page, scene):
    sign_in(page, scene["sergeant"].user)
    page.click("footer a:has-text('My training')")
    check_accessibility(page)
    assert "Trauma-informed supervision" in page.content()
    _shot(page, "en-7-mine")
    page.click("button:has-text('Cymraeg'), a:has-text('Cymraeg')")
    page.wait_for_selector("html[lang='cy']")
    check_accessibility(page)
    assert cy("My training") in page.content()
    _shot(page, "cy-7-mine")
