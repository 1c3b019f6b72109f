import pytest

from vigil.core.policy_registry import Source, get_policy, policy_value
from vigil.duties.registry import declare_duty_kind, get_kind, kind_label, subject_url
from vigil.duties.tests.helpers import REVIEW, VISIT


def test_it_declares_a_kind_with_its_two_policies():
    kind = get_kind(REVIEW)
    assert kind.label == "Test review"
    supervisor = get_policy("duties.duties_test.review.escalate_supervisor_days")
    manager = get_policy("duties.duties_test.review.escalate_manager_days")
    assert (supervisor.default, manager.default) == (7, 28)
    assert supervisor.source == Source.VIGIL
    assert "Test review" in str(supervisor.label)
    assert get_policy("duties.duties_test.visit.escalate_supervisor_days").default == 0
    assert get_kind(VISIT).url is None


@pytest.mark.django_db
def test_the_policy_value_is_the_default_until_overridden():
    assert policy_value("duties.duties_test.visit.escalate_manager_days") == 14


def test_it_links_to_a_subject_only_when_the_kind_can():
    assert subject_url(REVIEW, "abc") == "/test/reviews/abc/"
    assert subject_url(VISIT, "abc") is None
    assert subject_url("unknown.kind", "abc") is None
    assert kind_label("unknown.kind") == "unknown.kind"


def test_it_refuses_the_same_code_with_another_label():
    with pytest.raises(RuntimeError):
        declare_duty_kind(REVIEW, label="Something else")
    declare_duty_kind(REVIEW, label="Test review", url=get_kind(REVIEW).url)  # same again is fine


def test_it_refuses_a_code_with_spaces():
    with pytest.raises(ValueError):
        declare_duty_kind("has spaces", label="x")
