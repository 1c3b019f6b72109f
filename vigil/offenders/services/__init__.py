"""The services, moved whole into `registration.py` before they are split by sub-domain."""

from vigil.offenders.services.registration import *  # noqa: F403
from vigil.offenders.services.registration import _plan_level, _rank_label, _visit_interval  # noqa: F401
