from django.urls import path

from vigil.offenders import views

app_name = "offenders"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("register/", views.register, name="register"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("reviews/", views.review_queue, name="review-queue"),
    path("reviews/<uuid:uuid>/", views.review_record, name="review-record"),
    path("dip-checks/", views.dip_checks, name="dip-checks"),
    path("dip-checks/<uuid:uuid>/", views.dip_check_record, name="dip-check-record"),
    path("notifications/<uuid:uuid>/", views.notification_record, name="notification-record"),
    path("plans/<uuid:uuid>/", views.plan_go, name="plan-go"),
    path("visits/<uuid:uuid>/", views.visit_detail, name="visit-detail"),
    path("visits/<uuid:uuid>/authorise/", views.visit_authorise, name="visit-authorise"),
    path(
        "intelligence/<uuid:uuid>/review/",
        views.intelligence_review,
        name="intelligence-review",
    ),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/change/", views.edit, name="edit"),
    path("<uuid:uuid>/notification/", views.notification, name="notification"),
    path(
        "<uuid:uuid>/notification/requirements/",
        views.requirement_add,
        name="requirement-add",
    ),
    path("<uuid:uuid>/notification/new/", views.notification_open, name="notification-open"),
    path("<uuid:uuid>/orders/", views.orders, name="orders"),
    path("<uuid:uuid>/orders/new/", views.order_add, name="order-add"),
    path("<uuid:uuid>/orders/breach/", views.breach_add, name="breach-add"),
    path("<uuid:uuid>/risk/", views.risk, name="risk"),
    path("<uuid:uuid>/risk/new/", views.arms_new, name="arms-new"),
    path("<uuid:uuid>/plan/", views.plan, name="plan"),
    path("<uuid:uuid>/plan/new/", views.plan_new, name="plan-new"),
    path("<uuid:uuid>/visits/", views.visits, name="visits"),
    path("<uuid:uuid>/visits/new/", views.visit_new, name="visit-new"),
    path("<uuid:uuid>/visits/check/", views.visit_check, name="visit-check"),
    path("<uuid:uuid>/reviews/", views.reviews, name="reviews"),
    path("<uuid:uuid>/intelligence/", views.intelligence, name="intelligence"),
    path("<uuid:uuid>/intelligence/new/", views.intelligence_new, name="intelligence-new"),
    path("<uuid:uuid>/timeline/", views.timeline, name="timeline"),
]
