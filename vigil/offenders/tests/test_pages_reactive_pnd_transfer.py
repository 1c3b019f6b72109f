"""The pages of PND checks, reactive management and transfers: anonymous → sign-in,
wrong role → 403/404, out of scope → 404, permitted; the journeys through the forms;
the lists in a fixed number of queries."""

import datetime as dt
import functools
import re
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.choices import Rank, Role
from vigil.audit.models import AuditEvent
from vigil.core.pagination import paginate
from vigil.core.testing import make_force, make_team, make_user, verified_client
from vigil.offenders import reactive, services
from vigil.offenders.models import ModeDecision, Nominal, PndCheck
from vigil.offenders.tests.helpers import approved_arms, make_nominal, make_plan, mosovo_team
from vigil.offenders.views import reactive as reactive_views

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
THREE_YEARS_AGO = dt.datetime(2023, 3, 10, 9, 0, tzinfo=dt.UTC)

NOMINAL_PAGES = [
    "pnd",
    "pnd-new",
    "management",
    "reactive-request",
    "reactive-review",
    "reactive-return",
    "transfer-new",
]


def _url(name, obj):
    return reverse(f"offenders:{name}", args=[obj.uuid])


def _low_nominal(team, officer, sergeant):
    with time_machine.travel(THREE_YEARS_AGO, tick=False):
        nominal = make_nominal(team, manager=officer)
        approved_arms(nominal, officer, sergeant, "low")
        make_plan(nominal, officer, months=12)
    return Nominal.objects.get(pk=nominal.pk)


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


@pytest.fixture
def world(mteam, officer, sergeant, gwent):
    nominal = _low_nominal(mteam, officer, sergeant)
    with time_machine.travel(NOW, tick=False):
        check = services.pnd_check_record(
            actor=officer, nominal=nominal, checked_on=dt.date(2026, 3, 9), result="no_trace"
        )
        decision = services.reactive_request(actor=officer, nominal=nominal, proposal="Low.")
        transfer = services.transfer_request(
            actor=officer, nominal=nominal, to_force=gwent["force"], reason="Moved."
        )
    return {"nominal": nominal, "check": check, "decision": decision, "transfer": transfer}


def _all_urls(world):
    n = world["nominal"]
    return (
        [_url(p, n) for p in NOMINAL_PAGES]
        + [
            _url("pnd-assess", world["check"]),
            _url("mode-decision", world["decision"]),
            _url("transfer-detail", world["transfer"]),
        ],
        [reverse("offenders:reactive-list"), reverse("offenders:transfers")],
    )


def test_it_sends_anonymous_users_to_sign_in(world):
    items, lists = _all_urls(world)
    for url in items + lists:
        response = Client().get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response.url, url


@pytest.mark.parametrize("role", [Role.ASSURANCE, Role.AUDITOR, Role.PROBATION, Role.WELLBEING])
def test_it_refuses_roles_without_casework(world, mteam, role):
    client = verified_client(make_user(role, mteam))
    items, lists = _all_urls(world)
    for url in items + lists:
        assert client.get(url).status_code in (403, 404), url
    response = client.post(
        _url("pnd-new", world["nominal"]), {"checked_on": "2026-03-01", "result": "no_trace"}
    )
    assert response.status_code in (403, 404)
    assert PndCheck.objects.count() == 1


def test_it_gives_not_found_out_of_scope(world, force):
    other = make_team(force, name="MOSOVO West", kind="mosovo")
    client = verified_client(make_user(Role.SUPERVISOR, other, rank=Rank.INSPECTOR))
    items, lists = _all_urls(world)
    for url in items:
        assert client.get(url).status_code == 404, url
    for url in lists:
        response = client.get(url)
        assert response.status_code == 200
        assert str(world["nominal"].uuid) not in response.content.decode()
    response = client.post(
        _url("mode-decision", world["decision"]), {"decision": "approve", "rationale": "x"}
    )
    assert response.status_code == 404
    assert ModeDecision.objects.get().status == "proposed"


