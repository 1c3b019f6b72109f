from django.urls import path

from vigil.duties import views

app_name = "duties"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("team/", views.my_work, name="team-work"),
    path("outstanding/", views.my_work, name="outstanding"),
    path("notifications/", views.my_work, name="notifications"),
]
