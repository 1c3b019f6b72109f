"""The one place Vigil asks the time (tests freeze it with time-machine).

`replay(at)` makes `now()` answer `at` inside a block, in this thread only. Only the
synthetic generator uses it, to write years of history through the ordinary services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_replayed: ContextVar[dt.datetime | None] = ContextVar("vigil_replayed_now", default=None)


def now() -> dt.datetime:
    return _replayed.get() or timezone.now()


def today() -> dt.date:
    """Today's date in Europe/London."""
    return timezone.localdate(now())


@contextmanager
def replay(at: dt.datetime) -> Iterator[None]:
    """Run the block as if it were `at` (an aware datetime). For the synthetic generator."""
    if timezone.is_naive(at):
        raise ValueError("replay() needs an aware datetime")
    token = _replayed.set(at)
    try:
        yield
    finally:
        _replayed.reset(token)
