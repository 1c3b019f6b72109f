from django.urls import path

from vigil.partners.views import agreements, requests, reviews, setup

app_name = "partners"

urlpatterns = [
    path("", requests.inbox, name="inbox"),
    path("sent/", requests.sent, name="sent"),
    path("requests.csv", requests.export, name="export"),
    path("requests/new/", requests.raise_request, name="raise"),
    path("requests/<uuid:uuid>/", requests.detail, name="request"),
    path("requests/<uuid:uuid>/acknowledge/", requests.acknowledge, name="acknowledge"),
    path("requests/<uuid:uuid>/respond/", requests.respond, name="respond"),
    path("requests/<uuid:uuid>/decline/", requests.decline, name="decline"),
    path("requests/<uuid:uuid>/rate/", requests.rate, name="rate"),
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/<uuid:uuid>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<uuid:uuid>/reviews/", reviews.review_record, name="review"),
    path("dashboard/", agreements.dashboard, name="dashboard"),
    path("setup/", setup.index, name="setup"),
    path("setup/regions/new/", setup.region_new, name="setup-region-new"),
    path("setup/regions/<uuid:uuid>/", setup.region_detail, name="setup-region"),
    path(
        "setup/regions/<uuid:uuid>/practitioners/",
        setup.practitioner_add,
        name="setup-practitioner-add",
    ),
    path(
        "setup/regions/<uuid:uuid>/practitioners/<uuid:membership_uuid>/remove/",
        setup.practitioner_remove,
        name="setup-practitioner-remove",
    ),
    path("setup/regions/<uuid:uuid>/agreement/", setup.agreement_new, name="setup-agreement-new"),
    path("setup/agreements/<uuid:uuid>/", setup.agreement_detail, name="setup-agreement"),
    path("setup/agreements/<uuid:uuid>/versions/new/", setup.version_new, name="setup-version-new"),
]
