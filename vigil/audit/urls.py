from django.urls import path

from vigil.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("export.csv", views.export, name="export"),
]
