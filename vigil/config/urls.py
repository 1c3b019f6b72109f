from django.http import HttpResponse
from django.urls import include, path

from vigil.config.api import api
from vigil.core import views as core_views
from vigil.core.api import api_urls


def health(request):
    """For load balancers: answers without touching sessions or the database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", core_views.home, name="home"),
    path("health", health, name="health"),
    path("language/<str:code>/", core_views.set_language, name="set-language"),
    path("account/", include("vigil.accounts.urls")),
    path("audit/", include("vigil.audit.urls")),
    path("people/", include("vigil.people.urls")),
    path("work/", include("vigil.duties.urls")),
    path("instruments/", include("vigil.instruments.urls")),
    path("referrals/", include("vigil.referrals.urls")),
    path("investigations/", include("vigil.investigations.urls")),
    path("nominals/", include("vigil.offenders.urls")),
    path("assurance/", include("vigil.assurance.urls")),
    path("register/", include("vigil.register.urls")),
    path("workforce/", include("vigil.workforce.urls")),
    path("demand/", include("vigil.demand.urls")),
    path("partners/", include("vigil.partners.urls")),
    path("", include("vigil.core.urls")),
    path("api/v1/", api_urls(api)),
]

handler403 = "vigil.core.views.error_403"
handler404 = "vigil.core.views.error_404"
handler500 = "vigil.core.views.error_500"
