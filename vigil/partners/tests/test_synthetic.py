"""The synthetic partnership: a region and agreement for the demo force, requests both
ways with history-true timestamps, and a demo probation account that sees its inbox."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import F

from vigil.assurance import metrics
from vigil.partners.choices import Direction
from vigil.partners.models import Agreement, Request, Review

pytestmark = pytest.mark.django_db


def test_the_generator_gives_the_demo_force_a_partnership():
    from vigil.core.testing import verified_client
    from vigil.synthetic.generator import DEMO_DOMAIN, generate
    from vigil.synthetic.tests.test_generator import TINY

    with time_machine.travel("2026-11-02 07:00:00+00:00", tick=False):
        generate(scale=TINY, seed=1)
        agreement = Agreement.objects.get()
        assert agreement.versions.count() == 2
        for direction in Direction:
            qs = Request.objects.filter(direction=direction)
            assert qs.exists()
            # Stamped when it happened in the story, not when it was generated.
            assert not qs.exclude(created_at=F("raised_at")).exists()
            assert not qs.filter(
                created_at__gte=dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC)
            ).exists()
        assert Request.objects.order_by("raised_at").first().raised_at.year == 2021
        # Some were answered late.
        assert Request.objects.filter(answered_at__gt=F("due_at")).exists()
        assert Review.objects.count() >= 19
        window = metrics.window_for(dt.date(2026, 10, 31), months=12)
        for key in (
            "partner_requests_answered_within_sla",
            "partner_requests_to_police_answered_within_sla",
        ):
            result = metrics.compute(metrics.get_metric(key), window)
            assert result.denominator and result.numerator is not None
            assert result.numerator <= result.denominator
        from vigil.accounts.models import User

        demo = User.objects.get(email=f"probation@{DEMO_DOMAIN}")
        response = verified_client(demo).get("/partners/")
        assert response.status_code == 200


def test_late_requests_in_the_history_were_escalated_when_the_sweep_would_have():
    from vigil.duties.models import Escalation
    from vigil.synthetic.generator import generate
    from vigil.synthetic.tests.test_generator import TINY

    with time_machine.travel("2026-11-02 07:00:00+00:00", tick=False):
        generate(scale=TINY, seed=1)
        escalations = Escalation.objects.filter(duty__kind="partners.request")
        assert escalations.filter(escalated_at__year__lte=2024).exists()
        by_uuid = {r.uuid: r for r in Request.objects.all()}
        for e in escalations.select_related("duty"):
            request = by_uuid[e.duty.subject_id]
            # Escalated after it was due and before it was answered, and never twice.
            assert request.due_at < e.escalated_at
            assert request.answered_at is None or e.escalated_at < request.answered_at
        # Some escalated requests were answered before reaching the managers, some not.
        levels = set(escalations.values_list("level", flat=True))
        assert levels == {1, 2}
        # Point T's escalation figure has cases today, and one and two years ago.
        metric = metrics.get_metric("partner_escalations_resolved")
        for as_of in (dt.date(2026, 10, 31), dt.date(2025, 10, 31), dt.date(2024, 10, 31)):
            result = metrics.compute(metric, metrics.window_for(as_of, months=12))
            assert result.denominator, as_of
            for key in (
                "partner_requests_answered_within_sla",
                "partner_requests_to_police_answered_within_sla",
            ):
                other = metrics.compute(
                    metrics.get_metric(key), metrics.window_for(as_of, months=12)
                )
                assert other.denominator, (key, as_of)
