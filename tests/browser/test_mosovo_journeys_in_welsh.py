"""MOSOVO journeys in Welsh, in a real browser, each page checked with axe-core:

1. an offender manager completes an ARMS assessment that raises the risk from low to high;
   a sergeant approves it; the nominal's risk level, the visit minimum shown with the plan
   and the home-visit duty follow (the duty is moved to the plan's start plus the policy
   maximum for high risk, and the plan is brought forward for review);
2. an unannounced visit in pairs is recorded through the check-your-answers page, then
   reviewed by a sergeant;
3. a single-officer visit is flagged until a sergeant authorises it with a rationale.

Both users switch to Cymraeg straight after signing in, and every label, button and link
is found by its Welsh text (taken from the catalogue, and checked to differ from the
English), so an untranslated step fails the test.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, cy, cy_plural, sign_in
from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core.calendar import end_of_day
from vigil.core.testing import make_force, make_user
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.models import Arms, Review, Visit, VisitAuthorisation
from vigil.offenders.notification_period import add_months
from vigil.offenders.tests.helpers import approved_arms, make_nominal, make_plan, mosovo_team

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")


def cy_date(value: dt.datetime, fmt: str = "j M Y") -> str:
    """`value` as the templates show it (the `date` filter, local time, Welsh month names)."""
    with translation.override("cy"):
        return dateformat.format(timezone.localtime(value), fmt)


def shot(page, name: str) -> None:
    if os.environ.get("VIGIL_SHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"mosovo-{name}-cy.png"), full_page=True)


def submit(page, label: str) -> None:
    """Press the form's button (its Welsh label) and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=cy(label), exact=True).click()


def side_nav(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("nav.moj-side-navigation").get_by_role(
            "link", name=cy(label), exact=True
        ).click()


def go_welsh(page, user) -> None:
    sign_in(page, user)
    with page.expect_navigation():
        page.click("a:has-text('Cymraeg')")
    assert page.locator("html").get_attribute("lang") == "cy"


def row(page, cell_text: str):
    """The row of the main table with a cell reading exactly `cell_text`."""
    return page.locator("main table tbody tr").filter(
        has=page.get_by_role("cell", name=cell_text, exact=True)
    )


def group(page, legend: str):
    """A fieldset (radios, checkboxes) by its Welsh legend."""
    return page.get_by_role("group", name=cy(legend), exact=True)


def open_duty(kind: str, subject) -> Duty:
    return Duty.objects.get(kind=kind, subject_id=subject.uuid, completed_at__isnull=True)


@pytest.fixture
def mosovo():
    team = mosovo_team(make_force())
    officer = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE, full_name="Ffion Rowlands")
    colleague = make_user(Role.OFFICER, team, rank=Rank.CONSTABLE, full_name="Dafydd Jones")
    sergeant = make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT, full_name="Gethin Vaughan")
    nominal = make_nominal(team, manager=officer)
    return {"officer": officer, "colleague": colleague, "sergeant": sergeant, "nominal": nominal}


# --- 1. ARMS raises the risk; the visit duty follows -------------------------------------


def _fill_arms(page) -> None:
    from vigil.offenders.tests.helpers import ARMS_ANSWERS

    # The questions' texts come from the instrument definition (its own Welsh), so the
    # answers are picked by value; the form's own fields by their Welsh labels.
    for question, answer in ARMS_ANSWERS.items():
        page.check(f"input[name='q_{question}'][value='{answer}']")
    group(page, "Overall level (professional judgement)").get_by_label(
        cy("High"), exact=True
    ).check()
    page.get_by_label(cy("Case formulation"), exact=True).fill(
        "Mae'r ffactorau risg wedi cynyddu ers y cyswllt newydd â phlant."
    )
    page.get_by_label(cy("Reason for the assessment")).select_option(
        label=cy("Change of circumstances")
    )
    page.get_by_label(cy("OASys Sexual reoffending Predictor (contact, OSP/C)")).check()
    group(page, "Band the static tool gave").get_by_label(cy("High"), exact=True).check()
    page.get_by_label(cy("Version of the static tool")).fill("v6")


