from django.urls import path

from vigil.investigations.views import (
    bail,
    bail_conditions,
    bail_court,
    decisions,
    directory,
    escalation,
    family_support,
    lifecycle,
    oversight,
    reassessment,
)

app_name = "investigations"

urlpatterns = [
    path("", lifecycle.investigation_list, name="list"),
    path("oversight/", oversight.board, name="board"),
    path("escalations/", escalation.escalation_log, name="escalations"),
    path("escalations/<uuid:uuid>/", escalation.escalation_detail, name="escalation"),
    path("bail/", bail.bail_board, name="bail-board"),
    path("bails/<uuid:uuid>/", bail.bail_redirect, name="bail-redirect"),
    path(
        "bail-court-applications/<uuid:uuid>/",
        bail_court.court_application_redirect,
        name="court-application-redirect",
    ),
    path("support-organisations/", directory.support_organisation_list, name="organisations"),
    path(
        "support-organisations/new/",
        directory.support_organisation_create,
        name="organisation-create",
    ),
    path(
        "support-organisations/<uuid:uuid>/",
        directory.support_organisation_edit,
        name="organisation-edit",
    ),
    path("<uuid:uuid>/", lifecycle.investigation_detail, name="detail"),
    path("<uuid:uuid>/bail/", bail.investigation_bail, name="bail"),
    path("<uuid:uuid>/bail/extend/", bail.bail_extend, name="bail-extend"),
    path("<uuid:uuid>/bail/conditions/", bail_conditions.bail_conditions, name="bail-conditions"),
    path(
        "<uuid:uuid>/bail/victim-views/",
        bail_conditions.bail_victim_views,
        name="bail-victim-views",
    ),
    path("<uuid:uuid>/bail/checks/new/", bail_conditions.bail_check, name="bail-check"),
    path(
        "<uuid:uuid>/bail/court-application/",
        bail_court.bail_court_application,
        name="bail-court-application",
    ),
    path(
        "<uuid:uuid>/bail/court-applications/<uuid:application_uuid>/decision/",
        bail_court.bail_court_decision,
        name="bail-court-decision",
    ),
    path("<uuid:uuid>/family-support/", family_support.family_support, name="family-support"),
    path(
        "<uuid:uuid>/family-support/leaflet/",
        family_support.family_support_leaflet,
        name="family-support-leaflet",
    ),
    path(
        "<uuid:uuid>/family-support/leaflet.pdf",
        family_support.family_support_leaflet_pdf,
        name="family-support-leaflet-pdf",
    ),
    path("<uuid:uuid>/move/", lifecycle.investigation_move, name="move"),
    path("<uuid:uuid>/reassess/", reassessment.investigation_reassess, name="reassess"),
    path("<uuid:uuid>/decide/", decisions.investigation_decide, name="decide"),
    path("<uuid:uuid>/allocate/", oversight.investigation_allocate, name="allocate"),
    path("<uuid:uuid>/oversight-review/", oversight.oversight_review, name="oversight-review"),
]
