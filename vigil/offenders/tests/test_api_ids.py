"""The ids a client needs to go on: the review a plan or a visit opened (and an ARMS),
and what a review reviews (kind and id)."""

import datetime as dt

import pytest
import time_machine

from vigil.core.testing import verified_client
from vigil.offenders.models import Review
from vigil.offenders.tests.helpers import record_arms

pytestmark = pytest.mark.django_db
BASE = "/api/v1/nominals"
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


@time_machine.travel(NOW, tick=False)
def test_a_plan_and_a_visit_answer_with_the_review_they_opened(
    nominal, officer, colleague, sergeant
):
    client = verified_client(officer)
    response = _post(
        client,
        f"{BASE}/{nominal.uuid}/plans",
        {
            "visit_every_months": 1,
            "review_due": "2026-09-01",
            "summary": "Monitor internet use.",
            "actions": [],
        },
    )
    assert response.status_code == 201, response.content
    plan_review = Review.objects.get(plan__uuid=response.json()["id"])
    assert response.json()["review_id"] == str(plan_review.uuid)
    listed = client.get(f"{BASE}/{nominal.uuid}/plans").json()
    assert listed[0]["review_id"] == str(plan_review.uuid)

    response = _post(
        client,
        f"{BASE}/{nominal.uuid}/visits",
        {
            "visited_at": (NOW - dt.timedelta(hours=2)).isoformat(),
            "location": "home",
            "announced": False,
            "officer_ids": [str(officer.uuid), str(colleague.uuid)],
            "access": "gained",
            "outcome": "Seen at home.",
        },
    )
    assert response.status_code == 201, response.content
    visit_id = response.json()["id"]
    visit_review = Review.objects.get(visit__uuid=visit_id)
    assert response.json()["review_id"] == str(visit_review.uuid)
    assert client.get(f"{BASE}/visits/{visit_id}").json()["review_id"] == str(visit_review.uuid)
    assert client.get(f"{BASE}/{nominal.uuid}/visits").json()[0]["review_id"] == str(
        visit_review.uuid
    )

    # What each review reviews, in the nominal's list and the supervisor's queue.
    arms = record_arms(nominal, officer)
    reviews = {r["id"]: r for r in client.get(f"{BASE}/{nominal.uuid}/reviews").json()}
    assert (
        reviews[str(plan_review.uuid)]["subject"],
        reviews[str(plan_review.uuid)]["subject_id"],
    ) == (
        "plan",
        response_plan_id := str(plan_review.plan.uuid),
    )
    assert reviews[str(visit_review.uuid)]["subject"] == "visit"
    assert reviews[str(visit_review.uuid)]["subject_id"] == visit_id
    assert reviews[str(arms.review.uuid)]["subject"] == "arms"
    assert reviews[str(arms.review.uuid)]["subject_id"] == str(arms.uuid)
    queue = verified_client(sergeant).get(f"{BASE}/reviews").json()["items"]
    assert {(r["subject"], r["subject_id"]) for r in queue} == {
        ("plan", response_plan_id),
        ("visit", visit_id),
        ("arms", str(arms.uuid)),
    }
    recorded = _post(
        verified_client(sergeant), f"{BASE}/reviews/{plan_review.uuid}", {"outcome": "approved"}
    )
    assert recorded.status_code == 200 and recorded.json()["subject_id"] == response_plan_id