@time_machine.travel(NOW, tick=False)
def test_it_shows_every_page_to_the_team(world, officer, sergeant):
    client = verified_client(sergeant)
    items, lists = _all_urls(world)
    for url in items + lists:
        assert client.get(url, follow=True).status_code == 200, url
    page = client.get(_url("detail", world["nominal"])).content.decode()
    assert "PND checks" in page and "Management mode" in page
    assert AuditEvent.objects.filter(action="nominal.view", actor_id=sergeant.pk).exists()


@time_machine.travel(NOW, tick=False)
def test_it_records_and_assesses_a_pnd_check(nominal, officer, colleague):
    client = verified_client(officer)
    response = client.post(
        _url("pnd-new", nominal),
        {"checked_on": "2026-03-09", "officer": colleague.pk, "result": "information"},
    )
    assert response.status_code == 200 and b"Summarise the information found" in response.content
    response = client.post(
        _url("pnd-new", nominal),
        {
            "checked_on": "2026-03-09",
            "officer": colleague.pk,
            "result": "information",
            "summary": "Arrest in Cardiff, 2025.",
        },
    )
    assert response.status_code == 302
    check = PndCheck.objects.get()
    assert check.officer == colleague and check.recorded_by == officer
    page = client.get(_url("pnd", nominal)).content.decode()
    assert "Not assessed" in page
    response = client.post(_url("pnd-assess", check), {"action_taken": "Told the partner agency."})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.assessed_by == officer
    assert "In date and assessed" in client.get(_url("pnd", nominal)).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_medium_risk_nominal_is_refused_with_the_reason(nominal, officer, sergeant):
    approved_arms(nominal, officer, sergeant, "medium")
    client = verified_client(officer)
    page = client.get(_url("reactive-request", nominal)).content.decode()
    assert "Not met" in page and "The current risk level is medium, not low" in page
    response = client.post(_url("reactive-request", nominal), {"proposal": "Please."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Reactive management refused" in html
    assert "Current risk level is low: The current risk level is medium, not low" in html
    assert not ModeDecision.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_is_requested_then_approved_by_an_inspector(mteam, officer, sergeant, inspector):
    nominal = _low_nominal(mteam, officer, sergeant)
    client = verified_client(officer)
    response = client.post(_url("reactive-request", nominal), {"proposal": "Three years low."})
    assert response.status_code == 302
    decision = ModeDecision.objects.get()
    url = _url("mode-decision", decision)
    assert b"Record the decision" not in verified_client(sergeant).get(url).content
    response = verified_client(sergeant).post(url, {"decision": "approve", "rationale": "x"})
    assert response.status_code == 403
    inspector_client = verified_client(inspector)
    response = inspector_client.post(url, {"decision": "approve", "rationale": ""})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    response = inspector_client.post(url, {"decision": "approve", "rationale": "All met."})
    assert response.status_code == 302
    assert Nominal.objects.get(pk=nominal.pk).management_mode == "reactive"
    listing = client.get(reverse("offenders:reactive-list")).content.decode()
    assert "Every condition met" in listing
    response = client.post(
        _url("reactive-review", nominal), {"outcome": "continue", "rationale": "Still fine."}
    )
    assert response.status_code == 302
    response = client.post(_url("reactive-return", nominal), {"reason": "New partner."})
    assert response.status_code == 302
    assert Nominal.objects.get(pk=nominal.pk).management_mode == "active"


@time_machine.travel(NOW, tick=False)
def test_a_transfer_is_requested_and_accepted_through_the_pages(nominal, officer, gwent):
    client = verified_client(officer)
    response = client.post(
        _url("transfer-new", nominal), {"to_force": gwent["force"].pk, "reason": "Moved."}
    )
    assert response.status_code == 302
    transfer = nominal.transfers.get()
    receiving = verified_client(gwent["sergeant"])
    listing = receiving.get(reverse("offenders:transfers")).content.decode()
    assert _url("transfer-detail", transfer) in listing
    assert verified_client(gwent["officer"]).post(
        _url("transfer-detail", transfer), {"action": "decline", "decline-decision_reason": "x"}
    ).status_code in (403, 404)
    assert (
        client.post(
            _url("transfer-detail", transfer), {"action": "decline", "decline-decision_reason": "x"}
        ).status_code
        == 403
    )
    response = receiving.post(
        _url("transfer-detail", transfer),
        {
            "action": "accept",
            "accept-team": gwent["team"].pk,
            "accept-offender_manager": gwent["officer"].pk,
        },
    )
    assert response.status_code == 302
    nominal.refresh_from_db()
    assert nominal.team == gwent["team"] and nominal.offender_manager == gwent["officer"]
    assert client.get(_url("detail", nominal)).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_transfer_is_declined_with_a_reason(nominal, officer, gwent):
    transfer = services.transfer_request(
        actor=officer, nominal=nominal, to_force=gwent["force"], reason="Moved."
    )
    receiving = verified_client(gwent["sergeant"])
    url = _url("transfer-detail", transfer)
    response = receiving.post(url, {"action": "decline", "decline-decision_reason": ""})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    response = receiving.post(url, {"action": "decline", "decline-decision_reason": "Not here."})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "declined"


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content


def _reactive(team, officer, sergeant, inspector, *, breach=False):
    """A nominal on reactive management meeting every condition (through the services);
    with `breach`, a breach recorded since, so that one condition is no longer met."""
    nominal = _low_nominal(team, officer, sergeant)
    with time_machine.travel(NOW, tick=False):
        decision = services.reactive_request(actor=officer, nominal=nominal, proposal="p")
        services.reactive_decide(actor=inspector, decision=decision, approve=True, rationale="r")
        if breach:
            services.breach_record(
                actor=officer, nominal=nominal, occurred_on=dt.date(2026, 3, 9), summary="s"
            )
    return nominal


def _listed(html) -> list[str]:
    """The nominals a page of the reactive list shows, in order (their uuids)."""
    return re.findall(r'/nominals/([0-9a-f-]{36})/management/"', html)


def _in_order(nominals) -> list[str]:
    nominals = Nominal.objects.filter(pk__in=[n.pk for n in nominals]).select_related("person")
    key = lambda n: (n.person.family_name, n.person.given_name, n.pk)  # noqa: E731
    return [str(n.uuid) for n in sorted(nominals, key=key)]


@pytest.fixture
def pages_of_two(monkeypatch):
    """The reactive list two rows a page."""
    monkeypatch.setattr(reactive_views, "paginate", functools.partial(paginate, per_page=2))


def test_the_reactive_list_costs_a_fixed_number_of_queries(mteam, officer, sergeant, inspector):
    _reactive(mteam, officer, sergeant, inspector)
    client = verified_client(officer)
    url = reverse("offenders:reactive-list")
    with time_machine.travel(NOW, tick=False):
        few, _html = _count(client, url)
    for _ in range(3):
        _reactive(mteam, officer, sergeant, inspector)
    with time_machine.travel(NOW, tick=False):
        many, html = _count(client, url)
    assert many == few
    assert len(re.findall(rb"/management/\"", html)) == 4


@time_machine.travel(NOW, tick=False)
def test_the_reactive_list_is_paged_those_with_a_condition_unmet_first(
    mteam, officer, sergeant, inspector, pages_of_two
):
    met = [_reactive(mteam, officer, sergeant, inspector) for _ in range(2)]
    unmet = [_reactive(mteam, officer, sergeant, inspector, breach=True) for _ in range(3)]
    client = verified_client(officer)
    url = reverse("offenders:reactive-list")
    pages = [client.get(url, {"page": page}).content.decode() for page in (1, 2, 3)]
    assert [len(_listed(html)) for html in pages] == [2, 2, 1]
    assert sum((_listed(html) for html in pages), []) == _in_order(unmet) + _in_order(met)
    for number, html in enumerate(pages, start=1):
        assert "5 reactively managed nominals" in html
        assert f"Page {number} of 3" in html and 'class="govuk-pagination"' in html
    assert 'href="?page=2" rel="next"' in pages[0] and 'rel="prev"' not in pages[0]
    assert 'href="?page=1" rel="prev"' in pages[1] and 'href="?page=3" rel="next"' in pages[1]
    assert "No breach or new offending in that time: 1 breach" in pages[0]
    assert "Every condition met" in pages[2] and "Not met" not in pages[2]
    # at the usual page size they fit on one page: no pagination
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reactive_views, "paginate", paginate)
        html = client.get(url).content.decode()
    assert len(_listed(html)) == 5 and "govuk-pagination" not in html


@time_machine.travel(NOW, tick=False)
def test_the_filter_is_kept_from_page_to_page(mteam, officer, sergeant, inspector, pages_of_two):
    met = [_reactive(mteam, officer, sergeant, inspector) for _ in range(2)]
    unmet = [_reactive(mteam, officer, sergeant, inspector, breach=True) for _ in range(3)]
    client = verified_client(officer)
    url = reverse("offenders:reactive-list")
    first = client.get(url, {"unmet": "1"}).content.decode()
    assert "3 nominals with a condition no longer met" in first
    assert "Page 1 of 2" in first
    (following,) = re.findall(r'href="([^"]*)" rel="next"', first)
    assert following == "?unmet=1&amp;page=2"
    second = client.get(url + unescape(following)).content.decode()
    assert "3 nominals with a condition no longer met" in second and "Page 2 of 2" in second
    assert 'href="?unmet=1&amp;page=1" rel="prev"' in second
    assert _listed(first) + _listed(second) == _in_order(unmet)
    assert not {str(n.uuid) for n in met} & set(_listed(first) + _listed(second))
    assert '<a class="govuk-link" href="?">Show all</a>' in second


@time_machine.travel(NOW, tick=False)
def test_a_page_evaluates_the_conditions_of_its_own_rows_only(
    mteam, officer, sergeant, inspector, pages_of_two, monkeypatch
):
    for breach in (False, True, True, False, True):
        _reactive(mteam, officer, sergeant, inspector, breach=breach)
    asked = []
    evaluate = reactive.evaluate

    def spy(nominals, **kwargs):
        result = evaluate(nominals, **kwargs)
        asked.append(set(result))
        return result

    monkeypatch.setattr(reactive, "evaluate", spy)
    html = verified_client(officer).get(reverse("offenders:reactive-list"), {"page": 2})
    shown = set(
        Nominal.objects.filter(uuid__in=_listed(html.content.decode())).values_list("pk", flat=True)
    )
    assert len(shown) == 2 and asked == [shown]


def test_a_page_of_the_reactive_list_costs_a_fixed_number_of_queries(
    mteam, officer, sergeant, inspector, pages_of_two, django_assert_num_queries
):
    for breach in (False, True, True):
        _reactive(mteam, officer, sergeant, inspector, breach=breach)
    client = verified_client(officer)
    url = reverse("offenders:reactive-list")
    with time_machine.travel(NOW, tick=False):
        client.get(url)
        with CaptureQueriesContext(connection) as first:
            client.get(url, {"page": 2})
    for breach in (False, False, True, True, True):
        _reactive(mteam, officer, sergeant, inspector, breach=breach)
    with time_machine.travel(NOW, tick=False):
        for query in ({"page": 1}, {"page": 2}, {"page": 4}, {"unmet": "1", "page": 2}):
            with django_assert_num_queries(len(first.captured_queries)):
                html = client.get(url, query).content.decode()
            assert len(_listed(html)) == 2, query


def test_the_transfer_list_costs_a_fixed_number_of_queries(mteam, officer, gwent):
    def transfer():
        nominal = make_nominal(mteam, manager=officer)
        services.transfer_request(
            actor=officer, nominal=nominal, to_force=gwent["force"], reason="Moved."
        )

    transfer()
    client = verified_client(gwent["sergeant"])
    url = reverse("offenders:transfers")
    few, _html = _count(client, url)
    for _ in range(3):
        transfer()
    many, html = _count(client, url)
    assert many == few
    assert html.count(b"Decide") == 4


def test_the_pnd_page_costs_a_fixed_number_of_queries(nominal, officer, colleague):
    def check(day):
        c = services.pnd_check_record(
            actor=officer, nominal=nominal, checked_on=day, result="no_trace", officer=colleague
        )
        services.pnd_check_assess(actor=officer, check=c, action_taken="None needed.")

    client = verified_client(officer)
    url = _url("pnd", nominal)
    with time_machine.travel(NOW, tick=False):
        check(dt.date(2026, 1, 5))
        few, _html = _count(client, url)
        for day in (2, 3, 4):
            check(dt.date(2026, 2, day))
        many, html = _count(client, url)
    assert many == few
    assert html.count(b"Assessed by Ffion Rowlands") == 4
