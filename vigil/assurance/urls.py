from django.urls import path

from vigil.assurance import views

app_name = "assurance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("points/<str:letter>/", views.point_detail, name="point"),
    path("points/<str:letter>/change/", views.point_edit, name="point-edit"),
    path("points/<str:letter>/updates/new/", views.narrative_add, name="narrative-add"),
    path("metrics/<str:key>/gap/", views.gap, name="gap"),
]
