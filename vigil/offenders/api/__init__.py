"""The API, moved whole into `registration.py` before it is split by sub-domain."""

from vigil.offenders.api.registration import router  # noqa: F401
