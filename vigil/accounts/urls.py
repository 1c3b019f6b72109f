from django.urls import path

from vigil.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<uuid:token_uuid>/revoke/", views.token_revoke, name="token-revoke"),
]
