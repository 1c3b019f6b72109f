from django.urls import path

from vigil.core import views

app_name = "core"

urlpatterns = [
    path("policies/", views.policy_list, name="policies"),
    path("policies/<str:key>/", views.policy_detail, name="policy-detail"),
]