def test_an_arms_that_raises_the_risk_brings_the_home_visit_forward_in_welsh(
    page, second_page, mosovo
):
    officer, sergeant, nominal = mosovo["officer"], mosovo["sergeant"], mosovo["nominal"]
    approved_arms(nominal, officer, sergeant, "low")
    plan = make_plan(nominal, officer, months=12)  # the most a low-risk plan may allow
    started = timezone.localdate(plan.completed_at)
    visit_duty = open_duty(kinds.VISIT, nominal)
    assert visit_duty.due_at == end_of_day(add_months(started, 12))
    plan_review = open_duty(kinds.PLAN_REVIEW, plan)
    plan_review_due = plan_review.due_at

    go_welsh(page, officer)

    # Before: low risk, visits at least every 12 months, the visit due a year on.
    page.goto(f"/nominals/{nominal.uuid}/")
    check_accessibility(page)
    expect(page.locator("h1 .govuk-tag")).to_have_text(cy("Low"))
    expect(row(page, cy("Home visit"))).to_contain_text(cy_date(visit_duty.due_at))
    side_nav(page, "Risk management plan")
    check_accessibility(page)
    minimum = (
        "For this risk level, visit at least every month.",
        "For this risk level, visit at least every %(months)s months.",
    )
    expect(page.locator("main .govuk-inset-text")).to_contain_text(
        cy_plural(*minimum, 12) % {"months": 12}
    )

    # The offender manager completes an ARMS assessment: high risk.
    side_nav(page, "Risk (ARMS)")
    check_accessibility(page)
    with page.expect_navigation():
        page.locator("main").get_by_role(
            "link", name=cy("Complete an ARMS assessment"), exact=True
        ).click()
    expect(page.locator("main h2.govuk-heading-m").first).to_have_text(cy("ARMS assessment"))
    check_accessibility(page)
    _fill_arms(page)
    shot(page, "arms-form")
    submit(page, "Save and send for review")
    expect(page.locator("main")).to_contain_text(
        cy("The ARMS assessment has been recorded and sent for supervisor review.")
    )
    check_accessibility(page)
    latest = row(page, cy("High")).first
    expect(latest).to_contain_text(cy("Awaiting review"))
    expect(latest).to_contain_text(cy("Change of circumstances"))
    arms = Arms.objects.get(nominal=nominal, risk_level="high")
    assert arms.trigger == "circumstances" and arms.static_tool == "osp_c"
    assert arms.static_band == "high" and arms.static_tool_version == "v6"
    assert arms.assessor == officer and arms.approved_at is None
    assert AuditEvent.objects.filter(action="nominal.arms_record", target_id=str(arms.uuid))
    # Nothing moves until a supervisor approves it.
    nominal.refresh_from_db()
    assert nominal.risk_level == "low"
    assert open_duty(kinds.VISIT, nominal).due_at == visit_duty.due_at
    expect(page.locator("h1 .govuk-tag")).to_have_text(cy("Low"))

    # The sergeant approves it from the review queue.
    go_welsh(second_page, sergeant)
    second_page.goto("/nominals/reviews/")
    expect(second_page.locator("h1")).to_have_text(cy("Supervisor review queue"))
    check_accessibility(second_page)
    with second_page.expect_navigation():
        row(second_page, cy("ARMS assessment")).get_by_role("link").click()
    expect(second_page.locator("main h2.govuk-heading-m").first).to_have_text(
        cy("Review: %(subject)s") % {"subject": cy("ARMS assessment")}
    )
    expect(second_page.locator("main .govuk-summary-list")).to_contain_text(cy("High"))
    check_accessibility(second_page)
    group(second_page, "Outcome").get_by_label(cy("Approved"), exact=True).check()
    submit(second_page, "Record the review")
    expect(second_page.locator("main")).to_contain_text(cy("The review has been recorded."))
    check_accessibility(second_page)
    shot(second_page, "arms-reviewed")

    review = Review.objects.get(arms=arms)
    assert review.outcome == "approved" and review.reviewer == sergeant
    arms.refresh_from_db()
    nominal.refresh_from_db()
    assert arms.approved_at is not None and nominal.risk_level == "high"
    # The same visit duty, moved (not met): the plan's start plus the maximum for high
    # risk (3 months, APP), since the plan's 12 months is now more than allowed.
    moved = open_duty(kinds.VISIT, nominal)
    assert moved.pk == visit_duty.pk
    assert moved.due_at == end_of_day(add_months(started, 3))
    assert moved.due_at < visit_duty.due_at
    assert moved.risk_level == "high"
    # The plan allows visits less often than high risk needs: it is due for review within
    # the trigger period (28 days).
    review_due = open_duty(kinds.PLAN_REVIEW, plan).due_at
    assert review_due == end_of_day(timezone.localdate() + dt.timedelta(days=28))
    assert review_due < plan_review_due
    # Audited: the review, the risk level, and the move of the visit duty.
    assert AuditEvent.objects.filter(action="nominal.review_record", target_id=str(review.uuid))
    level = AuditEvent.objects.filter(
        action="nominal.risk_level", target_id=str(nominal.uuid)
    ).latest("id")
    assert level.changes["risk_level"] == ["low", "high"] and level.actor_id == sergeant.pk
    reschedule = AuditEvent.objects.get(action="duty.reschedule", target_id=str(visit_duty.uuid))
    assert reschedule.changes["due_at"] == [
        visit_duty.due_at.isoformat(),
        moved.due_at.isoformat(),
    ]

    # The officer sees it: high risk, visits at least every 3 months, the visit due sooner.
    page.goto(f"/nominals/{nominal.uuid}/")
    check_accessibility(page)
    expect(page.locator("h1 .govuk-tag")).to_have_text(cy("High"))
    expect(row(page, cy("Home visit"))).to_contain_text(cy_date(moved.due_at))
    expect(row(page, cy("Risk management plan review"))).to_contain_text(cy_date(review_due))
    shot(page, "arms-work-due")
    side_nav(page, "Risk management plan")
    check_accessibility(page)
    expect(page.locator("main .govuk-inset-text")).to_contain_text(
        cy_plural(*minimum, 3) % {"months": 3}
    )
    # The plan itself is unchanged (still every 12 months, version 1): the duty is capped
    # at the new maximum and the plan is due for review, not rewritten.
    expect(row_of_summary(page, cy("Home visits"))).to_have_text(
        re.compile(
            re.escape(cy_plural("Every month", "Every %(months)s months", 12) % {"months": 12})
        )
    )
    assert plan.nominal.plans.count() == 1
    shot(page, "arms-plan")
    side_nav(page, "Risk (ARMS)")
    expect(row(page, cy("High")).first).to_contain_text(cy("Approved"))
    check_accessibility(page)


