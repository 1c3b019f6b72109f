"""Every page: anonymous → sign-in, wrong role → 403/404, out of scope → 404, permitted."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_team, make_user, verified_client
from vigil.offenders import services
from vigil.offenders.models import Visit
from vigil.offenders.tests.helpers import ARMS_ANSWERS, make_nominal, make_plan, record_arms

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)

NOMINAL_PAGES = [
    "detail",
    "edit",
    "notification",
    "requirement-add",
    "notification-open",
    "orders",
    "order-add",
    "breach-add",
    "risk",
    "arms-new",
    "plan",
    "plan-new",
    "visits",
    "visit-new",
    "reviews",
    "intelligence",
    "intelligence-new",
    "timeline",
]


def _url(name, obj):
    return reverse(f"offenders:{name}", args=[obj.uuid])


@pytest.fixture
def world(nominal, officer, colleague, sergeant):
    with time_machine.travel(NOW, tick=False):
        arms = record_arms(nominal, officer)
        make_plan(nominal, officer, months=1)
        visit = services.visit_record(
            actor=officer,
            nominal=nominal,
            visited_at=NOW - dt.timedelta(hours=1),
            location="home",
            announced=True,
            officers=[officer],
            access_result="gained",
            outcome="Seen.",
        )
        entry = services.intelligence_record(
            actor=officer,
            nominal=nominal,
            received_on=dt.date(2026, 3, 9),
            source="s",
            summary="s",
        )
        event = services.notification_open(
            actor=officer, nominal=nominal, kind="change", event_date=dt.date(2026, 3, 9)
        )
    return {
        "arms": arms,
        "visit": visit,
        "entry": entry,
        "event": event,
        "review": arms.review,
        "plan": nominal.plans.first(),
    }


def _item_urls(world):
    return [
        _url("visit-detail", world["visit"]),
        _url("visit-authorise", world["visit"]),
        _url("review-record", world["review"]),
        _url("intelligence-review", world["entry"]),
        _url("notification-record", world["event"]),
        _url("plan-go", world["plan"]),
    ]


def test_it_sends_anonymous_users_to_sign_in(nominal, world):
    client = Client()
    urls = [
        reverse("offenders:caseload"),
        reverse("offenders:review-queue"),
        reverse("offenders:register"),
        reverse("offenders:caseloads"),
    ]
    urls += [_url(n, nominal) for n in NOMINAL_PAGES] + _item_urls(world)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/account/sign-in/" in response.url


@pytest.mark.parametrize("role", [Role.ASSURANCE, Role.AUDITOR, Role.PROBATION, Role.WELLBEING])
def test_it_refuses_roles_without_casework(nominal, world, mteam, role):
    client = verified_client(make_user(role, mteam))
    assert client.get(reverse("offenders:caseload")).status_code == 403
    assert client.get(reverse("offenders:review-queue")).status_code == 403
    for url in [_url(n, nominal) for n in NOMINAL_PAGES] + _item_urls(world):
        assert client.get(url).status_code in (403, 404), url
    assert not AuditEvent.objects.filter(action="nominal.view").exists()


def test_it_gives_not_found_out_of_scope(nominal, world, force):
    other = make_team(force, name="MOSOVO West", kind="mosovo")
    client = verified_client(make_user(Role.SUPERVISOR, other))
    for url in [_url(n, nominal) for n in NOMINAL_PAGES] + _item_urls(world):
        assert client.get(url).status_code == 404, url
    response = client.post(
        _url("intelligence-new", nominal),
        {"received_on": "2026-03-01", "source": "x", "summary": "y"},
    )
    assert response.status_code == 404
    assert nominal.intelligence.count() == 1


def test_it_gives_not_found_for_a_restricted_person(nominal, world, colleague):
    from vigil.people.models import Person

    Person.objects.filter(pk=nominal.person_id).update(is_restricted=True)
    client = verified_client(colleague)
    for url in [_url(n, nominal) for n in NOMINAL_PAGES] + _item_urls(world):
        assert client.get(url).status_code == 404, url


def test_it_shows_every_page_to_the_team(nominal, world, officer, sergeant):
    client = verified_client(sergeant)
    for name in NOMINAL_PAGES:
        assert client.get(_url(name, nominal)).status_code == 200, name
    for url in _item_urls(world):
        assert client.get(url, follow=True).status_code == 200, url
    assert AuditEvent.objects.filter(action="nominal.view", actor_id=sergeant.pk).exists()
    officer_client = verified_client(officer)
    assert officer_client.get(_url("visit-authorise", world["visit"])).status_code == 403
    assert officer_client.get(_url("review-record", world["review"])).status_code == 403
    assert officer_client.get(reverse("offenders:review-queue")).status_code == 403


def test_it_lists_the_caseload_in_a_fixed_number_of_queries(mteam, officer):
    client = verified_client(officer)
    make_nominal(mteam, manager=officer)
    client.get(reverse("offenders:caseload"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("offenders:caseload") + "?sort=risk").status_code == 200
    for _ in range(5):
        make_nominal(mteam, manager=officer)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("offenders:caseload") + "?sort=risk")
    assert len(many) == len(few)
    assert response.content.count(b"/nominals/") >= 6


def test_it_lists_the_review_queue_in_a_fixed_number_of_queries(mteam, officer, sergeant):
    client = verified_client(sergeant)
    record_arms(make_nominal(mteam, manager=officer), officer)
    client.get(reverse("offenders:review-queue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("offenders:review-queue"))
    for _ in range(4):
        record_arms(make_nominal(mteam, manager=officer), officer)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("offenders:review-queue"))
    assert len(many) == len(few)
    assert len(re.findall(rb"/nominals/reviews/[0-9a-f-]{36}/", response.content)) == 5


@time_machine.travel(NOW, tick=False)
def test_it_records_a_visit_through_the_check_your_answers_page(nominal, officer, colleague):
    make_plan(nominal, officer, months=1)
    client = verified_client(officer)
    response = client.post(
        _url("visit-new", nominal),
        {
            "visited_at": "2026-03-10T09:00",
            "location": "home",
            "announced": "no",
            "officers": [officer.pk, colleague.pk],
            "access": "gained",
            "outcome": "All well.",
        },
    )
    assert response.status_code == 302
    assert response.url == _url("visit-check", nominal)
    assert not Visit.objects.exists()
    page = client.get(response.url)
    assert b"Check your answers" in page.content
    assert b"must be authorised" not in page.content
    response = client.post(_url("visit-check", nominal))
    visit = Visit.objects.get()
    assert response.url == _url("visit-detail", visit)
    assert visit.compliant and visit.officer_count == 2


@time_machine.travel(NOW, tick=False)
def test_it_shows_errors_and_changes_nothing(nominal, officer):
    client = verified_client(officer)
    response = client.post(
        _url("plan-new", nominal), {"visit_every_months": "6", "review_due": "2026-09-01"}
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Visit at least every 1 months" in response.content
    assert not nominal.plans.exists()


@time_machine.travel(NOW, tick=False)
def test_it_records_an_arms_through_the_page(nominal, officer):
    client = verified_client(officer)
    data = {f"q_{k}": v for k, v in ARMS_ANSWERS.items()}
    data.update(
        {
            "judgement_level": "high",
            "formulation": "F",
            "trigger": "scheduled",
            "static_tool": "osp_c",
            "static_band": "high",
            "static_tool_version": "v6",
        }
    )
    response = client.post(_url("arms-new", nominal), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    arms = nominal.arms.get()
    assert arms.risk_level == "high" and arms.static_tool == "osp_c"


def test_it_shows_caseloads_against_the_threshold_with_links_to_the_matrix(
    mteam, officer, colleague, sergeant
):
    from urllib.parse import parse_qs, urlsplit

    from vigil.offenders import duty_kinds

    for _ in range(3):
        make_nominal(mteam, manager=officer)
    make_nominal(mteam, manager=colleague)
    from vigil.core.services import policy_override_create

    policy_override_create(
        actor=make_user(Role.ADMIN, None),
        key="offenders.caseload_threshold",
        value="2",
        effective_from=None,
        reason="Test",
    )
    client = verified_client(sergeant)
    response = client.get(reverse("offenders:caseloads"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Manageable caseload: 2 nominals" in html
    rows = re.findall(
        r"<tr class=\"govuk-table__row\">\s*<td[^>]*>([^<]+)</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(.*?)</td>",
        html,
        re.S,
    )
    assert [(name, count, "Over" in tag) for name, count, tag in rows] == [
        ("Ffion Rowlands", "3", True),
        ("Dafydd Jones", "1", False),
    ]
    links = [
        parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        for href in re.findall(r'href="(/work/outstanding/\?[^"]+)"', html)
    ]
    kinds = [sorted(q["kind"]) for q in links]
    assert [duty_kinds.ARMS] in kinds and [duty_kinds.VISIT] in kinds
    assert [duty_kinds.PLAN_REVIEW] in kinds
    assert sorted(duty_kinds.OUTSTANDING_KINDS) in kinds
    assert any(q.get("assignee") == [str(officer.uuid)] for q in links)
    assert any(q.get("team") == [str(mteam.uuid)] for q in links)
    # each link opens the matrix, counting only those kinds
    arms_link = next(
        href.replace("&amp;", "&")
        for href in re.findall(r'href="(/work/outstanding/\?[^"]+)"', html)
        if "team=" in href and href.count("kind=") == 1 and "arms" in href
    )
    matrix = client.get(arms_link).content.decode()
    assert "4 open duties" in matrix and "Counting only: ARMS assessment" in matrix


def test_it_refuses_caseloads_to_officers(officer):
    assert verified_client(officer).get(reverse("offenders:caseloads")).status_code == 403


def test_the_plan_page_warns_when_the_risk_has_risen_past_the_plans_visits(
    nominal, officer, sergeant
):
    low = record_arms(nominal, officer, level="low")
    services.review_record(actor=sergeant, review=low.review, outcome="approved")
    plan = make_plan(nominal, officer, months=12, review_due=dt.date(2027, 10, 1))
    arms = record_arms(nominal, officer, level="high")
    services.review_record(actor=sergeant, review=arms.review, outcome="approved")
    response = verified_client(officer).get(reverse("offenders:plan", args=[nominal.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The risk level has risen since this plan was written" in html
    assert "every 3 months" in html  # the policy maximum for high risk
    assert "(brought forward)" in html  # the review duty moved before the plan's date
    assert plan.review_due.strftime("%-d %b %Y") not in html


def test_check_your_answers_shows_the_access_result_by_its_label(nominal, officer):
    client = verified_client(officer)
    url = reverse("offenders:visit-new", args=[nominal.uuid])
    response = client.post(
        url,
        {
            "visited_at": "2026-11-27T10:00",
            "location": "home",
            "announced": "no",
            "officers": [officer.pk],
            "access": "gained",
            "outcome": "Seen at home.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(response["Location"]).content.decode()
    assert "Access gained" in html and ">gained<" not in html
    assert "within 24 hours of the visit" in html  # the policy's value
