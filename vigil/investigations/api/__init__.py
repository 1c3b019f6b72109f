"""Investigations through the API: the same selectors, services and access rules as the
pages. An investigation out of scope (or missing) is 404; a role that may see it but not
do the operation is 403; a refused rule is 422 (or 409 for a state conflict) with the
message the page shows.

One module per sub-domain (the same names as in `services/`, `views/` and `tests/`), each
declaring its operations on the app's router (`common.router`, mounted at
`/api/v1/investigations/`).
"""

from vigil.investigations.api.common import router

# Paths are matched in the order their operations are declared, so the modules are
# imported in this order: `lifecycle` holds /{investigation_id}, which would take
# /oversight-board, /escalations, /bail-board and /support-organisations, so it comes
# last.
# isort: off
from vigil.investigations.api import escalation, oversight, directory, bail
from vigil.investigations.api import bail_conditions, bail_court, family_support
from vigil.investigations.api import reassessment, decisions
from vigil.investigations.api import lifecycle

# isort: on

__all__ = [
    "router",
    "escalation",
    "oversight",
    "directory",
    "bail",
    "bail_conditions",
    "bail_court",
    "family_support",
    "reassessment",
    "decisions",
    "lifecycle",
]
