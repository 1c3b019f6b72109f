"""The demand app's API (one module per sub-domain)."""

from ninja import Router

from vigil.demand.api.forecasts import router as forecasts_router

router = Router(tags=["demand"])
router.add_router("/forecasts", forecasts_router)
