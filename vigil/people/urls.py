from django.urls import path

from vigil.duties import views

app_name = "people"

urlpatterns = [path("", views.my_work, name="list")]
