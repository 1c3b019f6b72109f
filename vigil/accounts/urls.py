from django.urls import path

from vigil.accounts import views, views_admin

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("password/", views.password_change, name="password-change"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<uuid:token_uuid>/revoke/", views.token_revoke, name="token-revoke"),
    path("users/", views_admin.user_list, name="users"),
    path("users/new/", views_admin.user_create, name="user-create"),
    path("users/<uuid:user_uuid>/", views_admin.user_detail, name="user-detail"),
    path("users/<uuid:user_uuid>/edit/", views_admin.user_edit, name="user-edit"),
    path(
        "memberships/<uuid:membership_uuid>/remove/",
        views_admin.membership_remove,
        name="membership-remove",
    ),
    path("teams/", views_admin.team_list, name="teams"),
    path("forces/", views_admin.force_list, name="forces"),
]
