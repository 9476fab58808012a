from django.urls import path

from pulih.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/end-sessions/", views.user_end_sessions, name="user_end_sessions"),
    path("2fa/", views.twofactor_manage, name="twofactor"),
    path("2fa/setup/", views.twofactor_setup, name="twofactor_setup"),
    path("2fa/verify/", views.twofactor_verify, name="twofactor_verify"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
