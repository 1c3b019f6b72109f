from django.urls import path

from vigil.register import views

app_name = "register"

urlpatterns = [
    path("", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("discrepancies/", views.discrepancy_list, name="discrepancies"),
    path("discrepancies/export.csv", views.discrepancy_export, name="discrepancies-csv"),
    path("discrepancies/<uuid:uuid>/", views.discrepancy_detail, name="discrepancy"),
    path("discrepancies/<uuid:uuid>/assign/", views.discrepancy_assign, name="assign"),
    path("discrepancies/<uuid:uuid>/resolve/", views.discrepancy_resolve, name="resolve"),
    path("imports/", views.extract_list, name="imports"),
    path("imports/new/", views.extract_upload, name="upload"),
    path("imports/<uuid:uuid>/", views.extract_detail, name="extract"),
    path("imports/<uuid:uuid>/progress/", views.extract_progress, name="progress"),
]
