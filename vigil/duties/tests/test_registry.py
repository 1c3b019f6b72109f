import datetime as dt

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


def test_it_refuses_a_kind_escalating_to_managers_before_supervisors():
    with pytest.raises(ValueError, match="manager escalation cannot come before"):
        declare_duty_kind(
            "duties_test.backwards",
            label="Backwards",
            escalate_supervisor_days=10,
            escalate_manager_days=5,
        )
    assert get_kind("duties_test.backwards") is None


def test_each_kind_has_a_cross_check_of_its_two_thresholds():
    from vigil.core.policy_registry import cross_checks_for

    key = "duties.duties_test.review.escalate_manager_days"
    (check,) = cross_checks_for(key)
    assert check.keys == ("duties.duties_test.review.escalate_supervisor_days", key)
    at = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    assert check.check({check.keys[0]: 7, key: 7}, at) is None
    message = check.check({check.keys[0]: 7, key: 3}, at)
    assert message.startswith("Test review: from 1 December 2026 the managers would be told")


@pytest.mark.django_db
def test_a_kinds_thresholds_are_checked_against_each_other_when_changed():
    from vigil.accounts.choices import Role
    from vigil.core.exceptions import ValidationFailed
    from vigil.core.models import PolicyOverride
    from vigil.core.services import policy_override_create
    from vigil.core.testing import make_user

    admin = make_user(Role.ADMIN)
    # The test visit kind: 0 days to the supervisors, 14 to the managers.
    with pytest.raises(ValidationFailed) as exc:
        policy_override_create(
            actor=admin,
            key="duties.duties_test.visit.escalate_supervisor_days",
            value=15,
            effective_from=None,
            reason="r",
        )
    assert exc.value.errors[0][0] == "value"
    assert not PolicyOverride.objects.exists()
    policy_override_create(
        actor=admin,
        key="duties.duties_test.visit.escalate_supervisor_days",
        value=14,
        effective_from=None,
        reason="r",
    )
    assert policy_value("duties.duties_test.visit.escalate_supervisor_days") == 14
