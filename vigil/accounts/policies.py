"""Accounts' policies. The second factor is not one: it is always required, except in
`vigil demo` (settings.VIGIL_REQUIRE_SECOND_FACTOR), so no setting could turn it off."""

from django.utils.translation import gettext_lazy as _

from vigil.core.policy_registry import Source, declare

declare(
    "accounts.session_idle_minutes",
    label=_("Sign out after this long without activity"),
    default=30,
    unit=_("minutes"),
    source=Source.VIGIL,
    minimum=5,
    maximum=480,
)
declare(
    "accounts.lockout_attempts",
    label=_("Failed sign-in attempts before the account is locked"),
    default=5,
    unit=_("attempts"),
    source=Source.VIGIL,
    minimum=3,
    maximum=20,
)
declare(
    "accounts.lockout_minutes",
    label=_("How long a locked account stays locked"),
    default=15,
    unit=_("minutes"),
    source=Source.VIGIL,
    minimum=1,
    maximum=1440,
)
declare(
    "accounts.sign_in_attempts_per_address",
    label=_("Failed sign-in attempts from one network address before it must wait"),
    default=30,
    unit=_("attempts in 15 minutes"),
    source=Source.VIGIL,
    minimum=5,
    maximum=1000,
)
declare(
    "accounts.api_token_days",
    label=_("How long a new API token can be used before it expires"),
    default=90,
    unit=_("days"),
    source=Source.VIGIL,
    minimum=1,
    maximum=730,
)
declare(
    "accounts.api_token_requests_per_minute",
    label=_("Requests one API token may make in a minute"),
    default=300,
    unit=_("requests a minute"),
    source=Source.VIGIL,
    minimum=10,
    maximum=100000,
)
