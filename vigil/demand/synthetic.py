"""Saved demand forecasts in the history of every synthetic force (the generator passes
them all), each made through the service at its own past moment (so its created_at, audit event and refresh duty carry
that moment): one fourteen months ago, whose refresh duty the next completes, and one
three months ago. Each is run from the force's own records when they hold enough years
of registrations, else from a yearly series shaped like published registered offender
counts."""

from __future__ import annotations

import datetime as dt
import math
import random

from django.utils import timezone

from vigil.core import clock
from vigil.core.exceptions import ValidationFailed
from vigil.demand import forecasting, selectors
from vigil.demand.choices import ForecastSource
from vigil.demand.services import forecasts as services

AGES_DAYS = (425, 92)


def published_like(
    rng: random.Random, *, last: dt.date, years: int = 18
) -> list[forecasting.Point]:
    """A series shaped like England and Wales RSO counts: about 30,000 growing 4-6% a
    year, the growth itself drifting, with a little noise."""
    growth, value, out = rng.uniform(0.04, 0.06), 30000.0, []
    for i in range(years):
        growth = max(0.0, min(0.09, growth + rng.gauss(0, 0.01)))
        value *= (1 + growth) * math.exp(rng.gauss(0, 0.01))
        out.append(forecasting.Point(dt.date(last.year - years + 1 + i, 3, 31), round(value)))
    return out


def _runner(force):
    from vigil.accounts.models import User

    for user in (
        User.objects.filter(memberships__team__force=force, is_active=True)
        .distinct()
        .order_by("id")
    ):
        if force.pk in selectors.run_force_ids(user):
            return user
    return None


def generate_forecasts(*, forces, seed: int) -> int:
    """The forecasts of each force in `forces` that has a manager or analyst of a MOSOVO
    team; returns how many were saved."""
    rng = random.Random(f"demand:{seed}")  # noqa: S311 (reproducible, not secret)
    saved = 0
    now = clock.now()
    for n, force in enumerate(forces):
        # The first force's published-like series is as long as the national one; the
        # others' are shorter, so that a national build (43 forces) takes minutes, not
        # tens of them: fitting the damped trend at every backtest origin is the cost.
        years = 18 if n == 0 else 12
        actor = _runner(force)
        if actor is None:
            continue
        for age in AGES_DAYS:
            moment = (now - dt.timedelta(days=age)).replace(hour=10, minute=rng.randint(0, 59))
            with clock.replay(moment):
                try:
                    services.forecast_from_records(
                        actor=actor, force=force, title="Nominals managed: the next five years"
                    )
                except ValidationFailed:
                    services.forecast_create(
                        actor=actor,
                        force=force,
                        title="Registered sex offenders, England and Wales (synthetic series)",
                        source=ForecastSource.SERIES,
                        points=published_like(rng, last=timezone.localdate(moment), years=years),
                    )
            saved += 1
    return saved
