"""Benchmarks (`vigil bench`): how fast Vigil is on a generated data set.

Apps declare benchmarks in their own `benchmarks.py` with `@benchmark("name")`; each is
a function taking a `BenchContext` and returning a callable to time (and, optionally,
setting `context.note`). Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY

_BENCHMARKS: dict[str, Callable] = {}


def benchmark(name: str):
    def register(fn):
        _BENCHMARKS[name] = fn
        return fn

    return register


def all_benchmarks() -> dict[str, Callable]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("benchmarks")
    return dict(sorted(_BENCHMARKS.items()))


@dataclass
class BenchContext:
    repeat: int
    notes: dict[str, str] = field(default_factory=dict)

    def client_for(self, user) -> Client:
        """A client signed in as `user` past the second factor (as a real session is)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client


@dataclass
class Result:
    name: str
    runs: int
    median_ms: float
    max_ms: float
    queries: int
    note: str = ""


def run(name: str, setup: Callable, context: BenchContext) -> Result:
    """Time `setup(context)`'s callable `context.repeat` times (after one warm-up run)."""
    action = setup(context)
    action()  # warm caches, compile templates
    timings = []
    queries = 0
    for _ in range(context.repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return Result(
        name,
        len(timings),
        statistics.median(timings),
        max(timings),
        queries,
        context.notes.get(name, ""),
    )
