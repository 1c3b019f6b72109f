"""The services, moved whole into `lifecycle.py` before they are split by sub-domain."""

from vigil.investigations.services.lifecycle import *  # noqa: F403
