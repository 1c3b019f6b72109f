from django.urls import path

from vigil.partners.views import agreements, requests, reviews

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
]
