"""Offender management through the API: the same selectors, services and access rules as
the pages. Missing and out of scope are 404; a role that may not do something is 403.

One module per sub-domain (the same names as in `services/`, `views/` and `tests/`), each
declaring its operations on the app's router (`common.router`, mounted at
`/api/v1/nominals/`).
"""

from vigil.offenders.api.common import router

# Paths are matched in the order their operations are declared, so the modules are
# imported in this order: `registration` holds /{nominal_id}, which would take /reviews,
# /reactive and /transfers, so it comes last.
# isort: off
from vigil.offenders.api import notification, orders, arms, plans, visits, reviews
from vigil.offenders.api import dipchecks
from vigil.offenders.api import intelligence, pnd, reactive, transfers
from vigil.offenders.api import registration

# isort: on

__all__ = [
    "router",
    "notification",
    "orders",
    "arms",
    "plans",
    "visits",
    "dipchecks",
    "reviews",
    "intelligence",
    "pnd",
    "reactive",
    "transfers",
    "registration",
]
