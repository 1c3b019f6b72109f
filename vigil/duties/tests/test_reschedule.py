import datetime as dt

import pytest

from vigil.audit.models import AuditEvent
from vigil.core.exceptions import ValidationFailed
from vigil.core.testing import make_user
from vigil.duties import services
from vigil.duties.models import Duty
from vigil.duties.tests.helpers import REVIEW, Subject
from vigil.people.models import Person

pytestmark = pytest.mark.django_db
DUE = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def test_it_moves_the_open_duty_and_audits_old_and_new_dates(team):
    officer = make_user("officer", team)
    subject = Subject()
    services.duty_open(actor=officer, kind=REVIEW, subject=subject, team=team, due_at=DUE)
    new = DUE - dt.timedelta(days=20)
    duty = services.duty_reschedule(
        actor=officer, kind=REVIEW, subject=subject, due_at=new, reason="Breach"
    )
    assert Duty.objects.get(pk=duty.pk).due_at == new
    event = AuditEvent.objects.get(action="duty.reschedule")
    assert event.reason == "Breach" and event.changes["due_at"][1] == new.isoformat()
    services.duty_complete(actor=officer, kind=REVIEW, subject=subject)
    assert services.duty_reschedule(actor=officer, kind=REVIEW, subject=subject, due_at=DUE) is None


def test_it_sets_the_risk_level_of_a_persons_open_duties(team):
    officer = make_user("officer", team)
    person = Person.objects.create(force=team.force, team=team, given_name="A", family_name="B")
    duty = services.duty_open(
        actor=officer, kind=REVIEW, subject=Subject(), team=team, due_at=DUE, person=person
    )
    assert services.duty_set_risk_level(actor=officer, person=person, risk_level="high") == 1
    assert Duty.objects.get(pk=duty.pk).risk_level == "high"
    assert services.duty_set_risk_level(actor=officer, person=person, risk_level="high") == 0
    with pytest.raises(ValidationFailed):
        services.duty_set_risk_level(actor=officer, person=person, risk_level="extreme")
