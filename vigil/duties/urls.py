from django.urls import path

from vigil.duties import views

app_name = "duties"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("team/", views.team_work, name="team-work"),
    path("team/export.csv", views.team_work_export, name="team-work-export"),
    path("duties/<uuid:duty_id>/reassign/", views.reassign, name="reassign"),
    path("outstanding/", views.outstanding, name="outstanding"),
    path("outstanding/<str:risk>/<str:band>/", views.outstanding_cell, name="outstanding-cell"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path(
        "notifications/<uuid:notification_id>/read/",
        views.notification_read,
        name="notification-read",
    ),
]
