"""Two numbers of days that are policies: when a transfer request must be decided, and how
long before a visit an authorisation may be dated."""

import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Rank, Role
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import ValidationFailed
from vigil.core.policy_registry import Source, get_policy
from vigil.core.services import policy_override_create
from vigil.core.testing import make_force, make_user
from vigil.duties.models import Duty
from vigil.offenders import duty_kinds as kinds
from vigil.offenders import services
from vigil.offenders.models import VisitAuthorisation
from vigil.offenders.tests.helpers import mosovo_team

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _override(key, value):
    policy_override_create(
        actor=make_user(Role.ADMIN, None),
        key=key,
        value=value,
        effective_from=None,
        reason="Force decision",
    )


def test_both_are_vigil_defaults_of_14_days():
    for key in ("offenders.transfer_decision_days", "offenders.visit_authorisation_backdate_days"):
        policy = get_policy(key)
        assert (policy.default, policy.source, str(policy.unit)) == (14, Source.VIGIL, "days")


@pytest.fixture
def gwent():
    force = make_force("gwent", "Gwent Police")
    team = mosovo_team(force, "Gwent MOSOVO")
    make_user(Role.SUPERVISOR, team, rank=Rank.SERGEANT)
    return force


def _transfer_duty(nominal, officer, force):
    transfer = services.transfer_request(
        actor=officer, nominal=nominal, to_force=force, reason="Moved to Newport."
    )
    return Duty.objects.get(kind=kinds.TRANSFER, subject_id=transfer.uuid)


@time_machine.travel(NOW, tick=False)
def test_the_transfer_decision_is_due_within_the_policys_days(nominal, officer, gwent):
    assert _transfer_duty(nominal, officer, gwent).due_at == end_of_day(dt.date(2026, 3, 24))


@time_machine.travel(NOW, tick=False)
def test_the_transfer_decision_follows_an_override(nominal, officer, gwent):
    _override("offenders.transfer_decision_days", 21)
    assert _transfer_duty(nominal, officer, gwent).due_at == end_of_day(dt.date(2026, 3, 31))


def _visit(nominal, officer, visited_at):
    return services.visit_record(
        actor=officer,
        nominal=nominal,
        visited_at=visited_at,
        location="home",
        announced=True,
        officers=[officer],
        access_result="gained",
        outcome="Seen.",
    )


def test_an_authorisation_is_dated_at_most_the_policys_days_before_the_visit(
    nominal, officer, sergeant
):
    with time_machine.travel(NOW, tick=False):
        visit = _visit(nominal, officer, NOW - dt.timedelta(hours=2))
        with pytest.raises(ValidationFailed) as exc:
            services.visit_authorise(
                actor=sergeant, visit=visit, rationale="By phone", decided_at=NOW - 15 * DAY
            )
        assert exc.value.errors[0] == (
            "decided_at",
            "Enter when you made the decision: not in the future, and no more than 14 days "
            "before the visit",
        )
        assert not VisitAuthorisation.objects.exists()
        auth = services.visit_authorise(
            actor=sergeant, visit=visit, rationale="By phone", decided_at=NOW - 13 * DAY
        )
        assert VisitAuthorisation.objects.get() == auth and auth.in_time


def test_the_authorisation_limit_is_the_one_in_force_at_the_visit(nominal, officer, sergeant):
    with time_machine.travel(NOW, tick=False):
        before_change = _visit(nominal, officer, NOW - dt.timedelta(hours=2))
        _override("offenders.visit_authorisation_backdate_days", 1)
    with time_machine.travel(NOW + DAY, tick=False):
        after_change = _visit(nominal, officer, NOW + DAY - dt.timedelta(hours=2))
        with pytest.raises(ValidationFailed) as exc:
            services.visit_authorise(
                actor=sergeant, visit=after_change, rationale="r", decided_at=NOW - DAY
            )
        assert "no more than 1 day before the visit" in exc.value.errors[0][1]
        assert not VisitAuthorisation.objects.filter(visit=after_change).exists()
        # The visit made before the change keeps the 14 days in force then.
        services.visit_authorise(
            actor=sergeant, visit=before_change, rationale="r", decided_at=NOW - 10 * DAY
        )
        assert VisitAuthorisation.objects.filter(visit=before_change).exists()