# --- 2 and 3. Home visits ------------------------------------------------------------


def _two_hours_ago() -> str:
    return (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


def _record_visit(page, nominal, *, with_colleague: bool) -> None:
    page.goto(f"/nominals/{nominal.uuid}/")
    side_nav(page, "Home visits")
    check_accessibility(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=cy("Record a visit"), exact=True).click()
    check_accessibility(page)
    page.get_by_label(cy("Date and time of the visit")).fill(_two_hours_ago())
    group(page, "Where did the visit take place?").get_by_label(cy("Home address")).check()
    group(page, "Was the visit announced?").get_by_label(
        cy("No", "answer about the past"), exact=True
    ).check()
    # The recording officer is ticked already; two officers means two boxes at once.
    officers = group(page, "Officers present")
    expect(officers.get_by_label("Ffion Rowlands")).to_be_checked()
    if with_colleague:
        officers.get_by_label("Dafydd Jones").check()
    group(page, "Access").get_by_label(cy("Access gained")).check()
    page.get_by_label(cy("Outcome"), exact=True).fill(
        "Wedi'i weld gartref. Dyfeisiau wedi'u gwirio; dim byd yn peri pryder."
    )
    submit(page, "Continue")
    expect(page.locator("main h2").first).to_have_text(
        cy("Check your answers before recording the visit")
    )
    check_accessibility(page)
    answers = page.locator("main .govuk-summary-list")
    expect(answers).to_contain_text(cy("Home address"))
    expect(answers).to_contain_text("Ffion Rowlands")


def test_an_unannounced_visit_in_pairs_is_recorded_then_reviewed_in_welsh(
    page, second_page, mosovo
):
    nominal = mosovo["nominal"]
    plan = make_plan(nominal, mosovo["officer"], months=1)
    due_before = open_duty(kinds.VISIT, nominal)
    assert due_before.due_at == end_of_day(add_months(timezone.localdate(plan.completed_at), 1))
    go_welsh(page, mosovo["officer"])
    _record_visit(page, nominal, with_colleague=True)
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    answers = page.locator("main .govuk-summary-list")
    expect(answers).to_contain_text("Dafydd Jones")
    expect(row_of_summary(page, cy("Announced"))).to_contain_text(cy("No"))
    shot(page, "visit-pairs-check")
    submit(page, "Record the visit")
    expect(page).to_have_url(re.compile(r"/nominals/visits/[0-9a-f-]+/$"))
    check_accessibility(page)
    visit = Visit.objects.get(nominal=nominal)
    expect(page.locator("main h2").first).to_have_text(
        cy("Visit on %(date)s") % {"date": cy_date(visit.visited_at, "j F Y H:i")}
    )
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    assert visit.compliant and visit.officer_count == 2 and not visit.announced
    assert set(visit.officers.values_list("full_name", flat=True)) == {
        "Ffion Rowlands",
        "Dafydd Jones",
    }
    assert not Duty.objects.filter(kind=kinds.VISIT_AUTHORISATION, subject_id=visit.uuid)
    assert AuditEvent.objects.filter(action="nominal.visit_record", target_id=str(visit.uuid))
    # The visit met the obligation: that duty is done, the next one due a month on.
    due_before.refresh_from_db()
    assert due_before.completed_at is not None
    next_visit = open_duty(kinds.VISIT, nominal)
    assert next_visit.due_at == end_of_day(add_months(timezone.localdate(visit.visited_at), 1))
    review_duty = open_duty(kinds.SUPERVISOR_REVIEW, Review.objects.get(visit=visit))

    sergeant = second_page
    go_welsh(sergeant, mosovo["sergeant"])
    sergeant.goto("/nominals/reviews/")
    check_accessibility(sergeant)
    with sergeant.expect_navigation():
        row(sergeant, cy("Home visit")).get_by_role("link").click()
    check_accessibility(sergeant)
    expect(sergeant.locator("main .govuk-summary-list")).to_contain_text(
        cy_date(visit.visited_at, "j F Y H:i")
    )
    group(sergeant, "Outcome").get_by_label(cy("Approved"), exact=True).check()
    submit(sergeant, "Record the review")
    expect(sergeant).to_have_url(re.compile(r"/nominals/reviews/$"))
    expect(sergeant.locator("main")).to_contain_text(cy("The review has been recorded."))
    check_accessibility(sergeant)
    shot(sergeant, "visit-pairs-reviewed")
    review = Review.objects.get(visit=visit)
    assert review.outcome == "approved" and review.reviewer == mosovo["sergeant"]
    review_duty.refresh_from_db()
    assert review_duty.completed_at is not None
    event = AuditEvent.objects.get(action="nominal.review_record", target_id=str(review.uuid))
    assert event.changes["outcome"] == "approved" and event.changes["in_time"] is True


def row_of_summary(page, key: str):
    return page.locator("main .govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=key)
    )


def test_a_single_officer_visit_is_flagged_until_a_sergeant_authorises_it_in_welsh(
    page, second_page, mosovo
):
    nominal = mosovo["nominal"]
    make_plan(nominal, mosovo["officer"], months=1)
    with translation.override("cy"):
        sergeant_rank = str(Rank.SERGEANT.label).lower()
    assert sergeant_rank != "sergeant"
    go_welsh(page, mosovo["officer"])
    _record_visit(page, nominal, with_colleague=False)
    expect(page.locator("main .govuk-warning-text")).to_contain_text(
        cy_plural(
            "This visit was announced or had fewer than two officers. It must be authorised "
            "by a %(rank)s or above, with a rationale, within %(hours)s hour of the visit, or "
            "it will be flagged.",
            "This visit was announced or had fewer than two officers. It must be authorised "
            "by a %(rank)s or above, with a rationale, within %(hours)s hours of the visit, "
            "or it will be flagged.",
            24,
        )
        % {"rank": sergeant_rank, "hours": 24}
    )
    shot(page, "visit-single-check")
    submit(page, "Record the visit")
    expect(page).to_have_url(re.compile(r"/nominals/visits/[0-9a-f-]+/$"))
    check_accessibility(page)
    expect(page.locator("main .govuk-warning-text")).to_contain_text(
        cy_plural(
            "Announced or single-officer visit: it needs authorisation by a %(rank)s or above "
            "within %(hours)s hour.",
            "Announced or single-officer visit: it needs authorisation by a %(rank)s or above "
            "within %(hours)s hours.",
            24,
        )
        % {"rank": sergeant_rank, "hours": 24}
    )
    # A constable cannot authorise it.
    expect(page.get_by_role("link", name=cy("Authorise this visit"))).to_have_count(0)
    visit = Visit.objects.get(nominal=nominal)
    assert not visit.compliant and visit.officer_count == 1
    authorisation_duty = open_duty(kinds.VISIT_AUTHORISATION, visit)
    assert authorisation_duty.due_at == visit.visited_at + dt.timedelta(hours=24)
    side_nav(page, "Home visits")
    check_accessibility(page)
    expect(row(page, "Ffion Rowlands")).to_contain_text(cy("Needs authorisation"))

    sergeant = second_page
    go_welsh(sergeant, mosovo["sergeant"])
    sergeant.goto(f"/nominals/visits/{visit.uuid}/")
    check_accessibility(sergeant)
    with sergeant.expect_navigation():
        sergeant.get_by_role("link", name=cy("Authorise this visit"), exact=True).click()
    heading = sergeant.locator("main h2.govuk-heading-m")
    expect(heading).to_have_text(cy("Authorise this visit"))
    check_accessibility(sergeant)
    # No rationale: the Welsh error summary, nothing written.
    submit(sergeant, "Authorise")
    summary = sergeant.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("h2")).to_have_text(cy("There is a problem"))
    expect(sergeant).to_have_title(re.compile("^" + re.escape(cy("Error:"))))
    expect(summary).to_contain_text(cy("Give the rationale for the authorisation"))
    check_accessibility(sergeant)
    shot(sergeant, "visit-single-authorise-error")
    assert not VisitAuthorisation.objects.exists()
    assert not AuditEvent.objects.filter(action="nominal.visit_authorise").exists()
    sergeant.get_by_label(cy("Rationale"), exact=True).fill(
        "Yr ail swyddog wedi'i alw i ffwrdd; cyfeiriad hysbys, risg isel."
    )
    submit(sergeant, "Authorise")
    expect(sergeant).to_have_url(re.compile(f"/nominals/visits/{visit.uuid}/$"))
    check_accessibility(sergeant)
    expect(sergeant.locator("main")).to_contain_text(cy("The visit has been authorised."))
    expect(sergeant.locator("main .govuk-warning-text")).to_contain_text(
        cy("Announced or single-officer visit: authorised.")
    )
    expect(row_of_summary(sergeant, cy("Authorisation"))).to_contain_text("Gethin Vaughan")
    expect(sergeant.get_by_role("link", name=cy("Authorise this visit"))).to_have_count(0)
    shot(sergeant, "visit-single-authorised")
    authorisation = VisitAuthorisation.objects.get(visit=visit)
    assert authorisation.authorised_by == mosovo["sergeant"] and authorisation.in_time
    assert authorisation.rationale.startswith("Yr ail swyddog")
    authorisation_duty.refresh_from_db()
    assert authorisation_duty.completed_at is not None
    assert AuditEvent.objects.filter(
        action="nominal.visit_authorise", target_id=str(authorisation.uuid)
    ).exists()

    page.reload()
    check_accessibility(page)
    visit_row = row(page, "Ffion Rowlands")
    expect(visit_row).to_contain_text(cy("Authorised by %(name)s") % {"name": "Gethin Vaughan"})
    expect(visit_row.locator(".govuk-tag", has_text=cy("Needs authorisation"))).to_have_count(0)
