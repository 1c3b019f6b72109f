"""The pages, moved whole into `registration.py` before they are split by sub-domain."""

from vigil.offenders.views.registration import *  # noqa: F403
