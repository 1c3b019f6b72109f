"""The API, moved whole into `lifecycle.py` before it is split by sub-domain."""

from vigil.investigations.api.lifecycle import router  # noqa: F401
