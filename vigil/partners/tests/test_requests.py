"""Raising and answering requests: the due time, the duty, the audit events, the states."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.duties.models import Duty
from vigil.partners import duty_kinds
from vigil.partners.choices import Direction, RequestState
from vigil.partners.services import agreements
from vigil.partners.services import requests as services

pytestmark = pytest.mark.django_db

LONDON = timezone.get_default_timezone()


def _raise(world, nominal, actor=None, **kwargs):
    values = {
        "kind": "information",
        "register_reference": world.reference(nominal),
        "details": "Current address and conditions, please.",
    }
    values.update(kwargs)
    return services.request_raise(actor=actor or world.officer, agreement=world.agreement, **values)


def _duty(request):
    return Duty.objects.filter(kind=duty_kinds.REQUEST, subject_id=request.uuid).first()


def test_it_raises_a_request_to_probation_due_in_the_agreed_working_days(world, nominal):
    request = _raise(world, nominal)
    request.refresh_from_db()
    assert request.direction == Direction.TO_PROBATION
    assert request.state == RequestState.RAISED
    assert request.police_team == world.mosovo.team
    assert request.version.number == 1
    # Ten working days from Monday 2 November 2026: Monday 16 November, end of the day.
    assert timezone.localtime(request.due_at, LONDON).replace(tzinfo=None) == dt.datetime(
        2026, 11, 16, 23, 59, 59
    )
    duty = _duty(request)
    assert duty.team == world.region.team
    assert duty.due_at == request.due_at
    assert duty.completed_at is None
    event = AuditEvent.objects.get(action="partners.request_raise")
    assert event.changes["direction"] == "to_probation"
    assert event.changes["version"] == 1


def test_an_urgent_request_is_due_in_the_agreed_hours(world, nominal):
    request = _raise(world, nominal, urgent=True)
    assert request.due_at == request.raised_at + dt.timedelta(hours=24)


def test_probation_raises_to_the_police_and_the_duty_is_the_managing_officers(world, nominal):
    request = _raise(world, nominal, actor=world.practitioner, kind="breach_recall")
    assert request.direction == Direction.TO_POLICE
    duty = _duty(request)
    assert duty.team == world.mosovo.team
    assert duty.assignee == world.officer
    # Two working days (breach or recall information).
    assert timezone.localtime(request.due_at, LONDON).date() == dt.date(2026, 11, 4)


def test_a_restricted_nominal_cannot_be_the_subject_of_a_request(world, nominal):
    from vigil.people.models import Person

    Person.objects.filter(pk=nominal.person_id).update(is_restricted=True)
    with pytest.raises(ValidationFailed):
        _raise(world, nominal, actor=world.practitioner)
    assert not world.agreement.requests.exists()


def test_probation_cannot_raise_about_a_nominal_of_another_force(world, nominal):
    from vigil.core.testing import make_force
    from vigil.partners.tests.helpers import Partnership

    other = Partnership(make_force("gwent", "Gwent Police"), name="Gwent region")
    outside = other.nominal()
    with pytest.raises(ValidationFailed):
        _raise(world, outside, actor=world.practitioner)
    with pytest.raises(NotFound):
        services.request_raise(
            actor=world.practitioner,
            agreement=other.agreement,
            kind="information",
            register_reference=world.reference(outside),
            details="x",
        )


def test_respond_completes_the_duty_and_records_in_time(world, nominal):
    request = _raise(world, nominal)
    services.request_acknowledge(actor=world.practitioner2, request=request)
    with time_machine.travel("2026-11-05 15:00:00+00:00", tick=False):
        services.request_respond(
            actor=world.practitioner2, request=request, response="Address confirmed."
        )
    request.refresh_from_db()
    assert request.state == RequestState.RESPONDED
    assert request.acknowledged_by == world.practitioner2
    assert request.answered_by == world.practitioner2
    assert request.within_sla is True
    assert _duty(request).completed_at is not None
    event = AuditEvent.objects.get(action="partners.request_respond")
    assert event.changes == {"within_sla": True}


def test_a_late_decline_is_recorded_as_late(world, nominal):
    request = _raise(world, nominal)
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        services.request_decline(
            actor=world.practitioner, request=request, reason="Not ours to share."
        )
    request.refresh_from_db()
    assert request.state == RequestState.DECLINED
    assert request.within_sla is False
    assert AuditEvent.objects.get(action="partners.request_decline").changes["within_sla"] is False


def test_only_the_side_asked_answers_and_only_the_side_asking_rates(world, nominal):
    request = _raise(world, nominal)
    with pytest.raises(PermissionDenied):
        services.request_respond(actor=world.sergeant, request=request, response="x")
    with pytest.raises(Conflict):
        services.request_rate(actor=world.officer, request=request, rating=4)
    services.request_respond(actor=world.practitioner, request=request, response="Done.")
    with pytest.raises(PermissionDenied):
        services.request_rate(actor=world.practitioner, request=request, rating=5)
    with pytest.raises(ValidationFailed):
        services.request_rate(actor=world.officer, request=request, rating=9)
    services.request_rate(actor=world.sergeant, request=request, rating=4, feedback="Quick.")
    request.refresh_from_db()
    assert (request.rating, request.feedback) == (4, "Quick.")
    with pytest.raises(Conflict):
        services.request_rate(actor=world.officer, request=request, rating=2)
    with pytest.raises(Conflict):
        services.request_respond(actor=world.practitioner, request=request, response="Again")
    assert AuditEvent.objects.filter(action="partners.request_rate").count() == 1


def test_a_response_needs_text(world, nominal):
    request = _raise(world, nominal)
    with pytest.raises(ValidationFailed) as exc:
        services.request_respond(actor=world.practitioner, request=request, response="  ")
    assert exc.value.errors[0][0] == "response"
    request.refresh_from_db()
    assert request.state == RequestState.RAISED


def test_a_new_version_applies_to_new_requests_and_old_ones_keep_theirs(world, nominal):
    first = _raise(world, nominal)
    terms = agreements.default_terms()
    for term in terms:
        if term["kind"] == "information":
            term["amount"] = 3
    agreements.version_create(
        actor=world.admin,
        agreement=world.agreement,
        effective_from=dt.date(2026, 11, 3),
        notes="Quicker information requests",
        terms=terms,
    )
    with time_machine.travel("2026-11-03 10:00:00+00:00", tick=False):
        second = _raise(world, nominal)
    first.refresh_from_db()
    assert first.version.number == 1
    assert second.version.number == 2
    assert timezone.localtime(first.due_at, LONDON).date() == dt.date(2026, 11, 16)
    assert timezone.localtime(second.due_at, LONDON).date() == dt.date(2026, 11, 6)


def test_a_version_must_start_after_the_last(world):
    with pytest.raises(ValidationFailed):
        agreements.version_create(
            actor=world.admin,
            agreement=world.agreement,
            effective_from=dt.date(2026, 1, 1),
            notes="",
            terms=agreements.default_terms(),
        )
