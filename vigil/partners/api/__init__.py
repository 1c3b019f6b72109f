"""The partnership through the API (/api/v1/partners/...): the same selectors, services
and access rules as the pages, one module per sub-domain. Missing or out of scope is 404;
anyone who is neither a police officer, supervisor or manager nor a probation practitioner
gets 404 from every operation."""

from vigil.partners.api import agreements, requests, reviews, setup  # noqa: F401  (operations)
from vigil.partners.api.base import router

__all__ = ["router"]
