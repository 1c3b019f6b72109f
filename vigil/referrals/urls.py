from django.urls import path

from vigil.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_queue, name="queue"),
    path("export.csv", views.referral_queue_export, name="export"),
    path("new/", views.referral_receive, name="receive"),
    path("import/", views.referral_import, name="import"),
    path("<uuid:uuid>/", views.referral_detail, name="detail"),
    path("<uuid:uuid>/assess/", views.referral_assess, name="assess"),
    path("<uuid:uuid>/grade/", views.referral_grade, name="grade"),
    path("<uuid:uuid>/sign-off/", views.referral_sign_off, name="sign-off"),
    path("<uuid:uuid>/allocate/", views.referral_allocate, name="allocate"),
    path("<uuid:uuid>/link/", views.referral_link, name="link"),
    path("<uuid:uuid>/suspect/", views.referral_suspect, name="suspect"),
    path("<uuid:uuid>/close/", views.referral_close, name="close"),
    path("<uuid:uuid>/offender-notice/", views.rso_notice, name="rso-notice"),
]
