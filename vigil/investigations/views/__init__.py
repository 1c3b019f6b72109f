"""The pages, moved whole into `lifecycle.py` before they are split by sub-domain."""

from vigil.investigations.views.lifecycle import *  # noqa: F403
