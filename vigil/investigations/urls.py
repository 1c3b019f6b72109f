from django.urls import path

from vigil.investigations import views

app_name = "investigations"

urlpatterns = [
    path("", views.investigation_list, name="list"),
    path("oversight/", views.board, name="board"),
    path("escalations/", views.escalation_log, name="escalations"),
    path("escalations/<uuid:uuid>/", views.escalation_detail, name="escalation"),
    path("bail/", views.bail_board, name="bail-board"),
    path("bails/<uuid:uuid>/", views.bail_redirect, name="bail-redirect"),
    path(
        "bail-court-applications/<uuid:uuid>/",
        views.court_application_redirect,
        name="court-application-redirect",
    ),
    path("support-organisations/", views.support_organisation_list, name="organisations"),
    path(
        "support-organisations/new/",
        views.support_organisation_create,
        name="organisation-create",
    ),
    path(
        "support-organisations/<uuid:uuid>/",
        views.support_organisation_edit,
        name="organisation-edit",
    ),
    path("<uuid:uuid>/", views.investigation_detail, name="detail"),
    path("<uuid:uuid>/bail/", views.investigation_bail, name="bail"),
    path("<uuid:uuid>/bail/extend/", views.bail_extend, name="bail-extend"),
    path("<uuid:uuid>/bail/conditions/", views.bail_conditions, name="bail-conditions"),
    path("<uuid:uuid>/bail/victim-views/", views.bail_victim_views, name="bail-victim-views"),
    path("<uuid:uuid>/bail/checks/new/", views.bail_check, name="bail-check"),
    path(
        "<uuid:uuid>/bail/court-application/",
        views.bail_court_application,
        name="bail-court-application",
    ),
    path(
        "<uuid:uuid>/bail/court-applications/<uuid:application_uuid>/decision/",
        views.bail_court_decision,
        name="bail-court-decision",
    ),
    path("<uuid:uuid>/family-support/", views.family_support, name="family-support"),
    path(
        "<uuid:uuid>/family-support/leaflet/",
        views.family_support_leaflet,
        name="family-support-leaflet",
    ),
    path(
        "<uuid:uuid>/family-support/leaflet.pdf",
        views.family_support_leaflet_pdf,
        name="family-support-leaflet-pdf",
    ),
    path("<uuid:uuid>/move/", views.investigation_move, name="move"),
    path("<uuid:uuid>/reassess/", views.investigation_reassess, name="reassess"),
    path("<uuid:uuid>/decide/", views.investigation_decide, name="decide"),
    path("<uuid:uuid>/allocate/", views.investigation_allocate, name="allocate"),
    path("<uuid:uuid>/oversight-review/", views.oversight_review, name="oversight-review"),
]
