"""The instruments API, for each kind of caller."""

import pytest

from vigil.accounts.choices import Role
from vigil.audit.models import AuditEvent
from vigil.core.testing import make_user, verified_client
from vigil.instruments import services
from vigil.instruments.models import Assessment
from vigil.instruments.tests.helpers import (
    arms,
    first_answers,
    last_answers,
    make_person,
    referral_risk,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/instruments"


@pytest.fixture
def assessment(team):
    person = make_person(team)
    return services.assessment_record(
        actor=make_user(Role.OFFICER, team),
        code="referral-risk",
        subject=person,
        person=person,
        answers=last_answers(referral_risk()),
    )


def _score(client, code, answers, **extra):
    return client.post(
        f"{BASE}/{code}/score", {"answers": answers, **extra}, content_type="application/json"
    )


def test_it_asks_anonymous_callers_to_sign_in(client, assessment):
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/referral-risk/1").status_code == 401
    assert _score(client, "referral-risk", {}).status_code == 401
    assert client.get(f"{BASE}/assessments/{assessment.uuid}").status_code == 401


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSURANCE, Role.PROBATION])
def test_it_refuses_roles_without_casework(team, assessment, role):
    client = verified_client(make_user(role, team))
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/referral-risk/1").status_code == 403
    assert _score(client, "referral-risk", first_answers(referral_risk())).status_code == 403
    response = client.get(f"{BASE}/assessments/{assessment.uuid}")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_it_lets_administrators_read_definitions_but_not_score(team):
    client = verified_client(make_user(Role.ADMIN, team))
    assert client.get(BASE).status_code == 200
    assert _score(client, "referral-risk", first_answers(referral_risk())).status_code == 403


def test_it_lists_the_definitions(team):
    body = verified_client(make_user(Role.OFFICER, team)).get(BASE).json()
    assert [(d["code"], d["version"], d["kind"], d["latest"]) for d in body] == [
        ("arms", 1, "structured", True),
        ("referral-risk", 1, "scored", True),
    ]
    assert "licensed KIRAT definition" in body[1]["template_notice"]["en"]
    assert body[1]["title"]["cy"] == "Risg atgyfeirio (templed ar ffurf KIRAT)"


def test_it_gives_a_full_definition(team):
    client = verified_client(make_user(Role.ANALYST, team))
    body = client.get(f"{BASE}/referral-risk/1").json()
    assert (body["score_min"], body["score_max"]) == (0, 42)
    assert len([q for s in body["sections"] for q in s["questions"]]) == 14
    assert body["bands"][-1] == {
        "id": "very_high",
        "label": {"en": "Very high", "cy": "Uchel iawn"},
        "min": 26,
        "max": 42,
    }
    assert client.get(f"{BASE}/referral-risk/5").status_code == 404
    structured = client.get(f"{BASE}/arms/1").json()
    assert structured["formulation"]["required"] and structured["bands"][0]["min"] is None


def test_it_scores_a_dry_run_and_stores_nothing(team):
    client = verified_client(make_user(Role.OFFICER, team))
    answers = first_answers(referral_risk()) | {"grooming": "yes", "lives_with_children": "yes"}
    response = _score(client, "referral-risk", answers)
    assert response.status_code == 200
    body = response.json()
    assert (body["score"], body["band"], body["version"]) == (8, "medium", 1)
    assert (
        body["subtotals"]["access_to_children"] == 4
        and body["subtotals"]["current_facilitators"] == 4
    )
    assert not Assessment.objects.exists() and not AuditEvent.objects.exists()


def test_it_counts_a_structured_dry_run(team):
    client = verified_client(make_user(Role.OFFICER, team))
    body = _score(client, "arms", {q.id: "not_present" for q in arms().questions}, version=1).json()
    assert body["score"] is None and body["band"] is None
    assert body["counts"]["protective_factors"]["not_present"] == 5


def test_it_names_each_bad_answer(team):
    client = verified_client(make_user(Role.OFFICER, team))
    answers = first_answers(referral_risk()) | {"grooming": "perhaps", "extra": "yes"}
    del answers["incitement"]
    response = _score(client, "referral-risk", answers)
    assert response.status_code == 422
    fields = [f["field"] for f in response.json()["error"]["fields"]]
    assert fields == ["answers.extra", "answers.grooming", "answers.incitement"]
    assert _score(client, "nothing", answers).status_code == 404


def test_it_hides_an_assessment_outside_the_callers_teams(other_team, assessment):
    client = verified_client(make_user(Role.SUPERVISOR, other_team))
    assert client.get(f"{BASE}/assessments/{assessment.uuid}").status_code == 404
    assert client.post(f"{BASE}/assessments/{assessment.uuid}/sign-off").status_code == 404


def test_it_gives_an_assessment_and_audits_the_view(team, assessment):
    user = make_user(Role.ANALYST, team)
    response = verified_client(user).get(f"{BASE}/assessments/{assessment.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert (
        body["id"] == str(assessment.uuid)
        and body["final_band"] == "very_high"
        and body["score"] == 42
    )
    assert body["person_id"] == str(assessment.person.uuid) and body["signed_off_by"] is None
    assert AuditEvent.objects.filter(action="assessment.view", actor_id=user.pk).count() == 1


def test_it_signs_off_through_the_api(team, assessment):
    officer_client = verified_client(make_user(Role.OFFICER, team))
    assert officer_client.post(f"{BASE}/assessments/{assessment.uuid}/sign-off").status_code == 403
    manager = make_user(Role.MANAGER, team, full_name="Morgan Manager")
    response = verified_client(manager).post(f"{BASE}/assessments/{assessment.uuid}/sign-off")
    assert response.status_code == 200 and response.json()["signed_off_by"] == "Morgan Manager"
    assessment.refresh_from_db()
    assert assessment.signed_off_by == manager
    again = verified_client(make_user(Role.SUPERVISOR, team)).post(
        f"{BASE}/assessments/{assessment.uuid}/sign-off"
    )
    assert again.status_code == 409
