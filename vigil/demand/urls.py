from django.urls import path

from vigil.demand.views import forecasts as views

app_name = "demand"

urlpatterns = [
    path("", views.forecast_list, name="list"),
    path("new/", views.forecast_from_records, name="run"),
    path("upload/", views.forecast_upload, name="upload"),
    path("compare/", views.forecast_compare, name="compare"),
    path("<uuid:uuid>/", views.forecast_detail, name="detail"),
    path("<uuid:uuid>/pdf/", views.forecast_pdf, name="pdf"),
    path("<uuid:uuid>/xlsx/", views.forecast_xlsx, name="xlsx"),
]
