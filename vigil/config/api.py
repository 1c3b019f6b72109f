"""The JSON API at /api/v1/ (OpenAPI schema at /api/v1/openapi.json)."""

from ninja import NinjaAPI

from vigil.core.api import TokenAuth, VerifiedSessionAuth, install_error_handlers

api = NinjaAPI(
    title="Vigil API",
    version="1",
    description=(
        "Vigil's JSON API. Authenticate with a bearer token (created by an administrator) "
        "or, from the browser, the signed-in session. Access rules are the same as the pages'. "
        'Errors have one shape: {"error": {"code", "message", "fields": [{"field", "message"}]}}, '
        "with the messages in the caller's language (English or Welsh). Codes include "
        "bad_request (400: a body that is not JSON), unauthenticated and token_expired (401), "
        "forbidden, account_locked and csrf_failed (403), not_found (404: also an unknown address), method_not_allowed "
        "(405), conflict (409), validation_failed (422, each field named), too_many_requests "
        "(429: an API token over its requests a minute) and server_error "
        "(500: nothing more is said; quote the reference in the message)."
    ),
    auth=[TokenAuth(), VerifiedSessionAuth()],
    urls_namespace="api",
    # The interactive docs page loads Swagger from a CDN: off, because Vigil serves
    # every asset itself. The schema is at /api/v1/openapi.json.
    docs_url=None,
)
install_error_handlers(api)

from vigil.accounts.api import router as accounts_router  # noqa: E402
from vigil.accounts.api_tokens import router as tokens_router  # noqa: E402
from vigil.assurance.api import router as assurance_router  # noqa: E402
from vigil.audit.api import router as audit_router  # noqa: E402
from vigil.core.api import router as core_router  # noqa: E402
from vigil.demand.api import router as demand_router  # noqa: E402
from vigil.duties.api import router as duties_router  # noqa: E402
from vigil.instruments.api import router as instruments_router  # noqa: E402
from vigil.investigations.api import router as investigations_router  # noqa: E402
from vigil.offenders.api import router as offenders_router  # noqa: E402
from vigil.partners.api import router as partners_router  # noqa: E402
from vigil.people.api import router as people_router  # noqa: E402
from vigil.referrals.api import router as referrals_router  # noqa: E402
from vigil.register.api import router as register_router  # noqa: E402
from vigil.workforce.api import router as workforce_router  # noqa: E402

api.add_router("/", core_router)
api.add_router("/accounts", accounts_router)
api.add_router("/accounts", tokens_router)  # /accounts/tokens: its own module
api.add_router("/audit", audit_router)
api.add_router("/people", people_router)
api.add_router("/duties", duties_router)
api.add_router("/instruments", instruments_router)
api.add_router("/referrals", referrals_router)
api.add_router("/investigations", investigations_router)
api.add_router("/nominals", offenders_router)
api.add_router("/assurance", assurance_router)
api.add_router("/register", register_router)
api.add_router("/workforce", workforce_router)
api.add_router("/demand", demand_router)
api.add_router("/partners", partners_router)
