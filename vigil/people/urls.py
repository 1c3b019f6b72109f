from django.urls import path

from vigil.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.csv", views.person_list_export, name="export"),
    path("new/", views.person_create, name="create"),
    path("<uuid:uuid>/", views.person_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.person_edit, name="edit"),
    path("<uuid:uuid>/aliases/new/", views.alias_add, name="alias-add"),
    path("<uuid:uuid>/addresses/new/", views.address_add, name="address-add"),
    path("<uuid:uuid>/identifiers/new/", views.identifier_add, name="identifier-add"),
    path("<uuid:uuid>/children/new/", views.child_add, name="child-add"),
    path("<uuid:uuid>/aliases/<uuid:item>/remove/", views.alias_remove, name="alias-remove"),
    path("<uuid:uuid>/addresses/<uuid:item>/end/", views.address_end, name="address-end"),
    path(
        "<uuid:uuid>/addresses/<uuid:item>/correct/",
        views.address_correct,
        name="address-correct",
    ),
    path(
        "<uuid:uuid>/identifiers/<uuid:item>/remove/",
        views.identifier_remove,
        name="identifier-remove",
    ),
    path("<uuid:uuid>/children/<uuid:item>/end/", views.child_end, name="child-end"),
    path("<uuid:uuid>/restriction/", views.person_restrict, name="restrict"),
    path("<uuid:uuid>/restriction/remove/", views.person_unrestrict, name="unrestrict"),
    path("<uuid:uuid>/restriction/review/", views.restriction_review, name="restriction-review"),
]
