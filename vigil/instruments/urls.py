from django.urls import path

from vigil.instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("assessments/<uuid:uuid>/", views.assessment_detail, name="assessment"),
    path(
        "assessments/<uuid:uuid>/sign-off/", views.assessment_sign_off, name="assessment-sign-off"
    ),
    path("<slug:code>/<int:version>/", views.instrument_detail, name="detail"),
    path("<slug:code>/<int:version>/practice/", views.instrument_practice, name="practice"),
]
