"""The one place Vigil asks the time (tests freeze it with time-machine)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today's date in Europe/London."""
    return timezone.localdate(now())
