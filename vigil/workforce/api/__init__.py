"""The workforce API under /api/v1/workforce: the same selectors, services and access
rules as the pages (one module per sub-domain)."""

from ninja import Router

from vigil.workforce.api import abstractions, staff, training, wellbeing

router = Router(tags=["workforce"])
router.add_router("", staff.router)
router.add_router("", abstractions.router)
router.add_router("", wellbeing.router)
router.add_router("", training.router)
